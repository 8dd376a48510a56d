/**
 * Hub models through the real core against a fake Hugging Face hub (a local HTTP server following
 * transformers.js's URL template): the first use downloads into `<dataDir>/models` with progress
 * events, every later load is offline, and an unreachable hub fails the switch for good with advice.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDownloadProgress } from '../../shared/contract/embeddings';
import { BUNDLED_MODEL_ID, MINILM_MODEL_ID } from '../../shared/embed/models';
import { bundledModelsDir } from '../../workers/db/layout';
import { cleanupDirs, open, tempDir, value, finishedJob } from '../support/core';
import { type FakeHub, closedPortUrl, startFakeHub } from '../support/fake-hub';

const HUB_MODEL = 'lumin-test/glove-hub';
const PINNED_REVISION = '0123456789abcdef0123456789abcdef01234567';
const PINNED_MODEL = `${HUB_MODEL}@${PINNED_REVISION}`;
const BUNDLED_FOLDER = join(bundledModelsDir(), BUNDLED_MODEL_ID);
/** transformers.js's own default cache (next to its package): downloads must never land there. */
const PACKAGE_CACHE = join(
  dirname(dirname(createRequire(import.meta.url).resolve('@huggingface/transformers'))),
  '.cache',
);

const BOOKS = [
  {
    title: 'Starfall Armada',
    subjects: ['Science fiction'],
    description:
      'A space opera: starships of rival galactic empires clash in an interstellar war while a young pilot crosses the galaxy.',
  },
  {
    title: 'The Last Starship',
    subjects: ['Science fiction'],
    description: 'Refugees aboard the last starship flee across the galaxy from an alien empire at war.',
  },
  {
    title: 'Soup Season',
    subjects: ['Cooking'],
    description: 'Easy weeknight recipes for soups, salads and baking bread, with tips for the home cook.',
  },
  {
    title: 'Murder at Hollow Hall',
    subjects: ['Mystery'],
    description:
      'Inspector Hale investigates a murder at a country house; every suspect has a motive and the clues point everywhere.',
  },
];

let hub: FakeHub;
let dataDir: string;
let starfallId: string;

beforeAll(async () => {
  hub = await startFakeHub({
    [HUB_MODEL]: {
      folder: BUNDLED_FOLDER,
      // dtype q8 asks for the quantized file; the bundled fp32 weights stand in for it.
      aliases: { 'onnx/model_quantized.onnx': 'onnx/model.onnx' },
    },
  });
  dataDir = tempDir('lumin-hub-');
});

afterAll(async () => {
  await hub.close();
  cleanupDirs();
});

/** Every file under `folder`, relative, with `/` separators. */
function filesUnder(folder: string, prefix = ''): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(folder, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

describe('a hub model', () => {
  it('downloads into the data folder on first use, with progress, then becomes the active model', async () => {
    const packageCacheBefore = filesUnder(PACKAGE_CACHE);
    const core = await open({ dataDir, embedding: { remoteHost: hub.url } });
    try {
      const ids = value(await core.api.books.addMany({ books: BOOKS })).ids;
      starfallId = ids[0]!;
      const before = value(await core.api.models.list());
      expect(before.find((model) => model.id === MINILM_MODEL_ID)).toMatchObject({
        availability: 'download',
        active: false,
      });
      expect(before.some((model) => model.id === HUB_MODEL)).toBe(false);

      const events: ModelDownloadProgress[] = [];
      const stop = core.on('model.download', (event) => events.push(event));
      const switching = value(await core.api.models.use({ id: HUB_MODEL }));
      expect(switching.job).not.toBeNull();
      expect(switching.model).toMatchObject({
        id: HUB_MODEL,
        provider: 'transformers',
        availability: 'download',
        active: false,
        switching: true,
      });
      // Listed while it downloads (or, on a fast machine, already finished).
      const during = value(await core.api.models.list()).find((model) => model.id === HUB_MODEL);
      expect(during?.availability).toMatch(/^(download|ready)$/);
      const minilm = value(await core.api.models.list()).find((model) => model.id === MINILM_MODEL_ID);
      expect(minilm?.availability).toBe('download');

      const job = await finishedJob(core, switching.job!.id);
      stop();
      expect(job.state, job.lastError ?? '').toBe('succeeded');

      // Progress per file, with the bytes the hub sent; then one `done` for the model.
      const weights = statSync(join(BUNDLED_FOLDER, 'onnx', 'model.onnx')).size;
      const progress = events.filter((event) => event.status === 'progress');
      expect(progress.length).toBeGreaterThan(0);
      for (const event of progress) {
        expect(event.model).toBe(HUB_MODEL);
        expect(event.loaded).toBeGreaterThan(0);
        expect(event.loaded).toBeLessThanOrEqual(event.total);
      }
      const weightEvents = progress.filter((event) => event.file === 'onnx/model_quantized.onnx');
      expect(weightEvents.length).toBeGreaterThan(0);
      expect(weightEvents.at(-1)).toMatchObject({ loaded: weights, total: weights });
      expect(events.filter((event) => event.status === 'done')).toEqual([
        { model: HUB_MODEL, file: '', loaded: 0, total: 0, status: 'done' },
      ]);
      expect(events.at(-1)?.status).toBe('done');

      // The files are in the data folder (transformers.js's FileCache layout: `<repo>/<file>` for main).
      const repoDir = join(dataDir, 'models', ...HUB_MODEL.split('/'));
      for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json'])
        expect(readFileSync(join(repoDir, file)).equals(readFileSync(join(BUNDLED_FOLDER, file))), file).toBe(
          true,
        );
      expect(statSync(join(repoDir, 'onnx', 'model_quantized.onnx')).size).toBe(weights);
      expect(existsSync(join(repoDir, 'main', '.lumin-complete'))).toBe(true);
      expect(filesUnder(repoDir).filter((file) => file.includes('.tmp.'))).toEqual([]);
      // … and nowhere else.
      expect(filesUnder(PACKAGE_CACHE)).toEqual(packageCacheBefore);
      expect(existsSync(join(PACKAGE_CACHE, 'lumin-test'))).toBe(false);

      // Every request followed the template for this repo at `main`.
      expect(hub.requests.length).toBeGreaterThan(0);
      for (const request of hub.requests)
        expect(request).toMatchObject({ repo: HUB_MODEL, revision: 'main' });
      expect(hub.requests.filter((request) => request.status === 200).map((request) => request.file)).toEqual(
        expect.arrayContaining([
          'config.json',
          'tokenizer.json',
          'tokenizer_config.json',
          'onnx/model_quantized.onnx',
        ]),
      );

      const status = value(await core.api.embeddings.status());
      expect(status).toMatchObject({
        activeModel: HUB_MODEL,
        switchingTo: null,
        books: { total: 4, embedded: 4 },
      });
      expect(value(await core.api.models.list()).find((model) => model.id === HUB_MODEL)).toMatchObject({
        availability: 'ready',
        active: true,
        dimension: 100,
        vectors: { books: 4 },
      });
      const similar = value(await core.api.embeddings.similar({ id: starfallId, k: 1 }));
      expect(similar[0]?.book.title).toBe('The Last Starship');

      // A pinned revision downloads into `<repo>/<revision>/<file>`, beside `main`.
      const seen = hub.requests.length;
      expect(value(await core.embedding.load(PINNED_MODEL))).toMatchObject({
        id: PINNED_MODEL,
        dimension: 100,
      });
      const pinnedDir = join(repoDir, PINNED_REVISION);
      for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', '.lumin-complete'])
        expect(existsSync(join(pinnedDir, file)), file).toBe(true);
      expect(statSync(join(pinnedDir, 'onnx', 'model_quantized.onnx')).size).toBe(weights);
      const pinnedWeights = hub.requests
        .slice(seen)
        .filter((request) => request.file === 'onnx/model_quantized.onnx' && request.status === 200);
      expect(pinnedWeights.map((request) => request.revision)).toEqual([PINNED_REVISION]);
      // Nothing of a pinned download comes from `main`, which may have moved on.
      expect(new Set(hub.requests.slice(seen).map((request) => request.revision))).toEqual(
        new Set([PINNED_REVISION]),
      );
    } finally {
      await core.close();
    }
  });

  it('loads offline ever after: no request reaches the hub', async () => {
    const seen = hub.requests.length;
    // The hub still runs, so any request would be recorded.
    const core = await open({ dataDir, embedding: { remoteHost: hub.url } });
    try {
      const events: ModelDownloadProgress[] = [];
      const stop = core.on('model.download', (event) => events.push(event));
      const loaded = value(await core.embedding.load(HUB_MODEL));
      expect(loaded).toMatchObject({ id: HUB_MODEL, dimension: 100, provider: 'transformers' });
      value(await core.embedding.load(PINNED_MODEL));
      const text = ['a space opera with starships'];
      const [main] = value(await core.embedding.embed(HUB_MODEL, text));
      const [pinned] = value(await core.embedding.embed(PINNED_MODEL, text));
      expect(main).toHaveLength(100);
      expect([...pinned!]).toEqual([...main!]);
      expect(value(await core.api.embeddings.similar({ id: starfallId, k: 1 }))[0]?.book.title).toBe(
        'The Last Starship',
      );

      // A new pass with the downloaded model.
      value(
        await core.api.books.add({
          title: 'The Poisoned Pen',
          description: 'A detective untangles a poisoning in a small village, interviewing suspects.',
        }),
      );
      const job = await finishedJob(core, value(await core.api.embeddings.run()).id);
      expect(job.state, job.lastError ?? '').toBe('succeeded');
      expect(value(await core.api.embeddings.status())).toMatchObject({
        activeModel: HUB_MODEL,
        books: { total: 5, embedded: 5 },
      });
      stop();
      // Nothing downloaded, so no progress and no 'done' either.
      expect(events).toEqual([]);
      expect(hub.requests.slice(seen)).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it('fails the switch for good when the hub cannot be reached, with advice, and keeps the active model', async () => {
    const other = 'lumin-test/unreachable-hub';
    const directory = tempDir('lumin-hub-offline-');
    const core = await open({ dataDir: directory, embedding: { remoteHost: await closedPortUrl() } });
    try {
      value(await core.api.books.addMany({ books: BOOKS }));
      const switching = value(await core.api.models.use({ id: other }));
      expect(switching.model.availability).toBe('download');
      const started = Date.now();
      const job = await finishedJob(core, switching.job!.id);
      expect(job.state).toBe('failed');
      // Permanent: failed at the first attempt instead of backing off through the retries.
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(job.attempts).toBe(job.maxAttempts);
      expect(job.lastError).toMatch(/cannot download lumin-test\/unreachable-hub/);
      expect(job.lastError).toMatch(/model folder/);
      expect(job.lastError).toMatch(/bundled model/);

      const status = value(await core.api.embeddings.status());
      expect(status).toMatchObject({ activeModel: BUNDLED_MODEL_ID, switchingTo: null, jobs: [] });
      const listed = value(await core.api.models.list());
      expect(listed.find((model) => model.id === BUNDLED_MODEL_ID)?.active).toBe(true);
      expect(listed.find((model) => model.id === other)?.active ?? false).toBe(false);
      expect(
        existsSync(join(directory, 'models', 'lumin-test', 'unreachable-hub', 'main', '.lumin-complete')),
      ).toBe(false);
    } finally {
      await core.close();
    }
  });
});

describe('the desktop app on a fresh install', () => {
  it('serves the bundled model at once and moves to the recommended model once it downloaded it', async () => {
    const directory = tempDir('lumin-hub-upgrade-');
    const core = await open({
      dataDir: directory,
      embedding: { background: true, remoteHost: hub.url, upgradeTo: HUB_MODEL },
    });
    try {
      value(await core.api.books.addMany({ books: BOOKS }));
      const deadline = Date.now() + 30_000;
      let status = value(await core.api.embeddings.status());
      while (Date.now() < deadline && (status.activeModel !== HUB_MODEL || status.stale > 0)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = value(await core.api.embeddings.status());
      }
      expect(status).toMatchObject({ activeModel: HUB_MODEL, books: { total: 4, embedded: 4 }, stale: 0 });
      // The bundled model served meanwhile and keeps its vectors.
      const models = value(await core.api.models.list());
      expect(models.find((model) => model.id === BUNDLED_MODEL_ID)?.vectors.books).toBe(4);
    } finally {
      await core.close();
    }
  });

  it('stays on the bundled model when the user turned the upgrade off', async () => {
    const directory = tempDir('lumin-hub-no-upgrade-');
    const first = await open({ dataDir: directory });
    value(await first.api.settings.set({ key: 'embeddings.autoUpgrade', value: false }));
    await first.close();
    const seen = hub.requests.length;
    const core = await open({
      dataDir: directory,
      embedding: { background: true, remoteHost: hub.url, upgradeTo: HUB_MODEL },
    });
    try {
      value(await core.api.books.addMany({ books: BOOKS }));
      const deadline = Date.now() + 30_000;
      let status = value(await core.api.embeddings.status());
      while (Date.now() < deadline && status.books.embedded < 4) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = value(await core.api.embeddings.status());
      }
      expect(status).toMatchObject({ activeModel: BUNDLED_MODEL_ID, switchingTo: null });
      expect(hub.requests.length).toBe(seen);
    } finally {
      await core.close();
    }
  });
});
