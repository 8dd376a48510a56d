/**
 * Streams one file through an import parser in a fresh process, keeping no rows:
 * `node parse-probe.js FILE FORMAT`. Prints one JSON line with the RSS the parse added at its peak.
 */
import { createReadStream } from 'node:fs';
import { createParser } from '../shared/import/index';
import type { ImportFormat } from '../shared/import/types';

const [path, format] = process.argv.slice(2);
if (!path || !format) throw new Error('usage: parse-probe FILE FORMAT');
globalThis.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const parser = createParser(format as ImportFormat);
let rows = 0;
let problems = 0;
let bytes = 0;
const started = performance.now();
for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
  bytes += (chunk as Uint8Array).length;
  for (const row of parser.push(chunk as Uint8Array)) {
    rows += 1;
    problems += row.problems.length;
  }
  peak = Math.max(peak, process.memoryUsage().rss);
}
for (const row of parser.end()) {
  rows += 1;
  problems += row.problems.length;
}
const parseMs = performance.now() - started;
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(
  `${JSON.stringify({ bytes, rows, problems, parse_ms: parseMs, extra_rss_mb: (peak - baseline) / 1024 / 1024 })}\n`,
);
