/**
 * The analytics view's core methods through the real core: interactions per ISO week (empty weeks
 * included, scoped to a class) and the library audit (books and readers per grade band).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../workers/host/core';
import { cleanupDirs, failure, open, value } from '../support/core';

afterAll(cleanupDirs);

describe('analytics', () => {
  let core: Core;
  let room4: string;

  beforeAll(async () => {
    core = await open();
    const api = core.api;
    const books = value(
      await api.books.addMany({
        books: [
          { title: 'Grade three A', readingLevel: { value: '3.4', system: 'atos' }, ownedCopies: 2 },
          { title: 'Grade three B', readingLevel: { value: '520L', system: 'lexile' } },
          { title: 'Grade five', readingLevel: { value: '5.2', system: 'atos' }, ownedCopies: 1 },
          { title: 'No level' },
        ],
      }),
    ).ids;
    const ada = value(await api.readers.add({ name: 'Ada', grade: 3, className: 'Room 4' }));
    const milo = value(
      await api.readers.add({
        name: 'Milo',
        readingLevel: { value: '5.0', system: 'atos' },
        className: 'Room 4',
      }),
    );
    const zoe = value(await api.readers.add({ name: 'Zoe', className: 'Room 5' }));
    room4 = ada.classId as string;
    const log = async (readerId: string, bookId: string, type: 'finish' | 'thumbs_up' | 'view', at: string) =>
      value(await api.interactions.log({ readerId, bookId, type, occurredAt: at }));
    await log(ada.id, books[0] as string, 'finish', '2026-11-03T10:00:00Z'); // Tuesday of the week of Nov 2
    await log(ada.id, books[1] as string, 'thumbs_up', '2026-11-08T23:59:00Z'); // Sunday, same week
    await log(milo.id, books[2] as string, 'finish', '2026-11-16T08:00:00Z'); // Monday of Nov 16
    await log(zoe.id, books[2] as string, 'view', '2026-11-17T08:00:00Z');
  });

  afterAll(async () => {
    await core?.close();
  });

  it('counts interactions per ISO week, with empty weeks, split by kind', async () => {
    const activity = value(await core.api.analytics.activity({ from: '2026-11-01', to: '2026-11-20' }));
    expect(activity.weeks).toEqual([
      { week: '2026-10-26', reading: 0, feedback: 0, other: 0 },
      { week: '2026-11-02', reading: 1, feedback: 1, other: 0 },
      { week: '2026-11-09', reading: 0, feedback: 0, other: 0 },
      { week: '2026-11-16', reading: 1, feedback: 0, other: 1 },
    ]);
    const scoped = value(
      await core.api.analytics.activity({ classId: room4, from: '2026-11-01', to: '2026-11-20' }),
    );
    expect(scoped.weeks.at(-1)).toEqual({ week: '2026-11-16', reading: 1, feedback: 0, other: 0 });
  });

  it('places books and a class’s readers in grade bands', async () => {
    const audit = value(await core.api.analytics.levels({ classId: room4 }));
    const band = (label: string) => audit.bands.find((entry) => entry.label === label);
    expect(audit.bands[0]?.label).toBe('Pre-K');
    expect(audit.bands.at(-1)?.label).toBe('Adult');
    expect(band('3')).toMatchObject({ books: 1, readers: 1 });
    expect(band('2')?.books).toBe(1); // 520L is about grade 2.9 on the Lexile anchors
    expect(band('5')).toMatchObject({ books: 1, readers: 1 });
    expect(audit).toMatchObject({ booksWithoutLevel: 1, readersWithoutLevel: 0, ownedOnly: false });

    const everyone = value(await core.api.analytics.levels({ ownedOnly: true }));
    expect(everyone.bands.reduce((sum, entry) => sum + entry.books, 0)).toBe(2);
    expect(everyone.readersWithoutLevel).toBe(1);
  });

  it('names the field of bad input', async () => {
    expect(failure(await core.api.analytics.activity({ classId: 'room 4' })).message).toMatch(
      /^analytics\.activity: classId: /,
    );
  });
});
