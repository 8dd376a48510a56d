/**
 * The offline evaluation protocol (../shared/data/README.md): every interaction counts once; per user, a
 * seeded random 80% of their items is training and the rest is test. The same split, applied to the
 * training part alone, carves the validation set that hyper-parameter search uses.
 */
import { buildMatrix } from './matrix';
import type { InteractionMatrix } from './recommender';
import { seededRandom } from './random';

export { seededRandom };

/** The same matrix with every weight 1, so repeated interactions count once (the protocol). */
export function binarize(matrix: InteractionMatrix): InteractionMatrix {
  return {
    ...matrix,
    userWeights: new Float32Array(matrix.userWeights.length).fill(1),
    itemWeights: new Float32Array(matrix.itemWeights.length).fill(1),
  };
}

/** Training and held-out interactions over the same users × items. */
export interface TrainTest {
  train: InteractionMatrix;
  test: InteractionMatrix;
}

/** Options of `splitPerUser`. */
export interface SplitOptions {
  /** The share of each user's items kept for training (default 0.8). */
  trainFraction?: number;
  /** Seed of the shuffle (default 42). */
  seed?: number;
}

/**
 * Per user, shuffles their items (Fisher–Yates, seeded) and keeps round(trainFraction·n) of them for
 * training, the rest for test; weights are carried over. Users are visited in index order from one
 * generator, so the split depends only on the matrix and the seed. A user with one item keeps it.
 */
export function splitPerUser(matrix: InteractionMatrix, options: SplitOptions = {}): TrainTest {
  const fraction = options.trainFraction ?? 0.8;
  if (!(fraction > 0 && fraction <= 1))
    throw new RangeError(`splitPerUser: trainFraction must be in (0, 1] (got ${fraction})`);
  const random = seededRandom(options.seed ?? 42);
  const train = { users: [] as number[], items: [] as number[], weights: [] as number[] };
  const test = { users: [] as number[], items: [] as number[], weights: [] as number[] };
  for (let user = 0; user < matrix.users; user += 1) {
    const start = matrix.userIndptr[user] as number;
    const count = (matrix.userIndptr[user + 1] as number) - start;
    const order = Array.from({ length: count }, (_, index) => start + index);
    for (let index = count - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [order[index], order[other]] = [order[other] as number, order[index] as number];
    }
    const keep = Math.max(Math.min(count, 1), Math.round(fraction * count));
    order.forEach((entry, position) => {
      const target = position < keep ? train : test;
      target.users.push(user);
      target.items.push(matrix.userIndices[entry] as number);
      target.weights.push(matrix.userWeights[entry] as number);
    });
  }
  return {
    train: buildMatrix(train, matrix.users, matrix.items),
    test: buildMatrix(test, matrix.users, matrix.items),
  };
}
