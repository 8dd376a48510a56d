/**
 * The scalar parts of `vector-scan.ts`: two-level int8 quantisation of stored rows, the float re-scoring
 * of candidate rows with it, and the min-heap top-k selection of scanned scores.
 *
 * Two levels: a row v with scale s = max|vᵢ| is stored as q = round(v·127/s) (interleaved, scanned by the
 * SIMD kernel) plus the residual e = round((v·127/s − q)·127) (row-major, read only for the few candidate
 * rows). q alone misplaces near-tied scores (its error is up to s/254 per value); q + e/127 is 127 times
 * finer, which puts the re-scored order within float noise of the exact one.
 */
import { CHUNK as KERNEL_CHUNK, ROWS_PER_BLOCK as KERNEL_BLOCK, rowOffset } from './vector-scan-wasm';

// Module-local copies: hot loops then read constants, not imported bindings (which some loaders, such as
// tsx's, compile to getter calls).
const CHUNK = KERNEL_CHUNK;
const ROWS_PER_BLOCK = KERNEL_BLOCK;

/** Levels of the first (scanned) int8 quantisation: q ∈ [−127, 127]. */
export const ROW_LEVELS = 127;
/** Levels of the residual: e / RESIDUAL_LEVELS refines q by up to ±0.5 (so |e| ≤ 64 before clamping). */
export const RESIDUAL_LEVELS = 127;

/** Rounds to the nearest integer, ties up; five times faster than Math.round in V8 on typed-array stores. */
export const nearest = (value: number): number => Math.floor(value + 0.5) | 0;

/** max|vᵢ| over `length` values from `offset`; a NaN or infinite value is a RangeError. */
export function maxAbs(values: Float32Array, offset: number, length: number, where: string): number {
  let max = 0;
  for (let index = offset; index < offset + length; index += 1) {
    const magnitude = Math.abs(values[index] as number);
    if (!(magnitude <= max)) {
      if (!Number.isFinite(magnitude))
        throw new RangeError(`${where}: non-finite value at ${index - offset}`);
      max = magnitude;
    }
  }
  return max;
}

/** Where one row lives: the interleaved int8 rows, the row-major residuals, and the shape of both. */
export interface RowStore {
  rows: Int8Array;
  residuals: Int8Array;
  dimension: number;
  padded: number;
}

/**
 * Quantises `source[offset …]`, whose max|vᵢ| is `max`, into `row` of `store`: q = round(v·127/max) into
 * the interleaved rows (padding zeroed), e = round((v·127/max − q)·127) into the residuals. Returns the
 * row's scale, max / 127.
 */
export function quantiseRow(
  store: RowStore,
  row: number,
  source: Float32Array,
  offset: number,
  max: number,
): number {
  // a zero vector stores zeros with scale 0: it scores 0 against everything, never NaN
  const factor = max > 0 ? ROW_LEVELS / max : 0;
  const { rows, residuals, dimension, padded } = store;
  const stride = CHUNK * ROWS_PER_BLOCK;
  const base = row * dimension;
  let at = rowOffset(row, 0, padded);
  for (let index = 0; index < padded; index += CHUNK, at += stride)
    for (let lane = 0; lane < CHUNK; lane += 1) {
      const dim = index + lane;
      // the padding must be zero: the slot may hold a deleted row, and the kernel scans the padding
      if (dim >= dimension) {
        rows[at + lane] = 0;
        continue;
      }
      const scaled = (source[offset + dim] as number) * factor;
      const level = nearest(scaled);
      rows[at + lane] = level;
      // |scaled − level| ≤ 0.5 up to rounding, so the clamp only guards the ±0.5 ties' float noise
      const residual = nearest((scaled - level) * RESIDUAL_LEVELS);
      residuals[base + dim] = residual > 127 ? 127 : residual < -127 ? -127 : residual;
    }
  return max / ROW_LEVELS;
}

/**
 * The refined inner product of `row` (scale `scale`) with the float `query`: Σ (qᵢ + eᵢ/127)·xᵢ·scale,
 * in doubles. Both search paths call this on the same stored bytes, so they agree bit for bit.
 */
export function refinedDot(store: RowStore, row: number, scale: number, query: Float32Array): number {
  const { rows, residuals, dimension, padded } = store;
  const stride = CHUNK * ROWS_PER_BLOCK;
  const base = row * dimension;
  // 127q + e is an exact integer, so one multiply per value covers both levels. Whole chunks are unrolled
  // into two sums: the loop is compute-bound (its rows are few), and a lane loop ran twice as slow.
  const L = RESIDUAL_LEVELS;
  let even = 0;
  let odd = 0;
  let at = rowOffset(row, 0, padded);
  let index = 0;
  for (let from = base; index + CHUNK <= dimension; index += CHUNK, at += stride, from += CHUNK) {
    even +=
      ((rows[at] as number) * L + (residuals[from] as number)) * (query[index] as number) +
      ((rows[at + 2] as number) * L + (residuals[from + 2] as number)) * (query[index + 2] as number) +
      ((rows[at + 4] as number) * L + (residuals[from + 4] as number)) * (query[index + 4] as number) +
      ((rows[at + 6] as number) * L + (residuals[from + 6] as number)) * (query[index + 6] as number);
    odd +=
      ((rows[at + 1] as number) * L + (residuals[from + 1] as number)) * (query[index + 1] as number) +
      ((rows[at + 3] as number) * L + (residuals[from + 3] as number)) * (query[index + 3] as number) +
      ((rows[at + 5] as number) * L + (residuals[from + 5] as number)) * (query[index + 5] as number) +
      ((rows[at + 7] as number) * L + (residuals[from + 7] as number)) * (query[index + 7] as number);
  }
  for (let lane = 0; index + lane < dimension; lane += 1)
    even +=
      ((rows[at + lane] as number) * L + (residuals[base + index + lane] as number)) *
      (query[index + lane] as number);
  const dot = even + odd;
  return dot * (scale / RESIDUAL_LEVELS);
}

/**
 * The whole refined row `row` ((q + e/127) · scale) into `out`, chunk by chunk in memory order: value
 * by value, recomputing the interleaved offset each time, 50 rows took 1 ms (a tenth of a
 * recommendation).
 */
export function refinedRow(store: RowStore, row: number, scale: number, out: Float32Array): Float32Array {
  const { rows, residuals, dimension, padded } = store;
  const stride = CHUNK * ROWS_PER_BLOCK;
  const base = row * dimension;
  const step = scale / RESIDUAL_LEVELS;
  let at = rowOffset(row, 0, padded);
  for (let index = 0; index < dimension; index += CHUNK, at += stride) {
    const end = Math.min(CHUNK, dimension - index);
    for (let lane = 0; lane < end; lane += 1)
      out[index + lane] =
        ((rows[at + lane] as number) * RESIDUAL_LEVELS + (residuals[base + index + lane] as number)) * step;
  }
  return out;
}

/**
 * The indices of the `k` largest of `scores[0 … size)`, best first, ties broken by `ids` ascending
 * (or, with `byIndex`, in ascending index order: a caller that re-ranks them anyway skips the comparator
 * sort, and reads their rows in memory order); -Infinity marks a skipped entry. A min-heap of k keeps
 * the worst kept entry at its root, so most entries cost one comparison with the root's score.
 */
export function topRows(
  scores: Float32Array | Float64Array,
  ids: readonly string[],
  size: number,
  k: number,
  byIndex = false,
): number[] {
  // The heap keeps each entry's score beside its index: sifting compares them without a second lookup,
  // and reads ids only on ties. below(sa, a, sb, b): entry a ranks below entry b.
  const below = (sa: number, a: number, sb: number, b: number): boolean =>
    sa < sb || (sa === sb && (ids[a] as string) > (ids[b] as string));
  const capacity = Math.max(0, Math.min(k, size));
  const rows = new Int32Array(capacity);
  const values = new Float64Array(capacity);
  let length = 0;
  const siftDown = (row: number, score: number): void => {
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= length) break;
      const right = child + 1;
      if (
        right < length &&
        below(values[right] as number, rows[right] as number, values[child] as number, rows[child] as number)
      )
        child = right;
      if (!below(values[child] as number, rows[child] as number, score, row)) break;
      rows[at] = rows[child] as number;
      values[at] = values[child] as number;
      at = child;
    }
    rows[at] = row;
    values[at] = score;
  };
  /** Heap-selects from the entries scoring ≥ floor; returns how many it kept (at most capacity). */
  const collect = (floor: number): number => {
    length = 0;
    let index = 0;
    // fill: the first k real entries from the floor up, sifted up
    for (; index < size && length < capacity; index += 1) {
      const score = scores[index] as number;
      if (score === -Infinity || score < floor) continue;
      let at = length;
      length += 1;
      for (; at > 0;) {
        const parent = (at - 1) >> 1;
        if (!below(score, index, values[parent] as number, rows[parent] as number)) break;
        rows[at] = rows[parent] as number;
        values[at] = values[parent] as number;
        at = parent;
      }
      rows[at] = index;
      values[at] = score;
    }
    // The threshold is finite (the heap holds only real scores), so the one comparison nearly every entry
    // stops at also rejects -Infinity: this loop costs a tenth of the scan only while it stays this tight.
    let threshold = length > 0 ? (values[0] as number) : Infinity;
    for (; index < size; index += 1) {
      const score = scores[index] as number;
      if (score < threshold) continue;
      if (score === threshold && (ids[index] as string) > (ids[rows[0] as number] as string)) continue;
      siftDown(index, score);
      threshold = values[0] as number;
    }
    return length;
  };
  // Filling the heap from the first k rows, then evicting, sifts about k·ln(size/k) times. A floor near
  // the 2k-th best score (from every 16th score, selected the same way) skips most of that. It is exact
  // either way: if k entries clear the floor, the top k all do; if not, the full pass runs.
  const floor = size >= FLOOR_STRIDE * capacity * 2 ? sampledFloor(scores, size, 2 * capacity) : -Infinity;
  if (collect(floor) < capacity && floor > -Infinity) collect(-Infinity);
  if (byIndex) return Array.from(rows.subarray(0, length).sort());
  const order = Array.from(rows.subarray(0, length));
  return order.sort((a, b) =>
    below(scores[a] as number, a, scores[b] as number, b)
      ? 1
      : below(scores[b] as number, b, scores[a] as number, a)
        ? -1
        : 0,
  );
}

let sampleBuffer = new Float64Array(0);

/** Every FLOOR_STRIDE-th score feeds the floor estimate of {@link topRows}. */
const FLOOR_STRIDE = 16;

/** A score that about `count` of `scores[0 … size)` reach, estimated from every FLOOR_STRIDE-th one. */
function sampledFloor(scores: Float32Array | Float64Array, size: number, count: number): number {
  // One buffer reused across calls: a search at 100K rows would otherwise leave 50 KB of garbage.
  const length = Math.floor(size / FLOOR_STRIDE);
  if (sampleBuffer.length < length) sampleBuffer = new Float64Array(length);
  const sample = sampleBuffer.subarray(0, length);
  for (let index = 0; index < sample.length; index += 1)
    sample[index] = scores[index * FLOOR_STRIDE] as number;
  const wanted = Math.ceil(count / FLOOR_STRIDE);
  // ties among sampled scores do not matter here, so any ids serve; the sample is 16 times smaller
  const best = topRows(sample, [], sample.length, wanted);
  return best.length === wanted ? (sample[best[wanted - 1] as number] as number) : -Infinity;
}
