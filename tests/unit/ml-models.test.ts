/** Model-specific behaviour beyond the shared conformance suite: EASE^R's inverse and limits, kNN, blends. */
import { describe, expect, it } from 'vitest';
import { createBlend, deserializeBlend, standardise } from '../../shared/ml/blend';
import { invertSymmetricPositiveDefinite } from '../../shared/ml/dense-inverse';
import { createEase } from '../../shared/ml/ease';
import { createItemKnn } from '../../shared/ml/item-knn';
import { buildMatrix } from '../../shared/ml/matrix';
import { createPopularity, deserializePopularity, topK } from '../../shared/ml/popularity';
import { seededRandom } from '../../shared/ml/split';

describe('invertSymmetricPositiveDefinite', () => {
  it('inverts a random symmetric positive-definite matrix to 1e-10', () => {
    const n = 37;
    const random = seededRandom(5);
    const factor = Array.from({ length: n * n }, () => random() - 0.5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i += 1)
      for (let j = 0; j < n; j += 1) {
        let sum = i === j ? 1 : 0;
        for (let t = 0; t < n; t += 1) sum += (factor[i * n + t] as number) * (factor[j * n + t] as number);
        a[i * n + j] = sum;
      }
    const inverse = a.slice();
    invertSymmetricPositiveDefinite(inverse, n);
    for (let i = 0; i < n; i += 1)
      for (let j = 0; j < n; j += 1) {
        let sum = 0;
        for (let t = 0; t < n; t += 1) sum += (a[i * n + t] as number) * (inverse[t * n + j] as number);
        expect(Math.abs(sum - (i === j ? 1 : 0))).toBeLessThan(1e-10);
      }
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => invertSymmetricPositiveDefinite(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(
      /not positive definite/,
    );
  });
});

const small = buildMatrix(
  { users: [0, 0, 1, 1, 2, 2, 2], items: [0, 1, 1, 2, 0, 2, 3], weights: [1, 1, 1, 1, 1, 1, 1] },
  3,
  5,
);

describe('EASE^R', () => {
  it('past maxItems of both items and users, fits on the most-read items only', () => {
    const model = createEase({ maxItems: 2, lambda: 1 });
    model.fit(small);
    // Items 0, 1 and 2 are read by two users each (ties go to the lower index), 3 and 4 by fewer: the head
    // is items 0 and 1, and only they have neighbours.
    expect(model.similarItems(0, 5).map((scored) => scored.item)).toEqual([1]);
    expect(model.similarItems(2, 5)).toEqual([]);
    expect(model.recommendFor([2, 3], [1, 1], { k: 5 }).every((scored) => scored.score === 0)).toBe(true);
  });

  it('rejects a non-positive lambda and recommends nothing before fit', () => {
    expect(() => createEase({ lambda: 0 })).toThrow(/lambda/);
    expect(() => createEase().recommend(0, { k: 1 })).toThrow(/fit/);
  });

  it('has a zero diagonal: an item is never its own neighbour', () => {
    const model = createEase({ lambda: 1 });
    model.fit(small);
    for (let item = 0; item < 5; item += 1)
      expect(model.similarItems(item, 5).map((scored) => scored.item)).not.toContain(item);
  });
});

describe('item-kNN', () => {
  it('validates its options', () => {
    expect(() => createItemKnn({ neighbours: 0 })).toThrow(/neighbours/);
    expect(() => createItemKnn({ shrink: -1 })).toThrow(/shrink/);
    expect(() => createItemKnn({ asymmetry: 2 })).toThrow(/asymmetry/);
  });

  it('scores from at most `neighbours` neighbours of each candidate', () => {
    const model = createItemKnn({ neighbours: 1, shrink: 0 });
    model.fit(small);
    for (let item = 0; item < 5; item += 1) expect(model.similarItems(item, 5).length).toBeLessThanOrEqual(1);
  });
});

describe('popularity and topK', () => {
  it('breaks ties by the lower item index and skips masked items', () => {
    expect(topK([1, 3, 3, 2, 3], 3)).toEqual([
      { item: 1, score: 3 },
      { item: 2, score: 3 },
      { item: 4, score: 3 },
    ]);
    expect(topK([1, 3, 3, 2, Number.NaN], 2, Uint8Array.from([0, 1, 0, 0, 0]))).toEqual([
      { item: 2, score: 3 },
      { item: 3, score: 2 },
    ]);
    expect(topK([1, 2], 0)).toEqual([]);
  });

  it('recommends by popularity and says clearly when bytes are not its own', () => {
    const model = createPopularity();
    model.fit(small);
    // Items 0, 1, 2 have two users each, item 3 one, item 4 none; user 1 has 1 and 2.
    expect(model.recommend(1, { k: 3 }).map((scored) => scored.item)).toEqual([0, 3, 4]);
    expect(() => deserializePopularity(new Uint8Array([1, 2, 3]))).toThrow(
      /deserialize pop: the bytes are truncated/,
    );
    const knn = createItemKnn();
    knn.fit(small);
    expect(() => deserializePopularity(knn.serialize())).toThrow(/this is a 'knn' model/);
  });
});

describe('blends', () => {
  it('standardises against a member’s top scores and ranks unranked items last', () => {
    const scores = standardise(
      [
        { item: 2, score: 3 },
        { item: 0, score: 1 },
      ],
      4,
    );
    expect(Array.from(scores)).toEqual([-1, -1, 1, -1]);
  });

  it('refuses an empty blend or a negative weight, and round-trips', () => {
    expect(() => createBlend([])).toThrow(/at least one member/);
    expect(() => createBlend([{ algo: 'pop', options: {}, weight: -1 }])).toThrow(/weight/);
    const blend = createBlend([
      { algo: 'pop', options: {}, weight: 0.5 },
      { algo: 'knn', options: {}, weight: 0.5 },
    ]);
    blend.fit(small);
    expect(deserializeBlend(blend.serialize()).recommend(0, { k: 3 })).toEqual(blend.recommend(0, { k: 3 }));
  });
});
