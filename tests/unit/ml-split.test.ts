/** The seeded per-user 80/20 split of the offline protocol. */
import { describe, expect, it } from 'vitest';
import { buildMatrix } from '../../shared/ml/matrix';
import type { InteractionMatrix } from '../../shared/ml/recommender';
import { binarize, seededRandom, splitPerUser } from '../../shared/ml/split';

function rowOf(matrix: InteractionMatrix, user: number): number[] {
  return Array.from(
    matrix.userIndices.subarray(matrix.userIndptr[user] as number, matrix.userIndptr[user + 1] as number),
  );
}

// User u has 5·u + 1 items (1, 6, 11, … 46), weights 1..n.
const users: number[] = [];
const items: number[] = [];
const weights: number[] = [];
for (let user = 0; user < 10; user += 1)
  for (let item = 0; item < 5 * user + 1; item += 1) {
    users.push(user);
    items.push(item);
    weights.push(item + 1);
  }
const matrix = buildMatrix({ users, items, weights }, 10, 50);

describe('seededRandom', () => {
  it('repeats for a seed, differs between seeds, and stays in [0, 1)', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const c = seededRandom(2);
    const first = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(first);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe('splitPerUser', () => {
  it('keeps round(80%) of each user’s items for training and the rest for test, disjoint and complete', () => {
    const { train, test } = splitPerUser(matrix, { seed: 42 });
    expect([train.users, train.items, test.users, test.items]).toEqual([10, 50, 10, 50]);
    for (let user = 0; user < 10; user += 1) {
      const all = rowOf(matrix, user);
      const trained = rowOf(train, user);
      const tested = rowOf(test, user);
      expect(trained).toHaveLength(Math.round(0.8 * all.length));
      expect([...trained, ...tested].sort((a, b) => a - b)).toEqual(all);
    }
    // A user with one item keeps it for training.
    expect(rowOf(test, 0)).toEqual([]);
  });

  it('carries the weights over', () => {
    const { train } = splitPerUser(matrix, { seed: 42 });
    for (let entry = 0; entry < train.userIndices.length; entry += 1)
      expect(train.userWeights[entry]).toBe((train.userIndices[entry] as number) + 1);
  });

  it('is the same for a seed and different for another', () => {
    const once = splitPerUser(matrix, { seed: 7 });
    const again = splitPerUser(matrix, { seed: 7 });
    const other = splitPerUser(matrix, { seed: 8 });
    expect(Array.from(again.test.userIndices)).toEqual(Array.from(once.test.userIndices));
    expect(Array.from(other.test.userIndices)).not.toEqual(Array.from(once.test.userIndices));
  });

  it('honours another training fraction and refuses a nonsensical one', () => {
    const { train } = splitPerUser(matrix, { seed: 1, trainFraction: 0.5 });
    expect(rowOf(train, 9)).toHaveLength(Math.round(0.5 * 46));
    expect(() => splitPerUser(matrix, { trainFraction: 0 })).toThrow(/trainFraction/);
  });
});

describe('binarize', () => {
  it('sets every weight to 1, on both sides', () => {
    const binary = binarize(buildMatrix({ users: [0, 0, 1], items: [1, 1, 2], weights: [3, 4, 5] }, 2, 3));
    expect(Array.from(binary.userWeights)).toEqual([1, 1]);
    expect(Array.from(binary.itemWeights)).toEqual([1, 1]);
  });
});
