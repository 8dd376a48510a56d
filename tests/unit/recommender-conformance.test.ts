/**
 * Every registered recommender (and the blend) honours the `Recommender` contract: it recovers planted
 * structure, never returns seen or excluded items, is deterministic, survives serialisation, and scores a
 * user described by their items as it scores the fitted user.
 */
import { describe, expect, it } from 'vitest';
import { createBlend, deserializeBlend } from '../../shared/ml/blend';
import { buildMatrix } from '../../shared/ml/matrix';
import type { InteractionMatrix, Recommender } from '../../shared/ml/recommender';
import { ALGORITHMS, DESERIALIZERS, RECOMMENDERS } from '../../shared/ml/registry';
import { seededRandom } from '../../shared/ml/split';

const BLOCKS = 4;
const USERS_PER_BLOCK = 20;
const ITEMS_PER_BLOCK = 12;
const SEEN_PER_USER = 8;

/**
 * Users and items fall into blocks; each user has read 8 of the 12 items of their block (so 4 planted
 * items are held out) plus, for every third user, one item of another block as noise. Random choices make
 * item popularity uneven, which gives popularity its own order to recover.
 */
function plantedBlocks(): {
  matrix: InteractionMatrix;
  heldOut: Set<number>[];
  blockOf: (item: number) => number;
} {
  const random = seededRandom(7);
  const users: number[] = [];
  const items: number[] = [];
  const heldOut: Set<number>[] = [];
  for (let block = 0; block < BLOCKS; block += 1)
    for (let member = 0; member < USERS_PER_BLOCK; member += 1) {
      const user = block * USERS_PER_BLOCK + member;
      const own = Array.from({ length: ITEMS_PER_BLOCK }, (_, index) => block * ITEMS_PER_BLOCK + index);
      for (let index = own.length - 1; index > 0; index -= 1) {
        const other = Math.floor(random() * (index + 1));
        [own[index], own[other]] = [own[other] as number, own[index] as number];
      }
      own.slice(0, SEEN_PER_USER).forEach((item) => {
        users.push(user);
        items.push(item);
      });
      heldOut.push(new Set(own.slice(SEEN_PER_USER)));
      if (user % 3 === 0) {
        users.push(user);
        items.push((((block + 1) % BLOCKS) * ITEMS_PER_BLOCK + (user % ITEMS_PER_BLOCK)) as number);
      }
    }
  const matrix = buildMatrix(
    { users, items, weights: users.map(() => 1) },
    BLOCKS * USERS_PER_BLOCK,
    BLOCKS * ITEMS_PER_BLOCK,
  );
  return { matrix, heldOut, blockOf: (item) => Math.floor(item / ITEMS_PER_BLOCK) };
}

interface Entry {
  name: string;
  create: () => Recommender;
  deserialize: (bytes: Uint8Array) => Recommender;
  personalised: boolean;
}

const entries: Entry[] = [
  ...ALGORITHMS.map((name) => ({
    name,
    // The planted matrix has rank 4: ALS gets as many factors as that (its default 64 exceeds the 48 items).
    create: () => RECOMMENDERS[name](name === 'als' ? { factors: 4, regularization: 0.1, seed: 3 } : {}),
    deserialize: DESERIALIZERS[name],
    personalised: name !== 'pop',
  })),
  {
    name: 'blend',
    create: () =>
      createBlend([
        { algo: 'ease', options: { lambda: 50 }, weight: 0.5 },
        { algo: 'knn', options: { neighbours: 20 }, weight: 0.5 },
      ]),
    deserialize: deserializeBlend,
    personalised: true,
  },
];

const { matrix, heldOut, blockOf } = plantedBlocks();

function itemsOf(user: number): { items: number[]; weights: number[] } {
  const start = matrix.userIndptr[user] as number;
  const end = matrix.userIndptr[user + 1] as number;
  return {
    items: Array.from(matrix.userIndices.subarray(start, end)),
    weights: Array.from(matrix.userWeights.subarray(start, end)),
  };
}

function fitted(entry: Entry): Recommender {
  const model = entry.create();
  model.fit(matrix);
  return model;
}

describe.each(entries)('$name conforms to Recommender', (entry) => {
  const model = fitted(entry);

  it('recovers its planted structure', () => {
    if (!entry.personalised) {
      // Popularity knows no blocks: it must recover the popularity order, the same for every user.
      const counts = Array.from(
        { length: matrix.items },
        (_, item) => (matrix.itemIndptr[item + 1] as number) - (matrix.itemIndptr[item] as number),
      );
      const expected = counts
        .map((count, item) => ({ count, item }))
        .sort((a, b) => b.count - a.count || a.item - b.item)
        .slice(0, 5)
        .map((ranked) => ranked.item);
      expect(model.recommendFor([], [], { k: 5 }).map((scored) => scored.item)).toEqual(expected);
      return;
    }
    // The held-out items of a user's block are exactly the 4 unseen ones there: they should fill the top 4.
    let inBlock = 0;
    let recovered = 0;
    for (let user = 0; user < matrix.users; user += 1) {
      const top = model.recommend(user, { k: 4 });
      const block = Math.floor(user / USERS_PER_BLOCK);
      inBlock += top.filter((scored) => blockOf(scored.item) === block).length;
      recovered += top.filter((scored) => heldOut[user]?.has(scored.item)).length;
    }
    expect(inBlock / (matrix.users * 4)).toBeGreaterThan(0.9);
    expect(recovered / (matrix.users * 4)).toBeGreaterThan(0.85);
  });

  it('never returns seen or excluded items, and returns k when it can', () => {
    const exclude = new Set([0, 13, 26, 39]);
    for (let user = 0; user < matrix.users; user += 1) {
      const own = new Set(itemsOf(user).items);
      const top = model.recommend(user, { k: 10, exclude });
      expect(top).toHaveLength(10);
      for (const scored of top) {
        expect(own.has(scored.item)).toBe(false);
        expect(exclude.has(scored.item)).toBe(false);
      }
      for (let rank = 1; rank < top.length; rank += 1)
        expect((top[rank - 1] as { score: number }).score).toBeGreaterThanOrEqual(
          (top[rank] as { score: number }).score,
        );
    }
    const all = model.recommend(0, { k: matrix.items });
    expect(all).toHaveLength(matrix.items - itemsOf(0).items.length);
    const described = model.recommendFor([1, 2, 3], [1, 1, 1], { k: 50, exclude: new Set([4]) });
    expect(described.map((scored) => scored.item)).not.toContain(1);
    expect(described.map((scored) => scored.item)).not.toContain(4);
  });

  it('is deterministic for the same matrix and options', () => {
    const again = fitted(entry);
    for (let user = 0; user < matrix.users; user += 7)
      expect(again.recommend(user, { k: 10 })).toEqual(model.recommend(user, { k: 10 }));
  });

  it('gives identical recommendations after a serialisation round trip', () => {
    const restored = entry.deserialize(model.serialize());
    expect(restored.name).toBe(model.name);
    for (let user = 0; user < matrix.users; user += 1)
      expect(restored.recommend(user, { k: 10 })).toEqual(model.recommend(user, { k: 10 }));
    expect(restored.recommendFor([1, 5], [1, 2], { k: 10 })).toEqual(
      model.recommendFor([1, 5], [1, 2], { k: 10 }),
    );
    expect(restored.similarItems(3, 5)).toEqual(model.similarItems(3, 5));
  });

  it('refuses bytes of another model', () => {
    const other = entries.find((candidate) => candidate.name !== entry.name) as Entry;
    expect(() => entry.deserialize(fitted(other).serialize())).toThrow();
  });

  it('scores a user described by their own items as it scores the fitted user', () => {
    let overlap = 0;
    for (let user = 0; user < matrix.users; user += 1) {
      const { items, weights } = itemsOf(user);
      const fromIndex = model.recommend(user, { k: 5 }).map((scored) => scored.item);
      const fromItems = new Set(model.recommendFor(items, weights, { k: 5 }).map((scored) => scored.item));
      overlap += fromIndex.filter((item) => fromItems.has(item)).length / 5;
    }
    // ALS folds the user in afresh, so its factors differ slightly from the fitted ones; the others are exact.
    expect(overlap / matrix.users).toBeGreaterThan(
      entry.name === 'als' || entry.name === 'blend' ? 0.8 : 0.999,
    );
  });

  it('lists similar items without the item itself', () => {
    const similar = model.similarItems(5, 6);
    expect(similar.length).toBeGreaterThan(0);
    expect(similar.length).toBeLessThanOrEqual(6);
    expect(similar.map((scored) => scored.item)).not.toContain(5);
    if (entry.personalised)
      expect(similar.filter((scored) => blockOf(scored.item) === 0).length).toBeGreaterThan(3);
  });
});

describe('the registry', () => {
  it('has the six algorithms, each with its deserializer', () => {
    expect(Object.keys(RECOMMENDERS).sort()).toEqual(['als', 'ease', 'knn', 'pop', 'rp3', 'sansa']);
    expect(Object.keys(DESERIALIZERS).sort()).toEqual(['als', 'ease', 'knn', 'pop', 'rp3', 'sansa']);
    for (const name of ALGORITHMS) expect(RECOMMENDERS[name]().name).toBe(name);
  });
});
