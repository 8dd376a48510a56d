/** Dropping an erased reader's row from a stored ALS model keeps every other user's recommendations. */
import { describe, expect, it } from 'vitest';
import { createAls, deserializeAls } from '../../shared/ml/als';
import { dropAlsUser } from '../../shared/ml/als-drop-user';
import { buildMatrix } from '../../shared/ml/matrix';

describe('dropAlsUser', () => {
  it('removes one user; the others keep their factors, training rows and lists', () => {
    const users: number[] = [];
    const items: number[] = [];
    const weights: number[] = [];
    for (let user = 0; user < 6; user += 1)
      for (let item = 0; item < 12; item += 1)
        if ((user * 7 + item * 3) % 4 === 0) {
          users.push(user);
          items.push(item);
          weights.push(1 + (item % 3));
        }
    const model = createAls({ factors: 4, iterations: 5 });
    model.fit(buildMatrix({ users, items, weights }, 6, 12));
    const bytes = model.serialize();
    const dropped = dropAlsUser(bytes, 2);
    expect(dropped.length).toBeLessThan(bytes.length);
    const smaller = deserializeAls(dropped);
    const original = deserializeAls(bytes);
    for (const [before, after] of [
      [0, 0],
      [1, 1],
      [3, 2],
      [5, 4],
    ] as const)
      expect(smaller.recommend(after, { k: 5 })).toEqual(original.recommend(before, { k: 5 }));
    expect(() => smaller.recommend(5, { k: 5 })).toThrow();
    expect(() => dropAlsUser(bytes, 6)).toThrow(RangeError);
  });
});
