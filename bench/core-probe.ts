/**
 * One measurement in a fresh process (so "first open" pays every cold cost a user's first launch
 * does): `node core-probe.js HOST_MODULE DATA_DIR`. Prints one JSON line.
 */
import { randomUUID } from 'node:crypto';
import type * as CoreModule from '../workers/host/core';

const [hostModule, dataDir, mode] = process.argv.slice(2);
if (!hostModule || !dataDir) throw new Error('usage: core-probe HOST_MODULE DATA_DIR [open|full]');

const { openCore } = (await import(hostModule)) as typeof CoreModule;
const started = performance.now();
const opened = await openCore({ dataDir, autoBackup: false, purpose: 'bench' });
const openMs = performance.now() - started;
if (!opened.ok) throw new Error(opened.error.message);
const core = opened.value;
const rssMb = process.memoryUsage().rss / 1024 / 1024;
const result: Record<string, number | string | false> = {
  open_ms: openMs,
  rss_mb: rssMb,
  created: core.opened.created,
  cluster_ms: core.opened.timings.cluster,
  migrate_ms: core.opened.timings.migrate,
};

if (mode === 'full') {
  for (let index = 0; index < 500; index += 1) await core.api.status.ping(); // warm-up
  const samples: number[] = [];
  for (let index = 0; index < 5000; index += 1) {
    const before = performance.now();
    await core.api.status.ping();
    samples.push(performance.now() - before);
  }
  samples.sort((a, b) => a - b);
  result.call_p50_ms = samples[Math.floor(samples.length * 0.5)] ?? NaN;
  result.call_p95_ms = samples[Math.floor(samples.length * 0.95)] ?? NaN;

  const total = 20_000;
  const batchSize = 1000;
  const insertStarted = performance.now();
  for (let offset = 0; offset < total; offset += batchSize) {
    const books = Array.from({ length: batchSize }, (_, index) => ({
      title: `Benchmark book ${offset + index}`,
      authors: ['A. Author', 'B. Author'],
      description: `A description of book ${offset + index} ${randomUUID()}`.repeat(4),
      subjects: ['Adventure', 'Friendship'],
      pages: 100 + index,
      year: 2000 + (index % 25),
    }));
    const added = await core.api.books.addMany({ books });
    if (!added.ok) throw new Error(added.error.message);
  }
  result.insert_rows_per_s = total / ((performance.now() - insertStarted) / 1000);
}
await core.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
