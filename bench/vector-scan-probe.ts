/**
 * Micro-benchmark of the exact int8 scan, with residual re-scoring (shared/ml/vector-scan.ts), at catalogue
 * scale: `node --import tsx bench/vector-scan-probe.ts [BOOKS] [--js]`. Prints one JSON line.
 *
 * Data as bench/serve-probe.ts: 384-d unit vectors around 50 seeded random centres (spread 0.35), queries
 * around a random centre (spread 0.5). Measures the bulk load, p50/p95 of search(query, 100) over 200
 * queries after a warm-up, the store's bytes (int8 rows plus their int8 residuals), and recall@20/@100
 * against exact float64 search on 50 queries.
 */
import { VectorScan } from '../shared/ml/vector-scan';
import { vectorSource } from './serve-data';

const args = process.argv.slice(2);
const BOOKS = Number(args.find((arg) => !arg.startsWith('--')) ?? 100_000);
const ACCELERATE = !args.includes('--js');
const DIMENSION = 384;
const CLUSTERS = 50;
const BOOK_SPREAD = 0.35;
const QUERY_SPREAD = 0.5;
const TIMED = 200;
const WARM_UP = 20;
const RECALL_QUERIES = 50;

const round = (value: number, digits = 3) => Number(value.toFixed(digits));
function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

const { random, randomUnit, around } = vectorSource(20_240_601, DIMENSION);

const centres = Array.from({ length: CLUSTERS }, randomUnit);
const ids = Array.from({ length: BOOKS }, (_, index) => `book-${index}`);
const vectors = new Float32Array(BOOKS * DIMENSION);
for (let index = 0; index < BOOKS; index++)
  vectors.set(around(centres[index % CLUSTERS] as Float32Array, BOOK_SPREAD), index * DIMENSION);
const queries = Array.from({ length: WARM_UP + TIMED }, () =>
  around(centres[Math.floor(random() * CLUSTERS)] as Float32Array, QUERY_SPREAD),
);

const scan = new VectorScan(DIMENSION, { accelerate: ACCELERATE });
const loadStarted = performance.now();
scan.setMany(ids, vectors);
const loadMs = performance.now() - loadStarted;

const samples: number[] = [];
queries.forEach((query, index) => {
  const before = performance.now();
  scan.search(query, 100);
  if (index >= WARM_UP) samples.push(performance.now() - before);
});

/** The exact top `k` by float64 dot product, ties by id as VectorScan breaks them. */
function exact(query: Float32Array, k: number): string[] {
  const scores = new Float64Array(BOOKS);
  for (let row = 0; row < BOOKS; row++) {
    let dot = 0;
    const start = row * DIMENSION;
    for (let index = 0; index < DIMENSION; index++)
      dot += (vectors[start + index] as number) * (query[index] as number);
    scores[row] = dot;
  }
  const order = Array.from({ length: BOOKS }, (_, row) => row)
    .sort((a, b) => (scores[b] as number) - (scores[a] as number))
    .slice(0, k);
  return order.map((row) => ids[row] as string);
}

let [found20, found100] = [0, 0];
for (const query of queries.slice(0, RECALL_QUERIES)) {
  const truth = exact(query, 100);
  const got = scan.search(query, 100).map((hit) => hit.id);
  const top20 = new Set(got.slice(0, 20));
  const top100 = new Set(got);
  found20 += truth.slice(0, 20).filter((id) => top20.has(id)).length;
  found100 += truth.filter((id) => top100.has(id)).length;
}

console.log(
  JSON.stringify({
    books: BOOKS,
    dimension: DIMENSION,
    accelerated: scan.accelerated,
    load_ms: round(loadMs, 1),
    search_p50_ms: round(percentile(samples, 0.5)),
    search_p95_ms: round(percentile(samples, 0.95)),
    memory_bytes: scan.memoryBytes,
    recall_at_20: round(found20 / (20 * RECALL_QUERIES), 4),
    recall_at_100: round(found100 / (100 * RECALL_QUERIES), 4),
  }),
);
