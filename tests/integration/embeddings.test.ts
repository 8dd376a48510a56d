/**
 * Embeddings through the real core: the bundled model in the embed worker thread (transformers.js,
 * remote models off), the durable queue on the jobs table, similar books, and model switching.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_MODEL_ID } from '../../shared/embed/models';
import type { Core } from '../../workers/host/core';
import { bundledModelsDir } from '../../workers/db/layout';
import { cleanupDirs, failure, open, tempDir, value, finishedJob } from '../support/core';

afterAll(cleanupDirs);

const SPACE_OPERA =
  'A space opera: starships of rival galactic empires clash in an interstellar war while a young pilot crosses the galaxy.';
const COOKBOOK = 'Easy weeknight recipes for soups, salads and baking bread, with tips for the home cook.';
const DETECTIVE =
  'Inspector Hale investigates a murder at a country house; every suspect has a motive and the clues point everywhere.';
const ROMANCE =
  'Two rivals fall in love over one summer in Paris, in a heartwarming romance about second chances.';
const DRAGONS =
  'A young wizard and her dragon fight a dark sorcerer to save the kingdom in this epic fantasy.';

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += (a[index] as number) * (b[index] as number);
  return sum;
}

async function embed(core: Core, texts: string[]): Promise<Float32Array[]> {
  value(await core.embedding.load(BUNDLED_MODEL_ID));
  return value(await core.embedding.embed(BUNDLED_MODEL_ID, texts));
}

describe('the bundled model in the embed worker', () => {
  it('gives unit-length, deterministic 100-dimensional vectors that rank by content', async () => {
    const core = await open();
    try {
      const loaded = value(await core.embedding.load(BUNDLED_MODEL_ID));
      expect(loaded).toMatchObject({ id: BUNDLED_MODEL_ID, dimension: 100, provider: 'bundled' });
      const [space, cookbook, detective, romance, dragons] = await embed(core, [
        SPACE_OPERA,
        COOKBOOK,
        DETECTIVE,
        ROMANCE,
        DRAGONS,
      ]);
      for (const vector of [space, cookbook, detective, romance, dragons]) {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector?.length).toBe(100);
        expect(Math.sqrt(dot(vector!, vector!))).toBeCloseTo(1, 5);
      }
      const [again] = await embed(core, [SPACE_OPERA]);
      expect([...again!]).toEqual([...space!]);

      const [spaceQuery, whodunit] = await embed(core, [
        'a space opera with starships and an interstellar war between galactic empires',
        'a whodunit murder mystery',
      ]);
      expect(dot(spaceQuery!, space!)).toBeGreaterThan(dot(spaceQuery!, cookbook!));
      const ranked = [
        ['space', space],
        ['cookbook', cookbook],
        ['detective', detective],
        ['romance', romance],
        ['dragons', dragons],
      ]
        .map(([name, vector]) => [name, dot(whodunit!, vector as Float32Array)] as const)
        .sort((a, b) => b[1] - a[1]);
      expect(ranked[0]?.[0]).toBe('detective');
    } finally {
      await core.close();
    }
  });

  it('matches stored golden values (the committed model and tokenizer did not drift)', async () => {
    const core = await open();
    try {
      const [vector] = await embed(core, ['The quick brown fox jumps over the lazy dog.']);
      const head = [...vector!.slice(0, 6)].map((x) => Number(x.toFixed(4)));
      expect(head).toEqual(GOLDEN_HEAD);
    } finally {
      await core.close();
    }
  });
});

// First six components of the bundled model's vector for 'The quick brown fox jumps over the lazy dog.'
const GOLDEN_HEAD: number[] = [0.0534, -0.0801, -0.0047, -0.0896, -0.0672, -0.1203];

const BOOKS = [
  {
    title: 'Starfall Armada',
    subjects: ['Science fiction'],
    tags: ['space opera'],
    description: SPACE_OPERA,
  },
  {
    title: 'The Last Starship',
    subjects: ['Science fiction'],
    description: 'Refugees aboard the last starship flee across the galaxy from an alien empire at war.',
  },
  { title: 'Soup Season', subjects: ['Cooking'], description: COOKBOOK },
  { title: 'Murder at Hollow Hall', subjects: ['Mystery'], tags: ['whodunit'], description: DETECTIVE },
  {
    title: 'The Poisoned Pen',
    subjects: ['Mystery'],
    description:
      'A detective untangles a poisoning in a small village, interviewing suspects and finding clues.',
  },
  { title: 'Summer in Paris', subjects: ['Romance'], description: ROMANCE },
  { title: 'Dragonsong', subjects: ['Fantasy'], description: DRAGONS },
];

describe('the embedding queue', () => {
  it('embeds books, readers and tags in the background and finds similar books', async () => {
    const core = await open();
    try {
      const ids = value(await core.api.books.addMany({ books: BOOKS })).ids;
      value(await core.api.readers.add({ name: 'Amelia Zhang', grade: 4, interests: ['dragons', 'space'] }));
      const before = value(await core.api.embeddings.status());
      expect(before).toMatchObject({ activeModel: BUNDLED_MODEL_ID, books: { total: 7, embedded: 0 } });
      expect(before.stale).toBeGreaterThan(7);

      const job = value(await core.api.embeddings.run());
      expect(job.kind).toBe('embed');
      expect((await finishedJob(core, job.id)).state).toBe('succeeded');
      const after = value(await core.api.embeddings.status());
      expect(after).toMatchObject({ books: { total: 7, embedded: 7 }, stale: 0, jobs: [] });
      const glove = value(await core.api.models.list()).find((model) => model.id === BUNDLED_MODEL_ID);
      // Tags: 7 distinct subjects and tags, lower-cased, plus the reader's two interests.
      expect(glove).toMatchObject({
        active: true,
        dimension: 100,
        vectors: { books: 7, readers: 1 },
        indexed: true,
      });
      expect(glove?.vectors.tags).toBe(9);

      const similar = value(await core.api.embeddings.similar({ id: ids[0]!, k: 3 }));
      expect(similar[0]?.book.title).toBe('The Last Starship');
      expect(similar.map((item) => item.book.id)).not.toContain(ids[0]);
      const mystery = value(await core.api.embeddings.similar({ id: ids[3]!, k: 1 }));
      expect(mystery[0]?.book.title).toBe('The Poisoned Pen');

      // A changed description is re-embedded; a change that leaves the text alone is not.
      value(await core.api.books.update({ id: ids[2]!, patch: { description: 'Starships and galaxies.' } }));
      value(await core.api.books.update({ id: ids[5]!, patch: { ownedCopies: 3 } }));
      const second = await finishedJob(core, value(await core.api.embeddings.run()).id);
      expect(second.progressMessage).toBe('embedded 1 of 2');
      expect(value(await core.api.embeddings.status()).stale).toBe(0);
    } finally {
      await core.close();
    }
  });

  it('refuses unknown books, books without vectors, and direct edits of the active model', async () => {
    const core = await open();
    try {
      const book = value(await core.api.books.add({ title: 'Lonely' }));
      expect(failure(await core.api.embeddings.similar({ id: book.id })).message).toMatch(/no vector/);
      expect(failure(await core.api.embeddings.similar({ id: crypto.randomUUID() })).code).toBe('not_found');
      expect(
        failure(await core.api.settings.set({ key: 'embeddings.model', value: 'Xenova/all-MiniLM-L6-v2' }))
          .message,
      ).toMatch(/models\.use/);
      expect(failure(await core.api.models.use({ id: 'not a model' })).code).toBe('invalid_argument');
      expect(failure(await core.api.models.use({ id: 'folder:/nowhere/at/all' })).message).toMatch(/missing/);
    } finally {
      await core.close();
    }
  });

  it('pauses, resumes and cancels a pass', async () => {
    const core = await open();
    try {
      value(
        await core.api.books.addMany({
          books: Array.from({ length: 3000 }, (_, index) => ({
            title: `Pause book ${index}`,
            description: `A long description of book ${index} about dragons, wizards and quests.`.repeat(3),
          })),
        }),
      );
      const job = value(await core.api.embeddings.run());
      await new Promise<void>((resolve) => {
        const stop = core.on('job.progress', (event) => {
          if (event.id === job.id && event.message?.startsWith('embedded ') && event.progress > 0) {
            stop();
            resolve();
          }
        });
      });
      value(await core.api.jobs.pause({ id: job.id }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const paused = value(await core.api.embeddings.status());
      expect(paused.books.embedded).toBeGreaterThan(0);
      expect(paused.books.embedded).toBeLessThan(3000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(value(await core.api.embeddings.status()).books.embedded).toBe(paused.books.embedded);

      value(await core.api.jobs.resume({ id: job.id }));
      value(await core.api.embeddings.run()); // the same unfinished job, now runnable again
      expect((await finishedJob(core, job.id)).state).toBe('succeeded');
      expect(value(await core.api.embeddings.status()).books).toEqual({ total: 3000, embedded: 3000 });

      value(await core.api.books.add({ title: 'One more', description: 'More dragons.' }));
      const next = value(await core.api.embeddings.run());
      value(await core.api.jobs.cancel({ id: next.id }));
      expect((await finishedJob(core, next.id)).state).toBe('cancelled');
    } finally {
      await core.close();
    }
  });

  it('switches models in the background while the old vectors keep serving, then atomically', async () => {
    const folder = join(tempDir('lumin-model-'), 'my-model');
    cpSync(join(bundledModelsDir(), BUNDLED_MODEL_ID), folder, { recursive: true });
    const core = await open();
    try {
      const ids = value(await core.api.books.addMany({ books: BOOKS })).ids;
      await finishedJob(core, value(await core.api.embeddings.run()).id);
      const switching = value(await core.api.models.use({ id: `folder:${folder}` }));
      expect(switching.job).not.toBeNull();
      expect(switching.model).toMatchObject({ id: `folder:${folder}`, availability: 'ready', active: false });
      // Until the pass finishes, the bundled model serves.
      const during = value(await core.api.embeddings.status());
      if (during.activeModel === BUNDLED_MODEL_ID) expect(during.switchingTo).toBe(`folder:${folder}`);
      expect(value(await core.api.embeddings.similar({ id: ids[0]!, k: 1 }))[0]?.book.title).toBe(
        'The Last Starship',
      );
      expect((await finishedJob(core, switching.job!.id)).state).toBe('succeeded');
      const after = value(await core.api.embeddings.status());
      expect(after).toMatchObject({ activeModel: `folder:${folder}`, switchingTo: null, stale: 0 });
      const models = value(await core.api.models.list());
      // One HNSW index per model: the new model got its own.
      expect(models.find((model) => model.id === `folder:${folder}`)).toMatchObject({
        active: true,
        indexed: true,
      });
      expect(models.find((model) => model.id === BUNDLED_MODEL_ID)?.indexed).toBe(true);
      expect(models.find((model) => model.id === BUNDLED_MODEL_ID)).toMatchObject({
        active: false,
        vectors: { books: 7 },
      });
      expect(value(await core.api.embeddings.similar({ id: ids[3]!, k: 1 }))[0]?.book.title).toBe(
        'The Poisoned Pen',
      );
      // Switching back needs no new vectors: the job finishes at once.
      const back = value(await core.api.models.use({ id: BUNDLED_MODEL_ID }));
      expect((await finishedJob(core, back.job!.id)).state).toBe('succeeded');
      expect(value(await core.api.embeddings.status()).activeModel).toBe(BUNDLED_MODEL_ID);
    } finally {
      await core.close();
    }
    expect(existsSync(folder)).toBe(true);
  });
});
