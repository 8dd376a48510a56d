/** `lumin import` and `lumin export` as a user runs them. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goodreadsExport } from '../../bench/fixtures/goodreads';
import { cleanupDirs, tempDir } from '../support/core';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'lumin.js');
afterAll(cleanupDirs);

function lumin(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

function status(dataDir: string) {
  return (JSON.parse(lumin(dataDir, 'status', '--json').stdout) as { counts: Record<string, number> }).counts;
}

describe('lumin import / export', () => {
  const files = tempDir('lumin-cli-files-');
  const goodreads = join(files, 'goodreads_library_export.csv');
  writeFileSync(goodreads, goodreadsExport(25));

  it('imports with --json printing exactly the documented object, and re-imports as duplicates', () => {
    const dataDir = tempDir();
    const first = lumin(dataDir, 'import', goodreads, '--reader', 'Ada', '--json');
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(
      ['books', 'duplicates', 'failed', 'format', 'imported', 'interactions', 'rows', 'updated'].sort(),
    );
    expect(result).toMatchObject({ format: 'goodreads', rows: 25, imported: 25, books: 25, failed: [] });
    const again = JSON.parse(
      lumin(dataDir, 'import', goodreads, '--reader', 'Ada', '--json').stdout,
    ) as Record<string, unknown>;
    expect(again).toMatchObject({ imported: 0, duplicates: 25, interactions: 0 });
  });

  it('writes nothing on --dry-run, and shows what would happen', () => {
    const dataDir = tempDir();
    const dry = lumin(dataDir, 'import', goodreads, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run');
    expect(dry.stdout).toContain('goodreads, 25 rows');
    expect(status(dataDir).books).toBe(0);
  });

  it('exits non-zero with nothing written for an unreadable file, or with --strict and a bad row', () => {
    const dataDir = tempDir();
    const binary = join(files, 'cover.jpg');
    writeFileSync(
      binary,
      Uint8Array.from({ length: 2048 }, (_, index) => (index * 97 + 3) % 256),
    );
    const unreadable = lumin(dataDir, 'import', binary);
    expect(unreadable.code).not.toBe(0);
    expect(unreadable.stderr).toMatch(/^lumin: .*cannot be read as any format/);

    const bad = join(files, 'isbns.txt');
    writeFileSync(bad, '9780440414803\n9780440414804\n0689840926\n');
    const strict = lumin(dataDir, 'import', bad, '--strict');
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('nothing was imported');
    expect(status(dataDir).books).toBe(0);

    const lenient = lumin(dataDir, 'import', bad, '--json');
    expect(lenient.code).toBe(0);
    const result = JSON.parse(lenient.stdout) as {
      imported: number;
      failed: { row: number; field: string; reason: string }[];
    };
    expect(result.imported).toBe(2);
    expect(result.failed).toContainEqual(expect.objectContaining({ row: 2 }));
  });

  it('exports a reader and imports the file into a fresh library', () => {
    const dataDir = tempDir();
    lumin(dataDir, 'import', goodreads, '--reader', 'Ada');
    const out = join(files, 'ada-export.csv');
    const exported = lumin(dataDir, 'export', 'Ada', '--format', 'goodreads', '--out', out);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('Wrote 25 books');
    const fresh = tempDir();
    const back = JSON.parse(lumin(fresh, 'import', out, '--reader', 'Ada', '--json').stdout) as Record<
      string,
      unknown
    >;
    expect(back).toMatchObject({ format: 'goodreads', rows: 25, imported: 25 });
    expect(status(fresh)).toMatchObject({ books: 25, interactions: status(dataDir).interactions });
  });
});
