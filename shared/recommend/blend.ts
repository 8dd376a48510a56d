/**
 * Merging candidate lists from several sources into one ranking, by weighted reciprocal rank fusion
 * (Cormack, Clarke & Büttcher 2009, "Reciprocal Rank Fusion outperforms Condorcet and individual rank
 * learning methods"): an item scores Σₛ wₛ / (k + rankₛ) over the sources that rank it, k = 60.
 *
 * Why ranks and not scores: the sources' scores live on unrelated scales (cosine similarities near
 * 0.3–0.8, ALS dot products of any size, popularity counts), and their spread changes from reader to
 * reader. z-scoring (as shared/ml/blend.ts does for models of one kind) assumes comparable shapes;
 * ranks need no such assumption, and k = 60 keeps one source's top item from swamping agreement
 * between sources. The weights say how much each source is trusted.
 */

/** Where a candidate came from. */
export const SOURCE_NAMES = ['content', 'collaborative', 'similar', 'popular'] as const;
/**
 * One of {@link SOURCE_NAMES}: embedding search on the profile, ALS/EASE, "more like this book",
 * popularity.
 */
export type SourceName = (typeof SOURCE_NAMES)[number];

/** A source's candidate with its own score (higher is better). */
export interface SourceCandidate {
  id: string;
  score: number;
}

/** A fused candidate. */
export interface BlendedCandidate {
  /** The book id. */
  id: string;
  /** Final score: the fused score times the level-fit factor ({@link levelFactor}). */
  score: number;
  /** The fused RRF score before features. */
  fused: number;
  /** Sources that ranked it, in {@link SOURCE_NAMES} order. */
  sources: SourceName[];
  /** The source that contributed most (for explanations). */
  best: SourceName;
}

/** RRF's k, the value Cormack et al. found robust across collections. */
export const RRF_K = 60;

/**
 * How much level fit moves the final score: final = fused × (1 − w + w × levelFit), so a book at
 * the band's centre gets up to 1/(1 − w) = 1.33× a book at the band's edge or of unknown level.
 * Deliberately milder than 0.5: RRF scores are flat (rank 1 with k = 60 is only 2× rank 61), so
 * a 2× level factor would let level fit reorder nearly the whole list; with 0.25 a centred book
 * overtakes an edge one about 20 ranks above it. Out-of-band books never get here (filters).
 */
export const LEVEL_FIT_WEIGHT = 0.25;

/** Options of {@link blendCandidates}. */
export interface BlendOptions {
  /** RRF's k; default {@link RRF_K}. */
  k?: number;
  /** Level fit in [0, 1] per book id (see `levelFit`); a book absent from the map counts as 0. */
  levelFit?: ReadonlyMap<string, number>;
  /** Weight of level fit; default {@link LEVEL_FIT_WEIGHT}. */
  levelWeight?: number;
}

/** The multiplier level fit applies to a fused score: 1 − w + w × fit, fit clamped to [0, 1]. */
export function levelFactor(fit: number, weight: number = LEVEL_FIT_WEIGHT): number {
  const clamped = Number.isFinite(fit) ? Math.max(0, Math.min(1, fit)) : 0;
  return 1 - weight + weight * clamped;
}

/** A source's ids best first, each once (its best position), non-finite scores dropped. */
function ranking(candidates: readonly SourceCandidate[]): string[] {
  const ordered = candidates
    .map((candidate, index) => ({ candidate, index }))
    .filter(({ candidate }) => Number.isFinite(candidate.score))
    // Stable on ties: equal scores keep the source's own order.
    .sort((a, b) => b.candidate.score - a.candidate.score || a.index - b.index);
  return [...new Set(ordered.map(({ candidate }) => candidate.id))];
}

/**
 * Fuses the sources' lists by weighted RRF, applies the level-fit factor, and returns every candidate
 * sorted by final score (ties by id, so the order is deterministic). A source with weight 0 or no list
 * contributes nothing. Throws a RangeError on a negative or non-finite weight or k.
 */
export function blendCandidates(
  sources: Partial<Record<SourceName, readonly SourceCandidate[]>>,
  weights: Readonly<Record<SourceName, number>>,
  options: BlendOptions = {},
): BlendedCandidate[] {
  const k = options.k ?? RRF_K;
  const levelWeight = options.levelWeight ?? LEVEL_FIT_WEIGHT;
  if (!(k >= 0) || !Number.isFinite(k)) throw new RangeError(`blendCandidates: k must be >= 0 (got ${k})`);
  if (!(levelWeight >= 0 && levelWeight <= 1))
    throw new RangeError(`blendCandidates: levelWeight must be in [0, 1] (got ${levelWeight})`);
  const fused = new Map<string, { total: number; parts: Partial<Record<SourceName, number>> }>();
  for (const source of SOURCE_NAMES) {
    const weight = weights[source];
    if (!(weight >= 0) || !Number.isFinite(weight))
      throw new RangeError(`blendCandidates: weight of ${source} must be finite and >= 0 (got ${weight})`);
    const list = sources[source];
    if (!list || weight === 0) continue;
    ranking(list).forEach((id, index) => {
      const contribution = weight / (k + index + 1);
      const entry = fused.get(id) ?? { total: 0, parts: {} };
      entry.total += contribution;
      entry.parts[source] = contribution;
      fused.set(id, entry);
    });
  }
  const blended: BlendedCandidate[] = [];
  for (const [id, { total, parts }] of fused) {
    const named = SOURCE_NAMES.filter((source) => parts[source] !== undefined);
    // The strongest contributor; on a tie the earlier source in SOURCE_NAMES (the more personal one).
    const best = named.reduce((a, b) => ((parts[b] as number) > (parts[a] as number) ? b : a));
    const fit = options.levelFit?.get(id) ?? 0;
    blended.push({ id, score: total * levelFactor(fit, levelWeight), fused: total, sources: named, best });
  }
  return blended.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
