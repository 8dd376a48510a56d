/** Ranking metrics against values computed by hand, and the evaluation loop over users. */
import { describe, expect, it } from 'vitest';
import { buildMatrix } from '../../shared/ml/matrix';
import { catalogueCoverage, evaluateRanking, ndcgAt, precisionAt, recallAt } from '../../shared/ml/metrics';
import type { Recommender, Scored } from '../../shared/ml/recommender';

const relevant = new Set([2, 5, 9]);
const ranked = [1, 2, 3, 4, 5];

describe('precision, recall and NDCG with binary relevance', () => {
  it('precision@k divides the hits in the top k by k', () => {
    expect(precisionAt(ranked, relevant, 5)).toBeCloseTo(2 / 5, 12);
    expect(precisionAt(ranked, relevant, 2)).toBeCloseTo(1 / 2, 12);
    // A list shorter than k is not rewarded for being short.
    expect(precisionAt([9], relevant, 10)).toBeCloseTo(1 / 10, 12);
    expect(precisionAt(ranked, relevant, 0)).toBe(0);
  });

  it('recall@k divides the hits in the top k by the number of relevant items', () => {
    expect(recallAt(ranked, relevant, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(ranked, relevant, 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAt(ranked, new Set(), 5)).toBe(0);
  });

  it('NDCG@k uses 1/log2(rank + 1) gains and the ideal DCG over min(|relevant|, k)', () => {
    // Hits at ranks 2 and 5: DCG = 1/log2(3) + 1/log2(6) = 0.630930 + 0.386853 = 1.017783;
    // ideal over 3 hits: 1 + 0.630930 + 0.5 = 2.130930; NDCG = 0.477624.
    expect(ndcgAt(ranked, relevant, 5)).toBeCloseTo(0.477624, 6);
    // k = 2: DCG = 0.630930; ideal over min(3, 2) = 2 hits: 1.630930; NDCG = 0.386853.
    expect(ndcgAt(ranked, relevant, 2)).toBeCloseTo(0.386853, 6);
    // Every relevant item first: 1, even when fewer relevant items than k.
    expect(ndcgAt([9, 2, 5, 7], relevant, 10)).toBeCloseTo(1, 12);
    expect(ndcgAt([7], new Set([7]), 10)).toBeCloseTo(1, 12);
    expect(ndcgAt(ranked, new Set(), 5)).toBe(0);
    expect(ndcgAt([], relevant, 5)).toBe(0);
  });

  it('catalogue coverage is the share of items in at least one list', () => {
    expect(catalogueCoverage([[0, 1], [1, 2], []], 10)).toBeCloseTo(0.3, 12);
    expect(catalogueCoverage([], 10)).toBe(0);
    expect(catalogueCoverage([[1]], 0)).toBe(0);
  });
});

describe('evaluateRanking', () => {
  // A fixed ranking, whatever the user: items 0, 1, 2, 3 in that order.
  const fixed: Recommender = {
    name: 'fixed',
    fit: () => undefined,
    recommend: (_user, options) =>
      [0, 1, 2, 3].slice(0, options.k).map((item, rank): Scored => ({ item, score: 4 - rank })),
    recommendFor: () => [],
    similarItems: () => [],
    serialize: () => new Uint8Array(),
  };

  it('averages over users with at least one test item', () => {
    // User 0 tests item 0 (hit at rank 1), user 1 tests items 3 and 5 (hit at rank 4), user 2 has none.
    const test = buildMatrix({ users: [0, 1, 1], items: [0, 3, 5], weights: [1, 1, 1] }, 3, 6);
    const scores = evaluateRanking(fixed, test, { k: 2, recallK: 4 });
    expect(scores.users).toBe(2);
    expect(scores.precision).toBeCloseTo((1 / 2 + 0) / 2, 12);
    expect(scores.recall).toBeCloseTo((1 + 1 / 2) / 2, 12);
    expect(scores.ndcg).toBeCloseTo((1 + 0) / 2, 12);
    // Top-2 lists cover items 0 and 1 of 6.
    expect(scores.coverage).toBeCloseTo(2 / 6, 12);
  });

  it('measures recall at 2k by default', () => {
    const test = buildMatrix({ users: [0], items: [3], weights: [1] }, 1, 6);
    expect(evaluateRanking(fixed, test, { k: 2 }).recall).toBe(1);
  });
});
