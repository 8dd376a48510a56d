/**
 * Recommendations never propose another edition of a book the reader read, through the real core:
 * two editions kept as separate books (added one by one, each with its ISBN) share a work key, and
 * reading one keeps the other out of the reader's list and out of a group's list.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDirs, open, value } from '../support/core';

afterAll(cleanupDirs);

describe('recommendations and works', () => {
  it('never proposes another edition of a book the reader read', async () => {
    const core = await open();
    const adult = {
      interestLevel: 'adult' as const,
      interestAgeMin: 18,
      ownedCopies: 5,
      readingLevel: { value: '12', system: 'grade' as const },
    };
    const added = value(
      await core.api.books.addMany({
        books: [
          { title: 'Holes', authors: ['Louis Sachar'], isbn13: '9780440414803', ...adult },
          // Another edition: the subtitle and "Last, First" order do not make it another work.
          {
            title: 'Holes: anniversary edition',
            authors: ['Sachar, Louis'],
            isbn13: '9780374332655',
            ...adult,
          },
          { title: 'Wayside School', authors: ['Louis Sachar'], ...adult, ownedCopies: 1 },
          { title: 'Hatchet', authors: ['Gary Paulsen'], ...adult, ownedCopies: 1 },
        ],
      }),
    );
    const [paperback, hardcover, wayside, hatchet] = added.ids as [string, string, string, string];
    const reader = value(await core.api.readers.add({ name: 'Ada', age: 17 }));
    const friend = value(await core.api.readers.add({ name: 'Ben', age: 17 }));
    const before = value(await core.api.recommend.get({ readerId: reader.id, k: 10 }));
    expect(before.items.map((item) => item.bookId)).toContain(hardcover);

    value(await core.api.interactions.log({ readerId: reader.id, bookId: paperback, type: 'finish' }));
    const list = value(await core.api.recommend.get({ readerId: reader.id, k: 10, fresh: true }));
    const ids = list.items.map((item) => item.bookId);
    expect(ids).not.toContain(paperback);
    expect(ids).not.toContain(hardcover);
    expect(ids).toEqual(expect.arrayContaining([wayside, hatchet]));

    const group = value(await core.api.recommend.group({ readerIds: [reader.id, friend.id], k: 10 }));
    const groupIds = group.items.map((item) => item.bookId);
    expect(groupIds).not.toContain(hardcover);
    expect(groupIds).toEqual(expect.arrayContaining([wayside, hatchet]));
    await core.close();
  });
});
