/**
 * The personalised list's candidate assembly: which sources propose books, how many each, and with
 * which fusion weights. Serving (`workers/db/recommend/serve.ts`) and its offline evaluation
 * (`lumin eval --cold`, `workers/offline/hybrid-eval.ts`) both assemble through
 * {@link candidateSources}, each with its own providers (the database and the nightly model; an
 * in-memory catalogue and a model fitted offline), so what is measured is what is served.
 */
import type { SourceCandidate, SourceName } from './blend';

/** Candidates taken from each source before filtering. */
export const PER_SOURCE = 100;
/** The "readers who liked X" source asks for the neighbours of the reader's three most liked books. */
export const SIMILAR_SEEDS = 3;
/** Neighbours taken per liked book. */
export const SIMILAR_PER_SEED = 30;

/**
 * Source weights of the fusion for readers with fewer than five positive interactions, tuned by
 * `lumin eval --data u.data --items u.item --cold` on validation users (MovieLens-100K standing in for
 * books): the hybrid beat ALS fold-in at every n from 1 to 4 (NDCG@10 0.466 vs 0.387 on test users).
 * Content is the exception: films' title-and-genre texts carry too little for the evaluation to tell
 * content weights apart (0 and 0.25 differ by 0.0006 NDCG), so content keeps weight 1 for book
 * descriptions, which the same model ranks well (see the static model's README).
 */
export const COLD_WEIGHTS: Readonly<Record<SourceName, number>> = {
  content: 1,
  collaborative: 1,
  similar: 0.3,
  popular: 2,
};

/**
 * Weights once a reader has five or more positives: the same evaluation showed the cold weights'
 * heavy popularity costing warm readers recall (0.239 vs 0.301), so popularity falls back to a
 * tie-breaker; the other ratios are the tuned ones.
 */
export const WARM_WEIGHTS: Readonly<Record<SourceName, number>> = {
  content: 1,
  collaborative: 1,
  similar: 0.3,
  popular: 0.2,
};

/** Positives below which a reader counts as cold for the weights. */
export const COLD_POSITIVES = 5;

/** A list or a promise of one: serving reads some sources from the database. */
type Listed = SourceCandidate[] | Promise<SourceCandidate[]>;

/** Where the candidates come from. Each provider leaves out what it can (the reader's own books). */
export interface CandidateProviders {
  /** The `limit` books nearest the reader's content profile, best first ([] without a profile). */
  content(limit: number): Listed;
  /** The collaborative model's sources, or null when there is no model. */
  collaborative: {
    /** The reader's `limit` best books under the model, their evidence folded in. */
    recommend(limit: number): SourceCandidate[];
    /** Book `id`'s `limit` nearest neighbours under the model ([] for a book it does not know). */
    similar(id: string, limit: number): SourceCandidate[];
  } | null;
  /** The `limit` most popular books, best first, each scored by how many readers liked it. */
  popular(limit: number): Listed;
}

/** The assembled candidates and the weights to fuse them with (`blendCandidates`). */
export interface CandidateSet {
  sources: Partial<Record<SourceName, SourceCandidate[]>>;
  weights: Readonly<Record<SourceName, number>>;
}

/** The fusion weights for a reader with these taste weights (book → signed weight). */
export function sourceWeights(weights: ReadonlyMap<string, number>): Readonly<Record<SourceName, number>> {
  let positives = 0;
  for (const weight of weights.values()) if (weight > 0) positives += 1;
  return positives < COLD_POSITIVES ? COLD_WEIGHTS : WARM_WEIGHTS;
}

/** The seeds of the `similar` source: the reader's most liked books, strongest first (ties keep order). */
export function similarSeeds(weights: ReadonlyMap<string, number>): string[] {
  return [...weights]
    .filter(([, weight]) => weight > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, SIMILAR_SEEDS)
    .map(([book]) => book);
}

/**
 * Assembles the candidate sources of a reader with taste weights `weights` (book → signed weight), or
 * null when neither content nor the collaborative model proposes anything (nothing to personalise
 * with). `perSource` is {@link PER_SOURCE} unless a caller needs deeper lists.
 */
export async function candidateSources(
  weights: ReadonlyMap<string, number>,
  providers: CandidateProviders,
  perSource: number = PER_SOURCE,
): Promise<CandidateSet | null> {
  const sources: CandidateSet['sources'] = { content: await providers.content(perSource) };
  const model = providers.collaborative;
  if (model) {
    sources.collaborative = model.recommend(perSource);
    sources.similar = similarSeeds(weights).flatMap((book) => model.similar(book, SIMILAR_PER_SEED));
  }
  if (!sources.content?.length && !sources.collaborative?.length) return null;
  // Popularity only counts where there is some: an order by copies owned is no evidence of taste.
  sources.popular = (await providers.popular(perSource)).filter((item) => item.score >= 1);
  return { sources, weights: sourceWeights(weights) };
}
