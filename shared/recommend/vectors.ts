/**
 * Small dense-vector helpers shared by the ranking modules. Every vector in the recommendation path is
 * a Float32Array of one model's dimension, normally unit length (the embedders L2-normalise); sums are
 * accumulated in Float64Array so a profile built from hundreds of interactions does not lose precision.
 */

/**
 * Throws a RangeError when `vector` does not have `dimension` components. A mismatch means vectors
 * of two models were mixed, which is a bug upstream, not bad data: failing loudly beats ranking noise.
 */
export function assertDimension(vector: Float32Array, dimension: number, where: string): void {
  if (vector.length !== dimension)
    throw new RangeError(`${where}: vector has ${vector.length} dimensions, expected ${dimension}`);
}

/** The common dimension of `vectors`, or null for an empty list; throws a RangeError when they differ. */
export function commonDimension(vectors: readonly Float32Array[], where: string): number | null {
  const first = vectors[0];
  if (first === undefined) return null;
  for (const vector of vectors) assertDimension(vector, first.length, where);
  return first.length;
}

/** The dot product; for unit vectors, their cosine similarity. */
export function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`dot: ${a.length} and ${b.length} dimensions differ`);
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += (a[index] as number) * (b[index] as number);
  return sum;
}

/** The Euclidean length. */
export function norm(vector: Float32Array | Float64Array): number {
  let sum = 0;
  for (let index = 0; index < vector.length; index += 1) sum += (vector[index] as number) ** 2;
  return Math.sqrt(sum);
}

/** Cosine similarity, 0 when either vector is all zeros (such a vector points nowhere). */
export function cosine(a: Float32Array, b: Float32Array): number {
  const lengths = norm(a) * norm(b);
  return lengths > 0 ? dot(a, b) / lengths : 0;
}

/** Below this length an accumulated sum is treated as zero: its direction would be rounding noise. */
export const ZERO_NORM = 1e-9;

/**
 * The sum as a unit Float32Array, or null when it is (numerically) zero: e.g. a liked and a disliked
 * book that cancel out leave no direction to recommend along.
 */
export function unitOrNull(sum: Float64Array): Float32Array | null {
  const length = norm(sum);
  if (!(length > ZERO_NORM) || !Number.isFinite(length)) return null;
  const unit = new Float32Array(sum.length);
  for (let index = 0; index < sum.length; index += 1) unit[index] = (sum[index] as number) / length;
  return unit;
}

/** Adds `weight × vector` into `sum` in place. */
export function addScaled(sum: Float64Array, vector: Float32Array, weight: number): void {
  for (let index = 0; index < sum.length; index += 1)
    sum[index] = (sum[index] as number) + weight * (vector[index] as number);
}
