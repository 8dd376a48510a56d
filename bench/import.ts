/**
 * `npm run bench -- import --rows 10000 --json`: generates a Goodreads export with that many rows and
 * imports it (preview, then commit for a new reader) into a new library with the bundled core, in a
 * fresh process. Prints rows, preview_ms, commit_ms, rows_per_s (committed rows per second of commit)
 * and peak_rss_mb (process RSS, main thread and workers, during preview and commit).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCore, buildProbe, runProbe } from './build-core';
import { goodreadsExport } from './fixtures/goodreads';
import { option } from './options';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs the benchmark and returns the JSON line's object. */
export async function runImportBench(args: string[]): Promise<Record<string, number>> {
  const rows = option(args, 'rows', 10_000);
  const hostModule = await buildCore(root);
  const probe = await buildProbe(root, 'import-probe');
  const scratch = mkdtempSync(join(tmpdir(), 'lumin-bench-import-'));
  try {
    const file = join(scratch, 'goodreads_library_export.csv');
    writeFileSync(file, goodreadsExport(rows));
    const result = runProbe<Record<string, number>>(probe, [hostModule, join(scratch, 'data'), file]);
    return {
      rows: result.rows ?? 0,
      preview_ms: Math.round(result.preview_ms ?? NaN),
      commit_ms: Math.round(result.commit_ms ?? NaN),
      rows_per_s: Math.round((result.rows ?? 0) / ((result.commit_ms ?? NaN) / 1000)),
      peak_rss_mb: Math.round(result.peak_rss_mb ?? NaN),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
