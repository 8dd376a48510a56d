/**
 * `npm run bench -- cli --json`: wall time of the `lumin` command as a user runs it (a new Node
 * process each time, `node bin/lumin.js …`) on an existing library of 10,000 books with embeddings:
 *   status_ms        `lumin status`, median of 7 runs
 *   recommend_ms     `lumin recommend Ada --k 10`, median of 7 runs
 *   status_source_ms / recommend_source_ms   the same from the TypeScript source through tsx
 *                    (LUMIN_FROM_SOURCE=1), measured in the same run for comparison
 * Options: --books N (default 10,000), --runs N (default 7).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goodreadsExport } from './fixtures/goodreads';
import { option } from './options';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'lumin.js');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function lumin(dataDir: string, args: string[], fromSource = false): string {
  return execFileSync(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    env: { ...process.env, LUMIN_FROM_SOURCE: fromSource ? '1' : '0' },
  });
}

function timed(dataDir: string, args: string[], runs: number, fromSource = false): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    lumin(dataDir, args, fromSource);
    times.push(performance.now() - started);
  }
  return Math.round(median(times));
}

/** Runs the benchmark and returns the JSON line's object. */
export async function runCliBench(args: string[]): Promise<Record<string, number>> {
  const books = option(args, 'books', 10_000);
  const runs = option(args, 'runs', 7);
  const scratch = mkdtempSync(join(tmpdir(), 'lumin-bench-cli-'));
  try {
    const dataDir = join(scratch, 'data');
    const catalogue = join(scratch, 'goodreads_library_export.csv');
    writeFileSync(catalogue, goodreadsExport(books));
    // The library: a teacher's shelf of `books` books, a student with a little history, embeddings.
    const setupStarted = performance.now();
    lumin(dataDir, ['import', catalogue, '--reader', 'Shelf']);
    lumin(dataDir, ['readers', 'add', 'Ada', '--grade', '4', '--age', '9', '--interests', 'dragons, space']);
    const titles = JSON.parse(lumin(dataDir, ['books', 'list', '--limit', '5', '--json'])) as {
      id: string;
    }[];
    for (const book of titles) lumin(dataDir, ['log', 'Ada', book.id, 'thumbs_up']);
    lumin(dataDir, ['embed', '--wait']);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    lumin(dataDir, ['status']); // one unmeasured run: the file cache is warm for every measured one
    return {
      books,
      status_ms: timed(dataDir, ['status'], runs),
      recommend_ms: timed(dataDir, ['recommend', 'Ada', '--k', '10'], runs),
      status_source_ms: timed(dataDir, ['status'], runs, true),
      recommend_source_ms: timed(dataDir, ['recommend', 'Ada', '--k', '10'], runs, true),
      setup_s: Math.round(setupSeconds * 10) / 10,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
