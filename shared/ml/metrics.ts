/**
 * Top-k ranking metrics with binary relevance, as the offline protocol defines them
 * (../shared/data/README.md): precision@k = hits in the top k / k; recall@k = hits in the top k / |test|;
 * NDCG@k with the ideal DCG over min(|test|, k); averages over users with at least one test item.
 */
import { seededRandom } from './random';
import type { InteractionMatrix, Recommender } from './recommender';

/** Hits in the first `k` of `ranked` divided by `k` (a short list is not rewarded for being short). */
export function precisionAt(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  if (k <= 0) return 0;
  let hits = 0;
  for (const item of ranked.slice(0, k)) if (relevant.has(item)) hits += 1;
  return hits / k;
}

/** Hits in the first `k` of `ranked` divided by the number of relevant items (0 when there are none). */
export function recallAt(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  for (const item of ranked.slice(0, k)) if (relevant.has(item)) hits += 1;
  return hits / relevant.size;
}

/**
 * DCG@k / IDCG@k with binary gains: DCG = Σ over hits at 1-based rank r of 1/log2(r + 1); the ideal
 * ranking puts min(|relevant|, k) hits first.
 */
export function ndcgAt(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  const ideal = Math.min(relevant.size, k);
  if (ideal <= 0) return 0;
  let dcg = 0;
  ranked.slice(0, k).forEach((item, index) => {
    if (relevant.has(item)) dcg += 1 / Math.log2(index + 2);
  });
  let idcg = 0;
  for (let index = 0; index < ideal; index += 1) idcg += 1 / Math.log2(index + 2);
  return dcg / idcg;
}

/** The share of the `items`-item catalogue that appears in at least one of `lists`. */
export function catalogueCoverage(lists: Iterable<readonly number[]>, items: number): number {
  if (items <= 0) return 0;
  const seen = new Set<number>();
  for (const list of lists) for (const item of list) if (item >= 0 && item < items) seen.add(item);
  return seen.size / items;
}

/** The cut-offs `evaluateRanking` measures at. */
export interface Cutoffs {
  /** precision@k, NDCG@k and coverage of the top-k lists (default 10). */
  k: number;
  /** recall@recallK (default 2k, i.e. 20). */
  recallK?: number;
}

/** Averages over the evaluated users. */
export interface RankingScores {
  precision: number;
  recall: number;
  ndcg: number;
  coverage: number;
  /** Users with at least one test item, over whom the averages run. */
  users: number;
  /** NDCG@k of each of those users, in user order (for a bootstrap interval). */
  userNdcg: number[];
}

/**
 * A percentile bootstrap interval of the mean of `values` (Efron & Tibshirani 1993): `resamples` seeded
 * resamples with replacement, the (1 − level)/2 and (1 + level)/2 quantiles of their means.
 */
export function bootstrapInterval(
  values: readonly number[],
  options: { resamples?: number; level?: number; seed?: number } = {},
): { low: number; high: number } {
  const count = values.length;
  if (count === 0) return { low: 0, high: 0 };
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed ?? 1);
  const means = new Float64Array(resamples);
  for (let sample = 0; sample < resamples; sample += 1) {
    let total = 0;
    for (let draw = 0; draw < count; draw += 1) total += values[Math.floor(random() * count)] as number;
    means[sample] = total / count;
  }
  means.sort();
  const at = (quantile: number) =>
    means[Math.min(resamples - 1, Math.max(0, Math.round(quantile * (resamples - 1))))] as number;
  return { low: at((1 - level) / 2), high: at((1 + level) / 2) };
}

/**
 * Scores a fitted `model` against held-out `test` interactions: every user with a test item gets the
 * top max(k, recallK) of `recommend` (which already leaves out their training items).
 */
export function evaluateRanking(
  model: Recommender,
  test: InteractionMatrix,
  cutoffs: Cutoffs,
): RankingScores {
  const { k } = cutoffs;
  const recallK = cutoffs.recallK ?? 2 * k;
  const depth = Math.max(k, recallK);
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let users = 0;
  const lists: number[][] = [];
  const userNdcg: number[] = [];
  for (let user = 0; user < test.users; user += 1) {
    const start = test.userIndptr[user] as number;
    const end = test.userIndptr[user + 1] as number;
    if (end === start) continue;
    const relevant = new Set<number>(test.userIndices.subarray(start, end));
    const ranked = model.recommend(user, { k: depth }).map((scored) => scored.item);
    precision += precisionAt(ranked, relevant, k);
    recall += recallAt(ranked, relevant, recallK);
    const own = ndcgAt(ranked, relevant, k);
    ndcg += own;
    userNdcg.push(own);
    lists.push(ranked.slice(0, k));
    users += 1;
  }
  const mean = (total: number) => (users === 0 ? 0 : total / users);
  return {
    precision: mean(precision),
    recall: mean(recall),
    ndcg: mean(ndcg),
    coverage: catalogueCoverage(lists, test.items),
    users,
    userNdcg,
  };
}
