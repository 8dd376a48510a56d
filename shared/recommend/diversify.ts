/**
 * Maximal Marginal Relevance (Carbonell & Goldstein 1998, "The use of MMR, diversity-based reranking
 * for reordering documents and producing summaries"): picks the list greedily, each time the candidate
 * maximising λ × relevance − (1 − λ) × (highest similarity to anything already picked). Without it
 * a reader who liked one series gets its eight sequels in a row.
 */
import { assertDimension, norm } from './vectors';

/** A candidate to diversify: its relevance score and its embedding (null when not embedded yet). */
export interface MmrCandidate {
  id: string;
  score: number;
  vector: Float32Array | null;
}

/**
 * Default λ: mostly relevance. 0.7 is in the range the MMR literature and practice settle on
 * (0.5–0.8): enough to break up near-duplicates without letting weak candidates in for being different.
 */
export const DEFAULT_LAMBDA = 0.7;

/**
 * The first `k` ids in MMR order. Relevance is min–max normalised to [0, 1] (all equal → 1) so it is on
 * the same scale as similarity; similarity is the cosine of the vectors, floored at 0 (pointing away
 * is no more diverse than unrelated, and the floor keeps the penalty in [0, 1]); a candidate without a
 * vector is similar to nothing. λ = 1 is pure relevance order. Duplicated ids keep their first
 * occurrence; ties go to the higher raw score (normalising can round tiny gaps away), then input
 * order. O(k·n) similarity computations: each pick updates every remaining candidate's highest
 * similarity once. Throws a RangeError when λ is outside [0, 1] or the vectors' dimensions differ.
 */
export function mmr(
  candidates: readonly MmrCandidate[],
  k: number,
  lambda: number = DEFAULT_LAMBDA,
): string[] {
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`mmr: lambda must be in [0, 1] (got ${lambda})`);
  const seen = new Set<string>();
  const pool = candidates.filter((candidate) => {
    if (seen.has(candidate.id)) return false;
    seen.add(candidate.id);
    return true;
  });
  const count = Math.min(Math.max(0, Math.floor(k)), pool.length);
  if (count === 0) return [];

  const scores = pool.map((candidate) => (Number.isFinite(candidate.score) ? candidate.score : -Infinity));
  const finite = scores.filter(Number.isFinite);
  const low = finite.length > 0 ? Math.min(...finite) : 0;
  const range = (finite.length > 0 ? Math.max(...finite) : 0) - low;
  const relevance = scores.map((score) => (score === -Infinity ? 0 : range > 0 ? (score - low) / range : 1));

  // Lengths once, so each similarity is a dot product over their product however the caller
  // normalised (no unit copies: this runs on every served list, and copies were most of its garbage).
  let dimension: number | null = null;
  const units = pool.map(({ vector }) => {
    if (!vector) return null;
    dimension ??= vector.length;
    assertDimension(vector, dimension, 'mmr');
    return norm(vector) > 0 ? vector : null;
  });
  const lengths = Float64Array.from(units, (vector) => (vector ? norm(vector) : 0));

  const maxSimilarity = new Float64Array(pool.length);
  const picked = new Uint8Array(pool.length);
  const order: string[] = [];
  for (let step = 0; step < count; step += 1) {
    let bestIndex = -1;
    let bestValue = -Infinity;
    for (let index = 0; index < pool.length; index += 1) {
      if (picked[index]) continue;
      const value = lambda * (relevance[index] as number) - (1 - lambda) * (maxSimilarity[index] as number);
      const better =
        value > bestValue ||
        (value === bestValue && (scores[index] as number) > (scores[bestIndex] as number));
      if (bestIndex < 0 || better) {
        bestIndex = index;
        bestValue = value;
      }
    }
    picked[bestIndex] = 1;
    order.push((pool[bestIndex] as MmrCandidate).id);
    const chosen = units[bestIndex];
    if (!chosen) continue;
    const chosenLength = lengths[bestIndex] as number;
    for (let index = 0; index < pool.length; index += 1) {
      const other = units[index];
      if (picked[index] || !other) continue;
      let sum = 0;
      for (let d = 0; d < chosen.length; d += 1) sum += (chosen[d] as number) * (other[d] as number);
      const similarity = sum / (chosenLength * (lengths[index] as number));
      if (similarity > (maxSimilarity[index] as number)) maxSimilarity[index] = similarity;
    }
  }
  return order;
}
