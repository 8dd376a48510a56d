/** Seeded random interaction matrices for the model tests. */
import { buildMatrix } from '../../shared/ml/matrix';
import type { InteractionMatrix } from '../../shared/ml/recommender';
import { seededRandom } from '../../shared/ml/split';

/**
 * Each (user, item) is read with probability density × (1 + skew·(½ − item/items)): `skew` 0 is uniform,
 * 1 makes the first items three times as popular as the last, as in reading data.
 */
export function randomMatrix(
  users: number,
  items: number,
  density: number,
  seed: number,
  skew = 0,
): InteractionMatrix {
  const random = seededRandom(seed);
  const rows: number[] = [];
  const columns: number[] = [];
  for (let user = 0; user < users; user += 1)
    for (let item = 0; item < items; item += 1)
      if (random() < density * (1 + skew * (0.5 - item / items))) {
        rows.push(user);
        columns.push(item);
      }
  return buildMatrix({ users: rows, items: columns, weights: rows.map(() => 1) }, users, items);
}
