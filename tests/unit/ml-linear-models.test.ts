/**
 * The linear item models: the float32 blocked sweep inverts as float64 does, EASE^R from it equals the
 * closed form B = I − P·diag(1/diag P) and keeps only the strongest neighbours, RP3beta equals its formula.
 */
import { describe, expect, it } from 'vitest';
import { invertSymmetricPositiveDefinite } from '../../shared/ml/dense-inverse';
import { createEase } from '../../shared/ml/ease';
import {
  PIVOT_BLOCK,
  createPacked,
  mirrorDiagonalTiles,
  packedIndex,
  sweepInverse,
} from '../../shared/ml/ease-sweep';
import { buildMatrix } from '../../shared/ml/matrix';
import type { InteractionMatrix } from '../../shared/ml/recommender';
import { createRp3 } from '../../shared/ml/rp3beta';
import { randomMatrix } from '../support/random-matrix';

/** Dense G = XᵀX + λI (float64). */
function gram(matrix: InteractionMatrix, lambda: number): Float64Array {
  const n = matrix.items;
  const g = new Float64Array(n * n);
  for (let user = 0; user < matrix.users; user += 1) {
    const items = matrix.userIndices.subarray(matrix.userIndptr[user], matrix.userIndptr[user + 1]);
    for (const i of items) for (const j of items) g[i * n + j] = (g[i * n + j] as number) + 1;
  }
  for (let i = 0; i < n; i += 1) g[i * n + i] = (g[i * n + i] as number) + lambda;
  return g;
}

describe('the blocked sweep', () => {
  it('inverts a matrix larger than one pivot block, of an order not a multiple of 4, as float64 does', () => {
    const matrix = randomMatrix(500, PIVOT_BLOCK + 37, 0.1, 11);
    const n = matrix.items;
    const g = gram(matrix, 5);
    const packed = createPacked(n);
    for (let i = 0; i < n; i += 1)
      for (let j = 0; j <= i; j += 1) packed.values[packedIndex(packed, i, j)] = g[i * n + j] as number;
    mirrorDiagonalTiles(packed);
    sweepInverse(packed);
    invertSymmetricPositiveDefinite(g, n);
    let largest = 0;
    let error = 0;
    for (let i = 0; i < n; i += 1)
      for (let j = 0; j < n; j += 1) {
        largest = Math.max(largest, Math.abs(g[i * n + j] as number));
        error = Math.max(
          error,
          Math.abs(-(packed.values[packedIndex(packed, i, j)] as number) - (g[i * n + j] as number)),
        );
      }
    expect(error / largest).toBeLessThan(1e-5);
  });

  it('refuses a matrix that is not positive definite', () => {
    const packed = createPacked(3);
    packed.values[packedIndex(packed, 0, 0)] = 1;
    packed.values[packedIndex(packed, 1, 0)] = 2;
    packed.values[packedIndex(packed, 1, 1)] = 1;
    packed.values[packedIndex(packed, 2, 2)] = 1;
    mirrorDiagonalTiles(packed);
    expect(() => sweepInverse(packed)).toThrow(/not positive definite/);
  });
});

describe.each([
  { solve: 'primal (more users than items)', users: 120 },
  { solve: 'dual (fewer users than items)', users: 40 },
])('EASE^R, $solve', ({ users }) => {
  const matrix = randomMatrix(users, 60, 0.15, 3);
  const lambda = 20;
  const n = matrix.items;
  const p = gram(matrix, lambda);
  invertSymmetricPositiveDefinite(p, n);
  const b = (i: number, j: number) => (i === j ? 0 : -(p[i * n + j] as number) / (p[j * n + j] as number));

  it('scores a reader as history × B, B from the closed form', () => {
    const model = createEase({ lambda, neighbours: n });
    model.fit(matrix);
    const history = [3, 17, 42];
    const scores = model.recommendFor(history, [1, 1, 1], { k: n });
    expect(scores).toHaveLength(n - 3);
    for (const { item, score } of scores) {
      const expected = history.reduce((sum, source) => sum + b(source, item), 0);
      expect(score).toBeCloseTo(expected, 5);
    }
  });

  it('keeps the strongest `neighbours` sources of each item', () => {
    const model = createEase({ lambda, neighbours: 5 });
    model.fit(matrix);
    const target = 7;
    const strongest = Array.from({ length: n }, (_, source) => source)
      .filter((source) => source !== target)
      .sort((x, y) => Math.abs(b(y, target)) - Math.abs(b(x, target)))
      .slice(0, 5);
    // A reader with one item scores the target only when that item is among its kept sources.
    for (let source = 0; source < n; source += 1) {
      if (source === target) continue;
      const found = model.recommendFor([source], [1], { k: n }).find((scored) => scored.item === target);
      expect(found?.score ?? 0).toBeCloseTo(strongest.includes(source) ? b(source, target) : 0, 5);
    }
  });
});

describe('RP3beta', () => {
  // users 0..2; item 0 is read by all, item 3 by one
  const matrix = buildMatrix(
    { users: [0, 0, 1, 1, 1, 2, 2], items: [0, 1, 0, 1, 2, 0, 3], weights: [1, 1, 1, 1, 1, 1, 1] },
    3,
    4,
  );

  it('is the three-step walk with popularity divided out', () => {
    const alpha = 0.8;
    const beta = 0.4;
    const model = createRp3({ walkExponent: alpha, popularityExponent: beta, neighbours: 10 });
    model.fit(matrix);
    // W[1][j] = Σ_u P(u|1)^α P(j|u)^α / deg(j)^β; item 1 is read by users 0 (2 items) and 1 (3 items).
    const w = (j: number, degree: number, users: [number, number][]) =>
      users.reduce(
        (sum, [itemsOfUser, has]) => sum + has * Math.pow(0.5, alpha) * Math.pow(1 / itemsOfUser, alpha),
        0,
      ) / Math.pow(degree, beta);
    const scores = new Map(
      model.recommendFor([1], [1], { k: 4 }).map((scored) => [scored.item, scored.score]),
    );
    expect(scores.get(0)).toBeCloseTo(
      w(0, 3, [
        [2, 1],
        [3, 1],
      ]),
      6,
    );
    expect(scores.get(2)).toBeCloseTo(
      w(2, 1, [
        [2, 0],
        [3, 1],
      ]),
      6,
    );
    expect(scores.get(3)).toBe(0);
  });

  it('ranks a popular item lower as β grows', () => {
    const plain = createRp3({ popularityExponent: 0 });
    const penalised = createRp3({ popularityExponent: 1 });
    plain.fit(matrix);
    penalised.fit(matrix);
    expect(plain.recommendFor([1], [1], { k: 1 })[0]?.item).toBe(0);
    expect(penalised.recommendFor([1], [1], { k: 1 })[0]?.item).toBe(2);
  });

  it('validates its options', () => {
    expect(() => createRp3({ walkExponent: 0 })).toThrow(/walkExponent/);
    expect(() => createRp3({ popularityExponent: -1 })).toThrow(/popularityExponent/);
    expect(() => createRp3({ neighbours: 0 })).toThrow(/neighbours/);
  });
});
