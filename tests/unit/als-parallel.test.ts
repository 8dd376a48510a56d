/** ALS on worker threads (workers/ml/als-pool.ts) gives exactly the single-thread results. */
import { describe, expect, it } from 'vitest';
import { createAls } from '../../shared/ml/als';
import { seededRandom } from '../../shared/ml/als-engine';
import { buildMatrix } from '../../shared/ml/matrix';
import { AlsPool, fitAls } from '../../workers/ml/als-pool';

/** 3,000 users × 500 items, Zipf-like popularity: several Gramian chunks and many solve chunks. */
function matrix() {
  const random = seededRandom(11);
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  for (let user = 0; user < 3000; user += 1) {
    const count = 1 + Math.floor(random() * 30);
    for (let entry = 0; entry < count; entry += 1) {
      users.push(user);
      items.push(Math.floor(500 * random() ** 2));
      weights.push(1);
    }
  }
  return buildMatrix({ users, items, weights }, 3000, 500);
}

describe('ALS worker pool', () => {
  it('fits and recommends exactly as one thread does', async () => {
    const data = matrix();
    const options = { factors: 16, iterations: 4, seed: 5 };
    const single = createAls(options);
    single.fit(data);
    const pool = new AlsPool(2);
    try {
      const parallel = await pool.fit(data, options);
      expect(parallel.userFactors).toEqual(single.userFactors);
      expect(parallel.itemFactors).toEqual(single.itemFactors);
      const expected = single.recommendAll(10);
      const actual = await pool.recommendAll(single, 10);
      expect(actual.items).toEqual(expected.items);
      expect(actual.scores).toEqual(expected.scores);
      expect(parallel.recommend(17, { k: 5 })).toEqual(single.recommend(17, { k: 5 }));
    } finally {
      await pool.close();
    }
    const oneThread = await fitAls(data, options, { threads: 1 });
    expect(oneThread.itemFactors).toEqual(single.itemFactors);
  });
});
