/**
 * The blends `tune` tries: which weightings of the best configuration of each algorithm, and their
 * validation NDCG computed from each model's standardised scores (each model ranks a user once).
 */
import { standardise } from './blend';
import { ndcgAt } from './metrics';
import { topK } from './popularity';
import type { InteractionMatrix, Recommender } from './recommender';
import type { FoldTaskResult } from './tune-folds';

/** The weightings tried over `count` models (best first). */
export function blendWeightings(count: number): number[][] {
  const weightings: number[][] = [];
  const mix = (entries: [number, number][]) => {
    const weights = new Array<number>(count).fill(0);
    for (const [member, weight] of entries) weights[member] = weight;
    weightings.push(weights);
  };
  for (let first = 0; first < count; first += 1)
    for (let second = first + 1; second < count; second += 1)
      for (const weight of first === 0 && second === 1 ? [0.3, 0.5, 0.7] : [0.5])
        mix([
          [first, weight],
          [second, 1 - weight],
        ]);
  if (count >= 3) {
    weightings.push(new Array<number>(count).fill(1 / count));
    if (count === 3)
      mix([
        [0, 0.4],
        [1, 0.4],
        [2, 0.2],
      ]);
  }
  return weightings;
}

/**
 * NDCG@k of every weighting of `models` on `validation`: each user's standardised scores are computed
 * once per model, then combined per weighting.
 */
export function blendScores(
  models: Recommender[],
  weightings: number[][],
  validation: InteractionMatrix,
  k: number,
): FoldTaskResult {
  const totals = new Array<number>(weightings.length).fill(0);
  let users = 0;
  const items = validation.items;
  for (let user = 0; user < validation.users; user += 1) {
    const start = validation.userIndptr[user] as number;
    const end = validation.userIndptr[user + 1] as number;
    if (end === start) continue;
    users += 1;
    const relevant = new Set<number>(validation.userIndices.subarray(start, end));
    const rankings = models.map((model) => model.recommend(user, { k: items }));
    const standardised = rankings.map((ranking) => standardise(ranking, items));
    // Items no model ranked are the user's own training items.
    const skip = new Uint8Array(items).fill(1);
    for (const ranking of rankings) for (const scored of ranking) skip[scored.item] = 0;
    weightings.forEach((weights, index) => {
      const scores = new Float64Array(items);
      weights.forEach((weight, member) => {
        if (weight === 0) return;
        const memberScores = standardised[member] as Float64Array;
        for (let item = 0; item < items; item += 1)
          scores[item] = (scores[item] as number) + weight * (memberScores[item] as number);
      });
      const ranked = topK(scores, k, skip).map((scored) => scored.item);
      totals[index] = (totals[index] as number) + ndcgAt(ranked, relevant, k);
    });
  }
  return { ndcg: totals.map((total) => (users === 0 ? 0 : total / users)), fitSeconds: [], users };
}
