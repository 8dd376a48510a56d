/**
 * One hostile input per run, in its own process so the test can read this process's peak RSS:
 * `node --import tsx input-bombs.ts SHAPE FOLDER` builds the file in FOLDER, reads it through the
 * real import (or restore) path and prints one JSON line `{ "error": …, "details": …, "maxRssMb": … }`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LuminFailure } from '../../shared/contract/errors';
import { restoreSnapshot } from '../../workers/db/backup';
import { openSource, parseBatches } from '../../workers/db/import/source';
import { migrationsDir } from '../../workers/db/layout';

const [shape, folder] = process.argv.slice(2) as [string, string];

/** Writes `head`, `unit` × `count` (in pieces of about 1 MB) and `tail` to `path`. */
function writeRepeated(path: string, head: string, unit: string, count: number, tail: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    const perPiece = Math.max(1, Math.floor(1_048_576 / unit.length));
    const piece = Buffer.from(unit.repeat(perPiece));
    let written = 0;
    for (; written + perPiece <= count; written += perPiece) writeSync(fd, piece);
    if (written < count) writeSync(fd, unit.repeat(count - written));
    writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}

async function importFile(path: string, format: 'auto' | 'json'): Promise<number> {
  const source = await openSource(path, format, undefined);
  let rows = 0;
  for await (const batch of parseBatches(source, 2500)) rows += batch.length;
  return rows;
}

/** A gzip of many members (each 1 MB of zeros) after a tar header announcing one huge file. */
function writeGzipBomb(path: string, expandedBytes: number): void {
  const header = Buffer.alloc(512);
  header.write('base/1/bomb', 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write('77777777777\0', 124); // 8 GiB, the most an octal size field holds
  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\x0000', 257);
  header.write('        ', 148);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const member = gzipSync(Buffer.alloc(1_048_576), { level: 9 });
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, gzipSync(header));
    for (let done = 0; done < expandedBytes; done += 1_048_576) writeSync(fd, member);
  } finally {
    closeSync(fd);
  }
}

async function run(): Promise<unknown> {
  switch (shape) {
    case 'one-line': {
      const path = join(folder, 'one-line.csv');
      writeRepeated(path, 'title,isbn\n', 'x', 100 * 1_048_576, '\n');
      return importFile(path, 'auto');
    }
    case 'nested-arrays': {
      const path = join(folder, 'nested.json');
      writeRepeated(path, '[{"title": "Fine"}, ', '[', 100_000, `${']'.repeat(100_000)}]`);
      return importFile(path, 'json');
    }
    case 'marc-fields': {
      const path = join(folder, 'fields.xml');
      writeRepeated(
        path,
        '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000 i 4500</leader>',
        '<controlfield tag="005">1</controlfield>',
        1_000_000,
        '</record></collection>',
      );
      return importFile(path, 'auto');
    }
    case 'gzip-bomb': {
      const path = join(folder, 'bomb.tar.gz');
      writeGzipBomb(path, 10 * 1024 * 1_048_576);
      return restoreSnapshot(path, join(folder, 'data'), migrationsDir());
    }
    default:
      throw new Error(`unknown shape ${shape}`);
  }
}

let outcome: { error?: string; details?: unknown; result?: unknown };
try {
  outcome = { result: await run() };
} catch (error) {
  outcome =
    error instanceof LuminFailure
      ? { error: error.message, details: error.details }
      : { error: `unexpected: ${(error as Error).stack ?? String(error)}` };
}
process.stdout.write(`${JSON.stringify({ ...outcome, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
