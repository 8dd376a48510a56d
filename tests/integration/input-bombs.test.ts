/**
 * Hostile inputs, each read in its own process through the real import or restore path: the read
 * stops with an error naming the file, the row and the cap, and the process's peak RSS stays under
 * 600 MB. The files are built by the child (tests/support/input-bombs.ts) in a temp folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDirs, tempDir } from '../support/core';

afterAll(cleanupDirs);

const script = fileURLToPath(new URL('../support/input-bombs.ts', import.meta.url));
const PEAK_RSS_MB = 600;

function runShape(shape: string, folder: string) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, shape, folder], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
    error?: string;
    details?: Record<string, unknown>;
    maxRssMb: number;
  };
}

describe('hostile inputs stay bounded', () => {
  const IMPORTS: [name: string, shape: string, file: string, cap: string][] = [
    [
      '100 MB in one line',
      'one-line',
      'one-line.csv',
      'row 2: field 1 is longer than the limit of 4,000,000 characters',
    ],
    [
      '100,000 nested arrays',
      'nested-arrays',
      'nested.json',
      'row 2: the JSON nests deeper than the limit of 64 levels',
    ],
    [
      '1,000,000 MARC fields in one record',
      'marc-fields',
      'fields.xml',
      'row 1: MARC record 1 has more than the limit of 5,000 fields',
    ],
  ];
  for (const [name, shape, file, cap] of IMPORTS)
    it(
      name,
      () => {
        const folder = tempDir();
        const outcome = runShape(shape, folder);
        expect(outcome.error).toBe(`${join(folder, file)}: ${cap}; nothing imported`);
        expect(outcome.maxRssMb).toBeLessThan(PEAK_RSS_MB);
      },
      150_000,
    );

  it('a 10 MB gzip that expands to 10 GB, restored', () => {
    const folder = tempDir();
    const outcome = runShape('gzip-bomb', folder);
    expect(outcome.error).toMatch(
      /^restore: bomb\.tar\.gz expands to more than [\d,]+ bytes, the restore limit \(setting backup\.restoreMaxBytes; by default 10 × the library size\); nothing was restored$/,
    );
    expect(outcome.details?.limit).toBeLessThan(200 * 1_048_576);
    expect(outcome.maxRssMb).toBeLessThan(PEAK_RSS_MB);
    // Nothing restored and nothing left behind: no database, no staging folder.
    const data = join(folder, 'data');
    expect(existsSync(data) ? readdirSync(data) : []).toEqual([]);
  }, 150_000);
});
