/**
 * The nightly job's choice of collaborative model: too little data trains the fixed ALS; enough runs the
 * budgeted search over the personalised models, and whatever wins serves a reader from their newest
 * evidence, so a thumbs-up changes the next list with no retraining.
 */
import { describe, expect, it } from 'vitest';
import { buildMatrix } from '../../shared/ml/matrix';
import { seededRandom } from '../../shared/ml/split';
import { SEARCH_MIN_ENTRIES, chooseCollaborative } from '../../workers/db/recommend/collaborative';

/** 60 readers in 3 taste groups of 20 books; each reads 8 of their group's books and one stray. */
function groups(readers: number) {
  const random = seededRandom(9);
  const users: number[] = [];
  const items: number[] = [];
  for (let reader = 0; reader < readers; reader += 1) {
    const group = reader % 3;
    const books = new Set<number>();
    while (books.size < 8) books.add(group * 20 + Math.floor(random() * 20));
    books.add(Math.floor(random() * 60));
    for (const book of books) {
      users.push(reader);
      items.push(book);
    }
  }
  return buildMatrix({ users, items, weights: users.map(() => 1) }, readers, 60);
}

describe('the nightly collaborative choice', () => {
  it('trains the fixed ALS when there is too little to validate on', async () => {
    const small = groups(6);
    expect(small.userIndices.length).toBeLessThan(SEARCH_MIN_ENTRIES);
    const chosen = await chooseCollaborative(small);
    expect(chosen.kind).toBe('als');
    expect(chosen.description).toMatch(/too little data/);
  });

  it('searches within its budget and serves the winner from the newest evidence', async () => {
    const matrix = groups(60);
    expect(matrix.userIndices.length).toBeGreaterThanOrEqual(SEARCH_MIN_ENTRIES);
    const started = Date.now();
    const chosen = await chooseCollaborative(matrix, 30);
    expect((Date.now() - started) / 1000).toBeLessThan(60);
    expect(['knn', 'rp3', 'ease', 'als', 'blend']).toContain(chosen.kind);
    expect(chosen.description).toMatch(/had the best validation NDCG@10/);
    chosen.model.fit(matrix);
    // A reader of group 1 only, then the same reader after a thumbs-up on two books of group 2.
    const before = chosen.model.recommendFor([20, 23, 26], [1, 1, 1], { k: 5 });
    expect(before.every((scored) => scored.item >= 20 && scored.item < 40)).toBe(true);
    const after = chosen.model.recommendFor([20, 23, 26, 41, 44, 47, 50], [1, 1, 1, 1, 1, 1, 1], { k: 5 });
    expect(after.some((scored) => scored.item >= 40)).toBe(true);
  });
});
