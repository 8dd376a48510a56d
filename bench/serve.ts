/**
 * `npm run bench -- serve [--books 100000] [--readers 1000] --json`: the serving chain's latency through
 * the worker boundary of the bundled core, on a synthetic catalogue with clustered 384-d unit vectors
 * (no model needed), measured in a fresh Node process.
 *   books, readers          the synthetic catalogue (~20 interactions and a profile vector per reader)
 *   setup_s                 bulk load through PGlite directly, plus the HNSW build
 *   nightly_s               the nightly job (ALS retrain + batch lists) through jobs.run
 *   warm_s                  opening the core → its serving memory loaded (status.serving.warm: facts,
 *                           int8 vectors, reader states); every latency below is measured once warm,
 *                           after 200 unmeasured requests (the JIT's warm-up)
 *   recall_at_20            HNSW top 20 vs exact top 20 (nearestBooks), 100 reader-like queries: the
 *                           content ANN until the serving memory is warm
 *   scan_recall_at_20/_100  the serving memory's scan (what serves content candidates once warm), its
 *                           top 100 vs exact float search, 100 reader-like queries
 *   cache_p50_ms/p95_ms     recommend.get served from the in-memory cache, 200 readers back to back
 *   cache_idle_p50_ms/p95_ms  the same with 10 ms between calls (no impression write queued ahead)
 *   personalised_p50_ms/p95_ms  recommend.get with fresh: true, 200 readers (source personalised)
 *   batch_p95_ms            fresh lists from the nightly batch (active model without vectors, no ALS model)
 *   popular_p95_ms          fresh lists from popularity (no batch lists, no ALS model, no vectors)
 *   feedback_to_fresh_ms    thumbs down + the next recommend.get (the cache dropped), p50 of 50 readers
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCore, buildProbe, runProbe } from './build-core';
import { option } from './options';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs the benchmark and returns the JSON line's object. */
export async function runServeBench(args: string[]): Promise<Record<string, unknown>> {
  const books = option(args, 'books', 100_000);
  const readers = option(args, 'readers', 1000);
  if (books < 1000) throw new Error('--books must be at least 1000 (50 clusters of 20+ books)');

  // The bundled core, as the desktop app ships it, measured in a fresh process.
  const hostModule = await buildCore(root);
  const probe = await buildProbe(root, 'serve-probe');
  const scratch = mkdtempSync(join(tmpdir(), 'lumin-bench-serve-'));
  try {
    return runProbe(probe, [hostModule, join(scratch, 'data'), String(books), String(readers)]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
