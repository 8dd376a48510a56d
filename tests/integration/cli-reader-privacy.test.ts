/** `lumin readers update --no-sync`, `lumin readers export`, `lumin sync rotate`, `lumin readers remove` as a user runs them. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readerExportSchema } from '../../shared/contract/reader-export';
import { cleanupDirs, tempDir } from '../support/core';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'lumin.js');
const dataDir = tempDir('lumin-cli-privacy-');
afterAll(cleanupDirs);

function lumin(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LUMIN_DATA_DIR: dataDir },
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('lumin readers: a student’s data', () => {
  it('sets the sync choice, exports, rotates and erases', () => {
    expect(lumin('readers', 'add', 'Tomasz Wren', '--grade', '3', '--notes', 'likes maps').code).toBe(0);
    const off = lumin('readers', 'update', 'Tomasz Wren', '--no-sync', '--json');
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)).toMatchObject({ name: 'Tomasz Wren', sync: false });
    expect(lumin('readers', 'update', 'Tomasz Wren').code).not.toBe(0);

    const out = join(tempDir('lumin-cli-export-'), 'tomasz.json');
    const exported = lumin('readers', 'export', 'Tomasz Wren', '--out', out);
    expect(exported.code).toBe(0);
    const document = readerExportSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(document.reader).toMatchObject({ name: 'Tomasz Wren', notes: 'likes maps' });

    const rotated = lumin('sync', 'rotate', 'Tomasz Wren', '--json');
    expect(rotated.code).toBe(0);
    // Sync was never used on this device: nothing to ask a server.
    expect(JSON.parse(rotated.stdout)).toMatchObject({ eraseQueued: false });

    const removed = lumin('readers', 'remove', 'Tomasz Wren', '--json');
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ deleted: { readers: 1 }, eraseQueued: false });
    expect(lumin('readers', 'show', 'Tomasz Wren').code).not.toBe(0);
  }, 600_000);
});
