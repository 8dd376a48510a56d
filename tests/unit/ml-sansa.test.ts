/**
 * SANSA and the EASE family: with nothing dropped SANSA's graph is exact EASE^R's; with tight caps the
 * factor stays within them and never breaks down; the approximate inverse is L⁻¹ when nothing is dropped;
 * and the family sends a matrix to exact EASE or to SANSA by its estimated cost.
 */
import { describe, expect, it } from 'vitest';
import { createEase } from '../../shared/ml/ease';
import { chooseEaseMethod, exactSeconds } from '../../shared/ml/ease-family';
import { buildMatrix } from '../../shared/ml/matrix';
import type { InteractionMatrix } from '../../shared/ml/recommender';
import { createSansa, deserializeSansa, sansaSeconds } from '../../shared/ml/sansa';
import { incompleteLdl } from '../../shared/ml/sansa-factor';
import { GramColumns, selectLargest } from '../../shared/ml/sansa-gram';
import { approximateInverse } from '../../shared/ml/sansa-inverse';
import { searchSpace, tune } from '../../shared/ml/tune';
import { randomMatrix as uniformOrSkewed } from '../support/random-matrix';

/** Skewed item popularity, as in reading data. */
function randomMatrix(users: number, items: number, density: number, seed: number): InteractionMatrix {
  return uniformOrSkewed(users, items, density, seed, 1);
}

/** Every (target, source) → weight of a model's similar-items lists (the graph's rows). */
function weightsOf(model: ReturnType<typeof createEase>, items: number): Map<string, number> {
  const weights = new Map<string, number>();
  for (let target = 0; target < items; target += 1)
    for (const scored of model.similarItems(target, items))
      weights.set(`${target}:${scored.item}`, scored.score);
  return weights;
}

describe('selectLargest', () => {
  it('puts the entries of largest magnitude first', () => {
    const key = Float64Array.from([0.5, -3, 2, 0, -1, 7, 0.1]);
    const indices = Int32Array.from([0, 1, 2, 3, 4, 5, 6]);
    expect(selectLargest(indices, 7, key, 3)).toBe(3);
    expect(Array.from(indices.subarray(0, 3)).sort()).toEqual([1, 2, 5]);
    expect(selectLargest(indices, 2, key, 5)).toBe(2);
  });
});

describe('SANSA', () => {
  const matrix = randomMatrix(300, 60, 0.2, 5);

  it('equals exact EASE^R when nothing is dropped', () => {
    const ease = createEase({ lambda: 20, neighbours: 59 });
    const sansa = createSansa({ lambda: 20, neighbours: 59, density: 1, fill: 60 });
    ease.fit(matrix);
    sansa.fit(matrix);
    const exact = weightsOf(ease, 60);
    const approximate = weightsOf(sansa, 60);
    let compared = 0;
    for (const [pair, weight] of exact) {
      // Within float32 rounding of the sweep and the 10⁻⁴ drop tolerance of L and K.
      expect(approximate.get(pair) ?? 0).toBeCloseTo(weight, 3);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('keeps the top-N sources of each target and survives serialisation', () => {
    const sansa = createSansa({ lambda: 20, neighbours: 5 });
    sansa.fit(matrix);
    for (let item = 0; item < 60; item += 7)
      expect(sansa.similarItems(item, 60).length).toBeLessThanOrEqual(5);
    const restored = deserializeSansa(sansa.serialize());
    expect(restored.recommend(3, { k: 10 })).toEqual(sansa.recommend(3, { k: 10 }));
  });

  it('factors a dense Gram matrix within tight caps without a breakdown (diagonal compensation)', () => {
    const dense = randomMatrix(200, 80, 0.5, 9);
    const gram = new GramColumns(dense, 1);
    const factor = incompleteLdl(gram, { perColumn: 4, fill: 2, dropTolerance: 1e-4 });
    expect(factor.shift).toBe(0);
    for (const pivot of factor.pivots) expect(pivot).toBeGreaterThan(0);
    for (let column = 0; column < 80; column += 1)
      expect(factor.lower.indptr[column + 1]! - factor.lower.indptr[column]!).toBeLessThanOrEqual(6);
  });

  it('eliminates the most connected item last (ascending degree)', () => {
    // Every user read item 0 and one other: item 0 shares users with all, the others with item 0 only.
    const users = Array.from({ length: 18 }, (_, user) => Math.floor(user / 2));
    const items = users.map((user, index) => (index % 2 === 0 ? 0 : user + 1));
    const star = buildMatrix({ users, items, weights: users.map(() => 1) }, 9, 10);
    const gram = new GramColumns(star, 1);
    expect(gram.permutation[9]).toBe(0);
    expect(Array.from(gram.degrees)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 9]);
  });

  it('inverts the unit lower factor exactly when nothing is dropped', () => {
    const gram = new GramColumns(randomMatrix(100, 30, 0.2, 3), 5);
    const factor = incompleteLdl(gram, { perColumn: 30, fill: 30, dropTolerance: 0 });
    const inverse = approximateInverse(factor, 30, 0);
    const n = 30;
    const dense = (indptr: Int32Array, indices: Int32Array, values: Float64Array, unit: boolean) => {
      const out = new Float64Array(n * n);
      for (let column = 0; column < n; column += 1) {
        if (unit) out[column * n + column] = 1;
        for (let entry = indptr[column]!; entry < indptr[column + 1]!; entry += 1)
          out[indices[entry]! * n + column] = values[entry]!;
      }
      return out;
    };
    const l = dense(factor.lower.indptr, factor.lower.indices, factor.lower.values, true);
    const k = dense(inverse.indptr, inverse.indices, inverse.values, false);
    for (let i = 0; i < n; i += 1)
      for (let j = 0; j < n; j += 1) {
        let sum = 0;
        for (let t = 0; t < n; t += 1) sum += l[i * n + t]! * k[t * n + j]!;
        expect(sum).toBeCloseTo(i === j ? 1 : 0, 9);
      }
  });
});

describe('the EASE family', () => {
  it('keeps exact EASE while it is cheap and sends large catalogues to SANSA', () => {
    const small = chooseEaseMethod({ users: 943, items: 1682, entries: 100_000 });
    expect(small).toMatchObject({ method: 'dual', algo: 'ease' });
    const large = { users: 20_000, items: 20_000, entries: 2_000_000 };
    expect(chooseEaseMethod(large)).toMatchObject({ method: 'sansa', algo: 'sansa' });
    expect(chooseEaseMethod(large).reason).toMatch(/^SANSA: an exact primal fit of order 20000/);
    expect(sansaSeconds(large)).toBeLessThan(exactSeconds(large) / 10);
  });

  it('makes auto search SANSA instead of EASE past the estimate, and say why', async () => {
    const large = searchSpace({}, 20_000, 20_000, 2_000_000).map((candidate) => candidate.algo);
    expect(large).toContain('sansa');
    expect(large).not.toContain('ease');
    const small = searchSpace({}, 1682, 943, 100_000).map((candidate) => candidate.algo);
    expect(small).toContain('ease');
    expect(small).not.toContain('sansa');
    // A budget too small for one exact λ on every fold hands the family to SANSA.
    const tuned = await tune(randomMatrix(120, 40, 0.2, 4), {
      algorithms: ['ease'],
      budgetSeconds: 1e-5,
      blend: false,
    });
    expect(tuned.easeFamily?.algo).toBe('sansa');
    expect(tuned.reason).toMatch(/EASE family: SANSA: an exact/);
    expect(tuned.choice.members[0]?.algo).toBe('sansa');
  });
});
