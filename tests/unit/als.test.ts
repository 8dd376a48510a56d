/** Implicit ALS (shared/ml/als.ts): planted structure, exclusions, determinism, fold-in, serialisation. */
import { describe, expect, it } from 'vitest';
import { createAls, deserializeAls, type AlsRecommender } from '../../shared/ml/als';
import { seededRandom } from '../../shared/ml/als-engine';
import { topItems } from '../../shared/ml/als-top';
import { buildMatrix } from '../../shared/ml/matrix';
import type { InteractionMatrix } from '../../shared/ml/recommender';

const GROUPS = 5;
const USERS = 250;
const ITEMS = 200;

/**
 * Planted rank-5 structure: item i belongs to group i mod 5, user u to group u mod 5; each user has 16 of
 * their group's 40 items and 2 random others, with weights 1–3.
 */
function planted(seed = 7): InteractionMatrix {
  const random = seededRandom(seed);
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  for (let user = 0; user < USERS; user += 1) {
    const chosen = new Set<number>();
    while (chosen.size < 16) chosen.add(Math.floor(random() * (ITEMS / GROUPS)) * GROUPS + (user % GROUPS));
    while (chosen.size < 18) chosen.add(Math.floor(random() * ITEMS));
    for (const item of chosen) {
      users.push(user);
      items.push(item);
      weights.push(1 + Math.floor(random() * 3));
    }
  }
  return buildMatrix({ users, items, weights }, USERS, ITEMS);
}

function fitted(options = {}, matrix = planted()): AlsRecommender {
  const model = createAls({ factors: 8, iterations: 10, ...options });
  model.fit(matrix);
  return model;
}

function rowOf(matrix: InteractionMatrix, user: number): { items: number[]; weights: number[] } {
  const start = matrix.userIndptr[user] as number;
  const end = matrix.userIndptr[user + 1] as number;
  return {
    items: Array.from(matrix.userIndices.subarray(start, end)),
    weights: Array.from(matrix.userWeights.subarray(start, end)),
  };
}

/** The user step's system solved exactly in float64: (YᵀY + λI + Σ (c − 1) y yᵀ) x = Σ c y. */
function exactUser(model: AlsRecommender, items: number[], weights: number[]): Float64Array {
  const { factors, regularization, alpha } = model.options;
  const y = (item: number, factor: number): number => model.itemFactors[item * factors + factor] as number;
  const width = factors + 1;
  // augmented matrix [A | b], row-major
  const system = new Float64Array(factors * width);
  const addTo = (row: number, column: number, value: number): void => {
    system[row * width + column] = (system[row * width + column] as number) + value;
  };
  const at = (row: number, column: number): number => system[row * width + column] as number;
  for (let row = 0; row < factors; row += 1) addTo(row, row, regularization);
  for (let item = 0; item < model.itemFactors.length / factors; item += 1)
    for (let row = 0; row < factors; row += 1)
      for (let column = 0; column < factors; column += 1) addTo(row, column, y(item, row) * y(item, column));
  items.forEach((item, index) => {
    const confidence = 1 + alpha * (weights[index] as number);
    for (let row = 0; row < factors; row += 1) {
      addTo(row, factors, confidence * y(item, row));
      for (let column = 0; column < factors; column += 1)
        addTo(row, column, (confidence - 1) * y(item, row) * y(item, column));
    }
  });
  for (let pivot = 0; pivot < factors; pivot += 1)
    for (let row = pivot + 1; row < factors; row += 1) {
      const ratio = at(row, pivot) / at(pivot, pivot);
      for (let column = pivot; column < width; column += 1) addTo(row, column, -ratio * at(pivot, column));
    }
  const x = new Float64Array(factors);
  for (let row = factors - 1; row >= 0; row -= 1) {
    let sum = at(row, factors);
    for (let column = row + 1; column < factors; column += 1) sum -= at(row, column) * (x[column] as number);
    x[row] = sum / at(row, row);
  }
  return x;
}

function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let norm = 0;
  let error = 0;
  for (let index = 0; index < expected.length; index += 1) {
    norm = Math.max(norm, Math.abs(expected[index] as number));
    error = Math.max(error, Math.abs((actual[index] as number) - (expected[index] as number)));
  }
  return error / norm;
}

describe('ALS', () => {
  const matrix = planted();
  const model = fitted({}, matrix);

  it('recovers planted groups: top-10 items come from the user’s own group', () => {
    let inGroup = 0;
    for (let user = 0; user < USERS; user += 1)
      for (const { item } of model.recommend(user, { k: 10 }))
        if (item % GROUPS === user % GROUPS) inGroup += 1;
    expect(inGroup / (USERS * 10)).toBeGreaterThan(0.95);
    let similar = 0;
    for (let item = 0; item < ITEMS; item += 1)
      for (const neighbour of model.similarItems(item, 5)) {
        expect(neighbour.item).not.toBe(item);
        if (neighbour.item % GROUPS === item % GROUPS) similar += 1;
      }
    expect(similar / (ITEMS * 5)).toBeGreaterThan(0.9);
  });

  it('never returns a training item or an excluded one, best first', () => {
    for (let user = 0; user < USERS; user += 7) {
      const seen = new Set(rowOf(matrix, user).items);
      const exclude = new Set([0, 5, 10, 15, 20]);
      const recommended = model.recommend(user, { k: 50, exclude });
      expect(recommended).toHaveLength(50);
      for (const { item } of recommended) {
        expect(seen.has(item)).toBe(false);
        expect(exclude.has(item)).toBe(false);
      }
      for (let rank = 1; rank < recommended.length; rank += 1)
        expect((recommended[rank - 1] as { score: number }).score).toBeGreaterThanOrEqual(
          (recommended[rank] as { score: number }).score,
        );
    }
    // a user with every item seen gets nothing
    const full = buildMatrix({ users: [0, 0, 1], items: [0, 1, 0], weights: [1, 1, 1] }, 2, 2);
    const tiny = fitted({ factors: 2 }, full);
    expect(tiny.recommend(0, { k: 5 })).toEqual([]);
    expect(tiny.recommend(1, { k: 5 }).map((scored) => scored.item)).toEqual([1]);
  });

  it('breaks ties by the lower item index', () => {
    const scores = Float32Array.of(1, 3, 3, 2, 3, Number.NaN);
    expect(topItems(scores, 0, 6, new Int32Array(0), { k: 3 }).map((scored) => scored.item)).toEqual([
      1, 2, 4,
    ]);
    expect(topItems(Float32Array.of(1, 3, 3), 0, 3, Int32Array.of(1), { k: 2 }).map((s) => s.item)).toEqual([
      2, 0,
    ]);
  });

  it('is deterministic under a seed and differs under another', () => {
    const again = fitted({}, matrix);
    expect(again.userFactors).toEqual(model.userFactors);
    expect(again.itemFactors).toEqual(model.itemFactors);
    const other = fitted({ seed: 43 }, matrix);
    expect(other.itemFactors).not.toEqual(model.itemFactors);
    expect(model.userFactors).toHaveLength(USERS * 8);
    expect(model.itemFactors.every(Number.isFinite)).toBe(true);
  });

  it('folds a user in as the exact solution of the user step', () => {
    for (const user of [0, 1, 42, 249]) {
      const { items, weights } = rowOf(matrix, user);
      const folded = model.foldIn(items, weights);
      expect(folded).toHaveLength(8);
      expect(maxRelativeError(folded, exactUser(model, items, weights))).toBeLessThan(1e-3);
      // the fitted row, solved against the previous iteration's items, is close too
      expect(maxRelativeError(folded, model.userFactors.subarray(user * 8, user * 8 + 8))).toBeLessThan(0.05);
      const direct = model.recommend(user, { k: 10 }).map((scored) => scored.item);
      const viaFold = model.recommendFor(items, weights, { k: 10 }).map((scored) => scored.item);
      expect(viaFold.filter((item) => direct.includes(item)).length).toBeGreaterThanOrEqual(8);
      for (const item of viaFold) expect(items.includes(item)).toBe(false);
    }
    expect(model.foldIn([], [])).toEqual(new Float32Array(8));
    // longer than the fold-in buffer's first capacity
    const many = Array.from({ length: 1500 }, (_, index) => index % ITEMS);
    expect(
      model
        .foldIn(
          many,
          many.map(() => 1),
        )
        .every(Number.isFinite),
    ).toBe(true);
    expect(() => model.foldIn([ITEMS], [1])).toThrow(/outside/);
  });

  it('serialises and deserialises to identical recommendations', () => {
    const bytes = model.serialize();
    const restored = deserializeAls(bytes);
    expect(restored.options).toEqual(model.options);
    expect(restored.userFactors).toEqual(model.userFactors);
    expect(restored.itemFactors).toEqual(model.itemFactors);
    for (let user = 0; user < USERS; user += 1)
      expect(restored.recommend(user, { k: 10 })).toEqual(model.recommend(user, { k: 10 }));
    const { items, weights } = rowOf(matrix, 3);
    expect(restored.foldIn(items, weights)).toEqual(model.foldIn(items, weights));
    expect(restored.similarItems(17, 5)).toEqual(model.similarItems(17, 5));
    expect(restored.serialize()).toEqual(bytes);
    expect(() => deserializeAls(bytes.subarray(0, bytes.length - 4))).toThrow(/expected/);
    const wrong = bytes.slice();
    wrong[0] = 0;
    expect(() => deserializeAls(wrong)).toThrow(/not an ALS model/);
  });

  it('recommends for all users at once exactly as one by one', () => {
    const all = model.recommendAll(10);
    for (let user = 0; user < USERS; user += 1) {
      const one = model.recommend(user, { k: 10 });
      expect(Array.from(all.items.subarray(user * 10, user * 10 + 10))).toEqual(
        one.map((scored) => scored.item),
      );
      expect(Array.from(all.scores.subarray(user * 10, user * 10 + 10))).toEqual(
        one.map((scored) => scored.score),
      );
    }
  });

  it('handles odd factor counts, empty rows and validates options', () => {
    const sparse = buildMatrix({ users: [0, 0, 2], items: [1, 3, 1], weights: [1, 2, 1] }, 4, 5);
    const odd = fitted({ factors: 3, iterations: 3 }, sparse);
    expect(odd.userFactors).toHaveLength(12);
    expect(odd.userFactors.every(Number.isFinite)).toBe(true);
    expect(odd.recommend(1, { k: 3 })).toHaveLength(3);
    expect(() => createAls({ factors: 0 })).toThrow(/factors/);
    expect(() => createAls({ regularization: -1 })).toThrow(/regularization/);
    expect(() => createAls().recommend(0, { k: 1 })).toThrow(/not fitted/);
    expect(createAls().userFactors).toHaveLength(0);
  });
});
