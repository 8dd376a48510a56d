/**
 * One embedding measurement in a fresh process (no bundler or test runner in its memory):
 * `node embed-probe.js HOST_MODULE DATA_DIR MODEL TEXTS_JSON BATCH embed|queue`. Prints one JSON line.
 * In `queue` mode TEXTS_JSON holds books: they are added, then one whole embedding pass is timed
 * (the db worker's queue, the embed worker, the stores and the HNSW build at the end).
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as CoreModule from '../workers/host/core';

const [hostModule, dataDir, model, textsFile, batchArg, mode] = process.argv.slice(2);
if (!hostModule || !dataDir || !model || !textsFile)
  throw new Error('usage: embed-probe HOST_MODULE DATA_DIR MODEL TEXTS_JSON BATCH embed|queue');

const { openCore } = (await import(hostModule)) as typeof CoreModule;
const opened = await openCore({ dataDir, autoBackup: false, purpose: 'bench' });
if (!opened.ok) throw new Error(opened.error.message);
const core = opened.value;
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

if (mode === 'queue') {
  const books = JSON.parse(readFileSync(textsFile, 'utf8')) as { title: string }[];
  for (let start = 0; start < books.length; start += 1000) {
    const added = await core.api.books.addMany({ books: books.slice(start, start + 1000) });
    if (!added.ok) throw new Error(added.error.message);
  }
  if (model !== 'lumin-glove-100d') {
    const switched = await core.api.models.use({ id: model });
    if (!switched.ok) throw new Error(switched.error.message);
  }
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  const queued = await core.api.embeddings.run({ model });
  if (!queued.ok) throw new Error(queued.error.message);
  let finishedAt = 0;
  for (;;) {
    const job = await core.api.jobs.get({ id: queued.value.id });
    if (!job.ok) throw new Error(job.error.message);
    if (job.value.state === 'failed' || job.value.state === 'cancelled')
      throw new Error(job.value.lastError ?? 'failed');
    if (job.value.state === 'succeeded') {
      finishedAt = performance.now();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  delay.disable();
  clearInterval(sampler);
  const status = await core.api.embeddings.status();
  await core.close();
  process.stdout.write(
    `${JSON.stringify({
      model,
      mode: 'queue',
      books: books.length,
      embedded: status.ok ? status.value.books.embedded : null,
      pass_s: Number(((finishedAt - started) / 1000).toFixed(2)),
      books_per_s: Math.round(books.length / ((finishedAt - started) / 1000)),
      peak_rss_mb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024),
      max_event_loop_delay_ms: Number((delay.max / 1e6).toFixed(1)),
    })}\n`,
  );
  process.exit(0);
}
const texts = JSON.parse(readFileSync(textsFile, 'utf8')) as string[];
const loaded = await core.embedding.load(model, batchArg && batchArg !== '0' ? Number(batchArg) : undefined);
if (!loaded.ok) throw new Error(loaded.error.message);
const { batchSize, dimension, loadMs } = loaded.value;
// Warm-up: the first call pays ONNX Runtime's lazy initialisation.
const warm = await core.embedding.embed(model, texts.slice(0, Math.min(batchSize, texts.length)));
if (!warm.ok) throw new Error(warm.error.message);

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const batches: number[] = [];
const started = performance.now();
for (let start = 0; start < texts.length; start += batchSize) {
  const begun = performance.now();
  const result = await core.embedding.embed(model, texts.slice(start, start + batchSize));
  if (!result.ok) throw new Error(result.error.message);
  batches.push(performance.now() - begun);
}
const seconds = (performance.now() - started) / 1000;
delay.disable();
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
await core.close();
batches.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    model,
    texts: texts.length,
    texts_per_s: Math.round(texts.length / seconds),
    batch_p50_ms: Number((batches[Math.floor(batches.length / 2)] ?? NaN).toFixed(1)),
    peak_rss_mb: Math.round(peak / 1024 / 1024),
    max_event_loop_delay_ms: Number((delay.max / 1e6).toFixed(1)),
    batch_size: batchSize,
    dimension,
    load_ms: Math.round(loadMs),
  })}\n`,
);
