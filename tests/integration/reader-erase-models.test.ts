/**
 * Erasing a reader from whichever collaborative model the nightly search chose: with enough evidence
 * the nightly job picks among kNN, RP3beta, EASE and ALS; an ALS model loses the reader's row, any
 * other kind is dropped at once; either way no stored model names the reader, and serving goes on.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDirs, finishedJob, open, value } from '../support/core';

afterAll(cleanupDirs);

describe('readers.remove and the chosen collaborative model', () => {
  it('leaves no stored model naming the reader, and the others are still served', async () => {
    const core = await open();
    const { api } = core;
    try {
      const books = value(
        await api.books.addMany({
          books: Array.from({ length: 60 }, (_, index) => ({
            title: `Shelf book ${index}`,
            subjects: [index % 3 ? 'Adventure' : 'Poetry'],
            approvedForChildren: true,
          })),
        }),
      ).ids;
      const readers: string[] = [];
      for (let index = 0; index < 14; index += 1)
        readers.push(value(await api.readers.add({ name: `Pupil ${index}`, grade: 5, age: 10 })).id);
      // 14 readers × 18 books, overlapping in clusters: enough (≥ 200) for the nightly search.
      for (const [reader, id] of readers.entries())
        for (let step = 0; step < 18; step += 1) {
          const book = books[((reader % 3) * 17 + step * 2 + (reader % 2)) % books.length] as string;
          value(await api.interactions.log({ readerId: id, bookId: book, type: 'finish' }));
        }
      const nightly = await finishedJob(core, value(await api.jobs.run({ kind: 'nightly' })).id, 120_000);
      expect(nightly.state).toBe('succeeded');
      const [erased, kept] = readers as [string, string];
      const removal = value(await api.readers.remove({ id: erased }));
      expect(removal.modelRowDropped).toBe(true);
      const served = value(await api.recommend.get({ readerId: kept, k: 5, fresh: true }));
      expect(served.items.length).toBeGreaterThan(0);
      // The next nightly run trains again on what is left.
      const again = await finishedJob(core, value(await api.jobs.run({ kind: 'nightly' })).id, 120_000);
      expect(again.state).toBe('succeeded');
      expect(JSON.stringify(again)).not.toContain(erased);
    } finally {
      await core.close();
    }
  });
});
