/**
 * The serving memory through the real core: after opening, the catalogue's facts, the active model's
 * book vectors and the readers' states load in the background (the status says when), and the vectors
 * in memory stay in step with the database: a newly embedded book is found by the in-memory scan at
 * once, a removed one is never served, and a reopened library loads them all again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Core } from '../../workers/host/core';
import { cleanupDirs, finishedJob, open, tempDir, value } from '../support/core';

afterAll(cleanupDirs);

type Book = Parameters<Core['api']['books']['addMany']>[0]['books'][number];
const book = (title: string, subject: string, description: string): Book => ({
  title,
  subjects: [subject],
  interestLevel: 'MG',
  interestAgeMin: 8,
  interestAgeMax: 12,
  readingLevel: { value: '700L', system: 'lexile' },
  description,
});
const CATALOG: Book[] = [
  book(
    'Moon Base Zero',
    'Science fiction',
    'Kids on a moon base face a meteor storm and repair the station.',
  ),
  book('Galaxy Mail', 'Science fiction', 'A courier delivers letters between planets on an old spaceship.'),
  book('The Missing Map', 'Mystery', 'A young detective follows clues to find who stole the museum map.'),
  book('Case of the Quiet Dog', 'Mystery', 'Two cousins investigate a mystery: a dog that never barks.'),
  book('Pony Summer', 'Animals', 'A girl spends the summer caring for a pony on her aunt’s farm.'),
  book('River Otters', 'Animals', 'Otter pups learn to swim and fish in a cold mountain river.'),
];

async function serving(core: Core) {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const status = value(await core.api.status.get());
    if (status.serving.warm) return status.serving;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the serving memory never became warm');
}

describe('serving memory', () => {
  it('loads after opening and follows new, removed and reopened vectors', async () => {
    const dataDir = tempDir();
    let core = await open({ dataDir });
    value(await core.api.books.addMany({ books: CATALOG }));
    expect((await finishedJob(core, value(await core.api.embeddings.run()).id)).state).toBe('succeeded');
    const before = await serving(core);
    expect(before.books).toBe(CATALOG.length);
    expect(before.vectors).toBe(CATALOG.length);

    const reader = value(
      await core.api.readers.add({ name: 'Sam Orbit', grade: 4, age: 9, interests: ['space', 'rockets'] }),
    );
    const added = value(
      await core.api.books.add(
        book('Rocket Cadets', 'Science fiction', 'Cadets fly a rocket to a space station orbiting a planet.'),
      ),
    );
    expect((await finishedJob(core, value(await core.api.embeddings.run()).id)).state).toBe('succeeded');
    // The runner's committed batch went straight into memory: no reload, one more vector.
    expect((await serving(core)).vectors).toBe(CATALOG.length + 1);
    const list = value(await core.api.recommend.get({ readerId: reader.id, k: 3, fresh: true }));
    expect(list.source).toBe('personalised');
    expect(list.items.map((item) => item.title)).toContain('Rocket Cadets');

    value(await core.api.books.remove({ id: added.id }));
    expect((await serving(core)).vectors).toBe(CATALOG.length);
    const after = value(await core.api.recommend.get({ readerId: reader.id, k: 10, fresh: true }));
    expect(after.items.map((item) => item.bookId)).not.toContain(added.id);
    expect(after.items.length).toBeGreaterThan(0);
    await core.close();

    core = await open({ dataDir });
    const reopened = await serving(core);
    expect(reopened.vectors).toBe(CATALOG.length);
    expect(reopened.readers).toBe(1);
    const again = value(await core.api.recommend.get({ readerId: reader.id, k: 3 }));
    expect(again.source).toBe('personalised');
    await core.close();
  });

  it('estimates levels from text in the enrichment job, marked estimated, and names the books it changed', async () => {
    const core = await open();
    const text =
      'The old lighthouse keeper climbed the stairs every night. He lit the lamp and watched the ships. ' +
      'One stormy evening a small boat was lost in the waves, and he rang the bell until the sailors saw ' +
      'the light and found their way safely home to the harbour before morning came.';
    const added = value(
      await core.api.books.addMany({
        books: [
          { title: 'The Lighthouse', description: text },
          { title: 'Levelled', description: text, readingLevel: { value: '640L', system: 'lexile' } },
        ],
      }),
    );
    const changes: { entity: string; ids: string[] }[] = [];
    const stop = core.on('data.changed', (change) => changes.push(change));
    expect((await finishedJob(core, value(await core.api.jobs.run({ kind: 'enrich' })).id)).state).toBe(
      'succeeded',
    );
    stop();
    const estimated = value(await core.api.books.get({ id: added.ids[0] as string }));
    expect(estimated.readingLevel).toMatchObject({ system: 'grade', source: 'estimated' });
    expect(Number(estimated.readingLevel?.value)).toBeGreaterThanOrEqual(1);
    const known = value(await core.api.books.get({ id: added.ids[1] as string }));
    expect(known.readingLevel).toMatchObject({ value: '640L', source: 'known' });
    // Only the estimated book is named, so the serving memory reads that one again, not the catalogue.
    expect(changes.filter((change) => change.entity === 'books')).toEqual([
      expect.objectContaining({ ids: [added.ids[0]] }),
    ]);
    await core.close();
  });
});
