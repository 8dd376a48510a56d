/**
 * `npm run bench -- core --json`: open times, call latency through the worker boundary, insert
 * throughput and memory of the bundled core. Each open is measured in a fresh Node process.
 *   first_open_ms      new data directory (template copy + migrations), median of 5 fresh processes
 *   reopen_ms          existing directory, median of 5 fresh processes
 *   call_p50_ms/p95_ms a trivial call (status.ping) through validation, comlink and the worker thread
 *   insert_rows_per_s  books through books.addMany in batches of 1,000 (20,000 rows)
 *   rss_mb             process RSS (main thread + workers) right after a reopen, median of 5
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCore, buildProbe, runProbe } from './build-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}

/** Runs the benchmark and returns the JSON line's object. */
export async function runCoreBench(_args: string[]): Promise<Record<string, number>> {
  const hostModule = await buildCore(root);
  const coreProbe = await buildProbe(root, 'core-probe');
  const probe = (dataDir: string, mode: 'open' | 'full') =>
    runProbe<Record<string, number>>(coreProbe, [hostModule, dataDir, mode]);

  const firstOpens: number[] = [];
  const reopens: number[] = [];
  const rss: number[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'lumin-bench-'));
  try {
    for (let run = 0; run < 5; run += 1) {
      const dataDir = join(scratch, `run-${run}`);
      const first = probe(dataDir, 'open');
      if (first.created !== ('template' as unknown as number))
        throw new Error(`expected a template copy, got ${String(first.created)}`);
      firstOpens.push(first.open_ms as number);
      const again = probe(dataDir, 'open');
      reopens.push(again.open_ms as number);
      rss.push(again.rss_mb as number);
    }
    const full = probe(join(scratch, 'run-0'), 'full');
    return {
      first_open_ms: round(median(firstOpens), 1),
      reopen_ms: round(median(reopens), 1),
      call_p50_ms: round(full.call_p50_ms as number),
      call_p95_ms: round(full.call_p95_ms as number),
      insert_rows_per_s: Math.round(full.insert_rows_per_s as number),
      rss_mb: round(median(rss), 1),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
