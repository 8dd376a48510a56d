/**
 * One import measurement in a fresh process: `node import-probe.js HOST_MODULE DATA_DIR FILE`.
 * Samples the process RSS (main thread and workers) every 20 ms from before the preview to after the
 * commit. Prints one JSON line.
 */
import type * as CoreModule from '../workers/host/core';

const [hostModule, dataDir, path] = process.argv.slice(2);
if (!hostModule || !dataDir || !path) throw new Error('usage: import-probe HOST_MODULE DATA_DIR FILE');

const { openCore } = (await import(hostModule)) as typeof CoreModule;
const opened = await openCore({ dataDir, autoBackup: false, purpose: 'bench' });
if (!opened.ok) throw new Error(opened.error.message);
const core = opened.value;
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

const previewStarted = performance.now();
const preview = await core.api.imports.preview({ path, readerName: 'Bench Reader' });
const previewMs = performance.now() - previewStarted;
if (!preview.ok) throw new Error(preview.error.message);
const commitStarted = performance.now();
const committed = await core.api.imports.commit({ previewId: preview.value.previewId });
const commitMs = performance.now() - commitStarted;
if (!committed.ok) throw new Error(committed.error.message);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
await core.close();
process.stdout.write(
  `${JSON.stringify({
    rows: committed.value.rows,
    imported: committed.value.imported,
    interactions: committed.value.interactions,
    preview_ms: previewMs,
    commit_ms: commitMs,
    peak_rss_mb: peak / 1024 / 1024,
    baseline_rss_mb: baseline / 1024 / 1024,
  })}\n`,
);
