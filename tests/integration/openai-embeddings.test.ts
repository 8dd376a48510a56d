/**
 * OpenAI-compatible embeddings end to end through the core: the key check before a switch, the key
 * file, a model switch against a real local server speaking OpenAI's API, what leaves the process
 * (catalogue texts only: never a reader's profile, interests or name), a refused key failing the pass for good, and the key never showing
 * in jobs, models or settings.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAI_DEFAULT_MODEL_ID } from '../../shared/embed/models';
import { readerText } from '../../shared/embed/texts';
import { OPENAI_KEY_ENV, secretPath, secretsDir } from '../../workers/egress/secrets';
import { keySecretName } from '../../workers/egress/keys';
import { cleanupDirs, failure, open, tempDir, value, finishedJob } from '../support/core';
import { type OpenAiServer, type RecordedRequest, startOpenAiServer } from '../support/openai-server';

const MODEL = 'openai:test-embed';
const READERS = [
  { name: 'Amelia Zhang', grade: 4, interests: ['dragons', 'space travel'] },
  { name: 'Noah Okafor', grade: 7, interests: ['robots', 'detective mysteries'] },
];
const NAME_PARTS = ['Amelia Zhang', 'Amelia', 'Zhang', 'Noah Okafor', 'Noah', 'Okafor'];
const BOOKS = [
  {
    title: 'Starfall Armada',
    subjects: ['Science fiction'],
    description: 'Starships at war across the galaxy.',
  },
  { title: 'Soup Season', subjects: ['Cooking'], description: 'Easy weeknight recipes for soups and bread.' },
  { title: 'Murder at Hollow Hall', subjects: ['Mystery'], description: 'An inspector solves a murder.' },
  {
    title: 'Dragonsong',
    subjects: ['Fantasy'],
    description: 'A young wizard and her dragon save the kingdom.',
  },
];

let server: OpenAiServer;
let dataDir: string;
let savedKey: string | undefined;

beforeAll(async () => {
  savedKey = process.env[OPENAI_KEY_ENV];
  delete process.env[OPENAI_KEY_ENV];
  server = await startOpenAiServer({ apiKey: 'good-key' });
  dataDir = tempDir('lumin-openai-');
});

afterAll(async () => {
  await server.close();
  if (savedKey === undefined) delete process.env[OPENAI_KEY_ENV];
  else process.env[OPENAI_KEY_ENV] = savedKey;
  cleanupDirs();
});

/** Everything a request carried: URL, headers and body. */
function everything(request: RecordedRequest): string {
  return `${request.method} ${request.url}\n${JSON.stringify(request.headers)}\n${request.raw}`;
}

/** Every file under `folder`, as absolute paths. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

const inputs = (request: RecordedRequest): string[] => (request.body as { input: string[] }).input;

describe('OpenAI-compatible embeddings through the core', () => {
  it("refuses OpenAI's own endpoint without a key, and lists its models as needing one", async () => {
    const core = await open({ dataDir });
    try {
      value(await core.api.settings.set({ key: 'embeddings.openai.baseUrl', value: '' }));
      const refused = failure(await core.api.models.use({ id: OPENAI_DEFAULT_MODEL_ID }));
      expect(refused.code).toBe('invalid_argument');
      expect(refused.message).toMatch(/API key/);
      expect(refused.message).toContain(OPENAI_DEFAULT_MODEL_ID);
      const models = value(await core.api.models.list());
      expect(models.find((model) => model.id === OPENAI_DEFAULT_MODEL_ID)).toMatchObject({
        availability: 'needs_key',
        active: false,
        switching: false,
      });
      expect(value(await core.api.embeddings.status()).jobs).toEqual([]);
      expect(server.requests).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it('switches to a model on a local endpoint, sending catalogue texts only: no profile, interest or name', async () => {
    const core = await open({ dataDir });
    try {
      value(await core.api.settings.set({ key: 'embeddings.openai.baseUrl', value: server.url }));
      expect(value(await core.api.models.setApiKey({ key: 'good-key' }))).toEqual({ stored: true });
      if (process.platform !== 'win32')
        // Stored for the endpoint's origin only (issue 14: a key is never sent to another host).
        expect(statSync(secretPath(dataDir, keySecretName(new URL(server.url).origin))).mode & 0o777).toBe(
          0o600,
        );

      for (const reader of READERS) value(await core.api.readers.add(reader));
      const ids = value(await core.api.books.addMany({ books: BOOKS })).ids;

      const switching = value(await core.api.models.use({ id: MODEL }));
      expect(switching.model).toMatchObject({ id: MODEL, provider: 'openai', availability: 'ready' });
      const job = await finishedJob(core, switching.job!.id);
      expect(job.state, job.lastError ?? '').toBe('succeeded');
      expect(value(await core.api.embeddings.status())).toMatchObject({
        activeModel: MODEL,
        switchingTo: null,
        books: { total: BOOKS.length, embedded: BOOKS.length },
        stale: 0,
      });
      const info = value(await core.api.models.list()).find((model) => model.id === MODEL);
      expect(info).toMatchObject({
        active: true,
        dimension: 16,
        // Reader vectors of a remote model are made on the device from catalogue vectors: none stored.
        vectors: { books: BOOKS.length, readers: 0 },
      });

      // What reached the server: authorised requests to /v1/embeddings, the texts in batches.
      expect(server.requests.length).toBeGreaterThan(1);
      for (const request of server.requests) {
        expect(request).toMatchObject({ method: 'POST', url: '/v1/embeddings' });
        expect(request.headers.authorization).toBe('Bearer good-key');
        expect(request.body).toMatchObject({ model: 'test-embed' });
      }
      const [probe, ...batches] = server.requests;
      expect(inputs(probe!)).toHaveLength(1);
      const sent = batches.flatMap(inputs);
      expect(Math.max(...batches.map((request) => inputs(request).length))).toBeGreaterThan(1);
      expect(sent).toHaveLength(BOOKS.length + (info?.vectors.tags ?? 0));
      // The catalogue went out: every book and its subjects as tags …
      for (const book of BOOKS) expect(sent.some((text) => text.startsWith(`${book.title}.`))).toBe(true);
      expect(sent).toContain('mystery');
      // … but no reader's profile, typed interest or name, whole or in part, in any request (issue 14,
      // finding 2: the profiles and interests used to be sent).
      for (const { name: _name, ...profile } of READERS) expect(sent).not.toContain(readerText(profile));
      for (const request of server.requests) {
        const text = everything(request).toLowerCase();
        for (const part of [...NAME_PARTS, 'detective mysteries', 'space travel', 'robots', 'Enjoys'])
          expect(text, part).not.toContain(part.toLowerCase());
      }

      const similar = value(await core.api.embeddings.similar({ id: ids[0]!, k: 3 }));
      expect(similar).toHaveLength(3);
      for (const item of similar) {
        expect(ids).toContain(item.book.id);
        expect(item.book.id).not.toBe(ids[0]);
        expect(Number.isFinite(item.score)).toBe(true);
      }
    } finally {
      await core.close();
    }
  });

  it('fails a pass for good, at the first request, when the endpoint refuses the key', async () => {
    const core = await open({ dataDir });
    try {
      expect(value(await core.api.models.setApiKey({ key: 'bad-key' }))).toEqual({ stored: true });
      value(await core.api.books.add({ title: 'The Poisoned Pen', description: 'A village poisoning.' }));
      server.requests.length = 0;
      const run = value(await core.api.embeddings.run({ model: MODEL }));
      const job = await finishedJob(core, run.id);
      expect(job.state).toBe('failed');
      // One request (the dimension probe), refused with 401, and no retry.
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.headers.authorization).toBe('Bearer bad-key');
      expect(job.attempts).toBe(job.maxAttempts);
      expect(job.lastError).toMatch(/refused the API key/);
      expect(job.lastError).not.toContain('bad-key');
      expect(job.lastError).not.toContain('good-key');
      // The active model keeps serving.
      expect(value(await core.api.embeddings.status()).activeModel).toBe(MODEL);
    } finally {
      await core.close();
    }
  });

  it('never shows the key in jobs, models or settings', async () => {
    const core = await open({ dataDir });
    try {
      for (const key of ['bad-key', 'good-key']) {
        value(await core.api.models.setApiKey({ key }));
        const shown = JSON.stringify([
          value(await core.api.jobs.list()),
          value(await core.api.jobs.list({ state: 'failed' })),
          value(await core.api.models.list()),
          value(await core.api.settings.list()),
          value(await core.api.embeddings.status()),
        ]);
        expect(shown).toContain(MODEL);
        expect(shown).not.toContain('bad-key');
        expect(shown).not.toContain('good-key');
      }
      // With the key gone, OpenAI's own endpoint needs one again; the local one does not.
      expect(value(await core.api.models.setApiKey({ key: null }))).toEqual({ stored: false });
      const local = value(await core.api.models.list()).find((model) => model.id === MODEL);
      expect(local?.availability).toBe('ready');
      value(await core.api.models.setApiKey({ key: 'good-key' }));
    } finally {
      await core.close();
    }
    // Nor in any file of the data folder but the key file itself (the database, its WAL, backups).
    const files = filesUnder(dataDir).filter((file) => !file.startsWith(`${secretsDir(dataDir)}${sep}`));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.includes('good-key') || bytes.includes('bad-key'), file).toBe(false);
    }
  });
});
