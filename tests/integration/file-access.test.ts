/**
 * Files only through the user, on the real core: through the renderer's bridge policy the old
 * path-taking forms fail and nothing is read or written; the handle forms import, back up and
 * export; a dropped file is imported from disk by the core (no bytes in the call); the core refuses
 * a handle no host resolved; the CLI's path forms still work.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodreadsExport } from '../../bench/fixtures/goodreads';
import type { Core } from '../../workers/host/core';
import {
  FileHandles,
  chooseImportSource,
  chooseSaveTarget,
  importDroppedFile,
  rendererInvoke,
} from '../../workers/host/file-access';
import { cleanupDirs, failure, open, tempDir, value } from '../support/core';

let core: Core;
let readerId: string;
const user = tempDir('lumin-user-');

beforeAll(async () => {
  core = await open();
  readerId = value(await core.api.readers.add({ name: 'Ada Park' })).id;
  // Ada's shelves (what the Goodreads export writes), imported the CLI's way.
  const history = userFile('history.csv', goodreadsExport(5));
  const preview = value(await core.api.imports.preview({ path: history, readerId }));
  value(await core.api.imports.commit({ previewId: preview.previewId }));
});
afterAll(async () => {
  await core.close();
  cleanupDirs();
});

/** A file of the user's, as a dialog or a drop would find it. */
function userFile(name: string, content: string): string {
  const path = join(user, name);
  writeFileSync(path, content);
  return path;
}

const CATALOG = [
  'Title,Author,ISBN13',
  'Holes,Louis Sachar,9780440414803',
  'Wonder,R.J. Palacio,9780375869020',
].join('\n');

describe('the renderer bridge on the real core', () => {
  it('refuses the path forms: nothing is read back, nothing is written', async () => {
    const invoke = rendererInvoke(core.invoke, new FileHandles());
    const secret = userFile('secret.csv', 'Title\nTOP-SECRET-LINE\n');
    const preview = await invoke('imports.preview', { path: secret });
    expect(failure(preview).code).toBe('forbidden');
    expect(JSON.stringify(preview)).not.toContain('TOP-SECRET-LINE');

    const backupOut = join(user, 'over.tar.gz');
    const exportOut = join(user, 'over.csv');
    writeFileSync(exportOut, 'keep me');
    expect(failure(await invoke('backup.create', { out: backupOut })).code).toBe('forbidden');
    expect(
      failure(await invoke('imports.export', { readerId, format: 'goodreads', out: exportOut })).code,
    ).toBe('forbidden');
    expect(existsSync(backupOut)).toBe(false);
    expect(readFileSync(exportOut, 'utf8')).toBe('keep me');
    expect(value(await core.api.backup.list())).toEqual([]);
    // The base64 upload is gone from the contract.
    expect(failure(await invoke('imports.upload', { name: 'x.csv', base64: 'eA==' })).code).toBe(
      'unknown_method',
    );
    expect('upload' in core.api.imports).toBe(false);
  });

  it('imports a file chosen in the open dialog by handle', async () => {
    const handles = new FileHandles();
    const invoke = rendererInvoke(core.invoke, handles);
    const chosen = await chooseImportSource(handles, async () => userFile('catalog.csv', CATALOG));
    if (!chosen) throw new Error('the dialog answered');
    const preview = value(await invoke('imports.preview', { file: chosen.handle })) as {
      previewId: string;
      rows: number;
    };
    expect(preview.rows).toBe(2);
    const result = value(await invoke('imports.commit', { previewId: preview.previewId })) as {
      imported: number;
    };
    expect(result.imported).toBe(2);
    // A made-up handle reads nothing.
    const madeUp = await invoke('imports.preview', { file: 'lumin-file:0123456789abcdef0123456789abcdef' });
    expect(failure(madeUp)).toMatchObject({ code: 'invalid_argument', details: { field: 'file' } });
  });

  it('imports a dropped file from disk: the call carries a handle of a few dozen bytes, not the file', async () => {
    const handles = new FileHandles();
    const invoke = rendererInvoke(core.invoke, handles);
    const rows = Array.from({ length: 3000 }, (_, index) => `Dropped book ${index},Author ${index},`);
    const path = userFile('dropped.csv', ['Title,Author,ISBN13', ...rows].join('\n'));
    const dropped = value(await importDroppedFile(handles, path));
    expect(dropped.name).toBe('dropped.csv');
    const input = { file: dropped.handle };
    expect(JSON.stringify(input).length).toBeLessThan(100);
    expect(statSync(path).size).toBeGreaterThan(50_000);
    const preview = value(await invoke('imports.preview', input)) as {
      previewId: string;
      rows: number;
      path: string;
    };
    expect(preview).toMatchObject({ rows: 3000, path });
    expect(value(await invoke('imports.commit', { previewId: preview.previewId }))).toMatchObject({
      imported: 3000,
    });
  });

  it('backs up and exports to save-dialog targets, once per handle', async () => {
    const handles = new FileHandles();
    const invoke = rendererInvoke(core.invoke, handles);
    const backupPath = join(user, 'chosen-backup.tar.gz');
    const backupTarget = await chooseSaveTarget(handles, 'backup', async () => backupPath);
    if (!backupTarget) throw new Error('the dialog answered');
    expect(value(await invoke('backup.create', { target: backupTarget.handle }))).toMatchObject({
      path: backupPath,
    });
    expect(statSync(backupPath).size).toBeGreaterThan(0);
    expect(failure(await invoke('backup.create', { target: backupTarget.handle })).code).toBe(
      'invalid_argument',
    );

    const exportPath = join(user, 'chosen-shelf.csv');
    const exportTarget = await chooseSaveTarget(handles, 'goodreads-export', async () => exportPath);
    if (!exportTarget) throw new Error('the dialog answered');
    expect(
      value(await invoke('imports.export', { readerId, format: 'goodreads', target: exportTarget.handle })),
    ).toMatchObject({ path: exportPath, books: 5 });
    expect(readFileSync(exportPath, 'utf8').split('\n').filter(Boolean)).toHaveLength(6);
  });
});

describe('the core itself', () => {
  it('removes the upload copies an earlier version kept in the data folder', async () => {
    const dataDir = tempDir('lumin-legacy-');
    mkdirSync(join(dataDir, 'imports'));
    writeFileSync(join(dataDir, 'imports', '1234-roster.csv'), 'Name,Grade\nPriya Legacyupload,4\n');
    const opened = await open({ dataDir });
    try {
      expect(existsSync(join(dataDir, 'imports'))).toBe(false);
    } finally {
      await opened.close();
    }
  });

  it('refuses a handle no host resolved, and keeps the CLI path forms', async () => {
    const handle = 'lumin-file:0123456789abcdef0123456789abcdef';
    const unresolved = failure(await core.api.imports.preview({ file: handle }));
    expect(unresolved).toMatchObject({ code: 'invalid_argument', details: { field: 'file' } });
    expect(unresolved.message).toMatch(
      /^imports\.preview: file: a file handle is only understood by the app's host/,
    );
    expect(failure(await core.api.backup.create({ target: handle })).code).toBe('invalid_argument');
    expect(value(await core.api.backup.list())).toHaveLength(0);
    expect(
      failure(await core.api.imports.export({ readerId, format: 'goodreads', target: handle })).code,
    ).toBe('invalid_argument');
    expect(failure(await core.api.imports.preview({})).message).toMatch(/path.*file.*exactly one/);
    expect(failure(await core.api.imports.preview({ path: '/x.csv', file: handle })).code).toBe(
      'invalid_argument',
    );

    const path = userFile('cli.csv', CATALOG);
    expect(value(await core.api.imports.preview({ path })).rows).toBe(2);
    const out = join(tempDir('lumin-cli-out-'), 'shelf.csv');
    expect(value(await core.api.imports.export({ readerId, format: 'goodreads', out })).books).toBe(5);
    expect(existsSync(out)).toBe(true);
  });
});
