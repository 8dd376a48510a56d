/**
 * The bridge's file policy (workers/host/file-access.ts) on its own: handles are random, bound to a
 * purpose, spent by a write and expire; the renderer's calls lose every path field; and every
 * path-like field of the contract is known to the policy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { METHOD_NAMES, type MethodName } from '../../shared/contract/client';
import { FILE_HANDLE_PATTERN, SAVE_TARGET_KINDS } from '../../shared/contract/desktop';
import { type Result, ok } from '../../shared/contract/errors';
import { inputSchemas } from '../../shared/contract/schemas';
import {
  FILE_ARGUMENTS,
  FileHandles,
  PATH_FIELDS,
  SAVE_TARGETS,
  chooseImportSource,
  chooseSaveTarget,
  importDroppedFile,
  rendererInvoke,
} from '../../workers/host/file-access';
import { cleanupDirs, tempDir } from '../support/core';

afterAll(cleanupDirs);

/** A core stand-in that records what reached it (the policy only forwards; the core's own checks are tested with a real core). */
function recorder() {
  const calls: Array<{ method: MethodName; input: unknown }> = [];
  const invoke = async (method: MethodName, input: unknown): Promise<Result<unknown>> => {
    calls.push({ method, input });
    return ok('done');
  };
  return { calls, invoke };
}

describe('file handles', () => {
  it('are opaque, bound to their purpose, and a save target is spent by one write', () => {
    const handles = new FileHandles();
    const source = handles.issue('/home/ada/books.csv', 'import');
    expect(source.name).toBe('books.csv');
    expect(source.handle).toMatch(FILE_HANDLE_PATTERN);
    expect(source.handle).not.toContain('ada');
    expect(handles.redeem(source.handle, 'backup')).toBeNull();
    // An import source serves every preview of the session (options change, the preview runs again).
    expect(handles.redeem(source.handle, 'import')).toBe('/home/ada/books.csv');
    expect(handles.redeem(source.handle, 'import')).toBe('/home/ada/books.csv');

    const target = handles.issue('/home/ada/backup.tar.gz', 'backup');
    expect(handles.redeem(target.handle, 'goodreads-export')).toBeNull();
    expect(handles.redeem(target.handle, 'backup')).toBe('/home/ada/backup.tar.gz');
    expect(handles.redeem(target.handle, 'backup')).toBeNull();
    expect(handles.redeem('lumin-file:00000000000000000000000000000000', 'import')).toBeNull();
    expect(handles.redeem({ handle: source.handle }, 'import')).toBeNull();
    expect(() => handles.issue('relative/file.csv', 'import')).toThrow(/absolute/);
  });

  it('expire, and the oldest go when too many are held', () => {
    let now = 0;
    const handles = new FileHandles({ now: () => now });
    const target = handles.issue('/tmp/out.csv', 'goodreads-export');
    const source = handles.issue('/tmp/in.csv', 'import');
    now = 11 * 60 * 1000;
    expect(handles.redeem(target.handle, 'goodreads-export')).toBeNull();
    expect(handles.redeem(source.handle, 'import')).toBe('/tmp/in.csv');
    now = 13 * 60 * 60 * 1000;
    expect(handles.redeem(source.handle, 'import')).toBeNull();

    const first = handles.issue('/tmp/first.csv', 'import');
    for (let index = 0; index < 64; index++) handles.issue(`/tmp/${index}.csv`, 'import');
    expect(handles.redeem(first.handle, 'import')).toBeNull();
  });
});

describe('the renderer bridge', () => {
  it('refuses every path field, with a sentence naming the field and the way to choose a file', async () => {
    const core = recorder();
    const invoke = rendererInvoke(core.invoke, new FileHandles());
    const preview = await invoke('imports.preview', { path: '/etc/passwd' });
    expect(preview).toMatchObject({ ok: false, error: { code: 'forbidden', details: { field: 'path' } } });
    expect(!preview.ok && preview.error.message).toMatch(
      /^imports\.preview: path: the app cannot name a file; choose it in the open dialog/,
    );
    const backup = await invoke('backup.create', { out: '/tmp/x' });
    expect(!backup.ok && backup.error.message).toMatch(/^backup\.create: out: .*save dialog/);
    expect(
      await invoke('imports.export', { readerId: 'r', format: 'goodreads', out: '/tmp/x' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // A handle field and a path field together: still refused.
    expect((await invoke('imports.preview', { path: '/etc/passwd', file: 'lumin-file:x' })).ok).toBe(false);
    // Path-like fields on any other method, and model folders.
    expect((await invoke('books.list', { path: '/etc' })).ok).toBe(false);
    expect((await invoke('models.use', { id: 'folder:/home/ada/model' })).ok).toBe(false);
    expect(await invoke('imports.upload', { name: 'x.csv', base64: 'eA==' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(core.calls).toEqual([]);
  });

  it('swaps a handle for its path, once for a save target, and refuses handles of another purpose', async () => {
    const core = recorder();
    const handles = new FileHandles();
    const invoke = rendererInvoke(core.invoke, handles);
    const source = handles.issue('/home/ada/books.csv', 'import');
    const target = handles.issue('/home/ada/shelf.csv', 'goodreads-export');

    // IPC's structured clone keeps keys whose value is undefined: those name nothing.
    expect(
      await invoke('imports.preview', { file: source.handle, path: undefined, readerName: 'Ada' }),
    ).toEqual(ok('done'));
    expect(await invoke('backup.create', { target: source.handle })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', details: { field: 'target' } },
    });
    expect(await invoke('backup.create', { target: target.handle })).toMatchObject({ ok: false });
    expect(
      await invoke('imports.export', { readerId: 'r', format: 'goodreads', target: target.handle }),
    ).toEqual(ok('done'));
    const again = await invoke('imports.export', {
      readerId: 'r',
      format: 'goodreads',
      target: target.handle,
    });
    expect(!again.ok && again.error.message).toMatch(
      /imports\.export: target: not a file handle .*choose the file again/,
    );
    expect(await invoke('backup.create', undefined)).toEqual(ok('done'));
    expect(core.calls).toEqual([
      { method: 'imports.preview', input: { readerName: 'Ada', path: '/home/ada/books.csv' } },
      { method: 'imports.export', input: { readerId: 'r', format: 'goodreads', out: '/home/ada/shelf.csv' } },
      { method: 'backup.create', input: undefined },
    ]);
  });

  it('knows every path-like input field of the contract', () => {
    const pathLike = /path|out$|dir|folder|file/i;
    const fields: string[] = [];
    for (const method of METHOD_NAMES) {
      const schema = z.toJSONSchema(inputSchemas[method], { io: 'input', unrepresentable: 'any' });
      const variants = [schema, ...((schema.anyOf ?? []) as (typeof schema)[])];
      for (const variant of variants)
        for (const field of Object.keys(variant.properties ?? {})) fields.push(`${method}.${field}`);
    }
    const found = fields.filter((entry) => pathLike.test(entry.split('.').at(-1) ?? ''));
    expect(found.length).toBeGreaterThan(0);
    for (const entry of found) {
      const [method, field] = entry.split(/\.(?=[^.]+$)/) as [MethodName, string];
      const argument = FILE_ARGUMENTS[method];
      const known = PATH_FIELDS.has(field) || argument?.handleField === field;
      expect(known, `${entry} names a file: add it to PATH_FIELDS or FILE_ARGUMENTS`).toBe(true);
    }
    for (const [method, argument] of Object.entries(FILE_ARGUMENTS))
      expect(fields, method).toEqual(
        expect.arrayContaining([`${method}.${argument.pathField}`, `${method}.${argument.handleField}`]),
      );
  });
});

describe('dialogs and drops', () => {
  it('the open dialog and each save dialog give handles of their own purpose; cancelling gives nothing', async () => {
    const handles = new FileHandles();
    const shown: unknown[] = [];
    const answer = (path: string | null) => async (request: unknown) => (shown.push(request), path);
    const source = await chooseImportSource(handles, answer('/home/ada/list.csv'));
    expect(source?.name).toBe('list.csv');
    expect(handles.redeem(source?.handle, 'import')).toBe('/home/ada/list.csv');
    expect(await chooseImportSource(handles, answer(null))).toBeNull();

    const now = new Date('2026-12-06T08:00:00Z');
    for (const kind of SAVE_TARGET_KINDS) {
      const target = await chooseSaveTarget(handles, kind, answer(`/home/ada/${kind}`), now);
      expect(handles.redeem(target?.handle, kind)).toBe(`/home/ada/${kind}`);
      expect(shown.at(-1)).toEqual(SAVE_TARGETS[kind](now));
    }
    expect(SAVE_TARGETS.backup(now).defaultPath).toBe('lumin-backup-2026-12-06.tar.gz');
    const before = shown.length;
    expect(await chooseSaveTarget(handles, 'passwd', answer('/etc/passwd'))).toBeNull();
    expect(shown).toHaveLength(before);
  });

  it('a dropped file must be a file on disk', async () => {
    const handles = new FileHandles();
    const folder = tempDir('lumin-drop-');
    const path = join(folder, 'roster.csv');
    writeFileSync(path, 'name\nAda\n');
    mkdirSync(join(folder, 'a-folder'));
    const dropped = await importDroppedFile(handles, path);
    expect(dropped.ok && handles.redeem(dropped.value.handle, 'import')).toBe(path);
    // webUtils.getPathForFile gives '' for a File a page made itself.
    for (const bad of ['', 'roster.csv', join(folder, 'a-folder'), join(folder, 'gone.csv'), 42])
      expect(await importDroppedFile(handles, bad)).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument', details: { field: 'file' } },
      });
  });
});
