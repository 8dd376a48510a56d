/**
 * `npm run bench -- parse --mb 50 --json`: streams a generated Goodreads export of about that size
 * through the import parser in a fresh process and reports rows, parse_ms, mb_per_s and the RSS the
 * parse added at its peak (the parsers' streaming promise: a 50 MB file costs well under 200 MB).
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProbe, runProbe } from './build-core';
import { goodreadsExport } from './fixtures/goodreads';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs the benchmark and returns the JSON line's object. */
export async function runParseBench(args: string[]): Promise<Record<string, number>> {
  const index = args.indexOf('--mb');
  const megabytes = index >= 0 ? Number(args[index + 1]) : 50;
  if (!Number.isFinite(megabytes) || megabytes <= 0) throw new Error('--mb must be a positive number');
  const probe = await buildProbe(root, 'parse-probe');
  const scratch = mkdtempSync(join(tmpdir(), 'lumin-bench-parse-'));
  try {
    const file = join(scratch, 'goodreads_library_export.csv');
    // Written in slices of 20,000 rows (header once), so the generator never holds the whole file either.
    const fd = openSync(file, 'w');
    for (let slice = 0; statSync(file).size < megabytes * 1024 * 1024; slice += 1) {
      const text = goodreadsExport(20_000, slice + 1);
      writeSync(fd, slice === 0 ? text : text.slice(text.indexOf('\r\n') + 2));
    }
    closeSync(fd);
    const result = runProbe<Record<string, number>>(probe, [file, 'goodreads']);
    const bytes = result.bytes ?? 0;
    return {
      mb: Number((bytes / 1024 / 1024).toFixed(1)),
      rows: result.rows ?? 0,
      parse_ms: Math.round(result.parse_ms ?? NaN),
      mb_per_s: Number((bytes / 1024 / 1024 / ((result.parse_ms ?? NaN) / 1000)).toFixed(1)),
      extra_rss_mb: Math.round(result.extra_rss_mb ?? NaN),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
