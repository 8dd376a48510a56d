/**
 * The OpenAI-compatible embedding provider against a real local HTTP server speaking OpenAI's
 * embeddings API, through the real `openai` SDK (nothing mocked), and the API key's storage.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingError, type EmbeddingErrorReason } from '../../shared/embed/provider';
import { createOpenAiProvider, type OpenAiProviderOptions } from '../../workers/embed/openai-provider';
import {
  OPENAI_KEY_ENV,
  SecretFileError,
  fileSecretStore,
  readOpenAiKey,
  secretPath,
  writeOpenAiKey,
} from '../../workers/egress/secrets';
import { fakeEmbedding, openAiError, startOpenAiServer, type OpenAiServer } from '../support/openai-server';

const DIMENSION = 16;
/** Retries in tests wait milliseconds, not seconds. */
const FAST = { baseDelayMs: 5, maxDelayMs: 20 };

let server: OpenAiServer;
const dirs: string[] = [];
const tempDir = () => {
  const directory = mkdtempSync(join(tmpdir(), 'lumin-secrets-'));
  dirs.push(directory);
  return directory;
};

beforeAll(async () => {
  server = await startOpenAiServer({ dimension: DIMENSION });
});
afterEach(() => {
  server.setBehaviour(undefined);
  server.requests.length = 0;
});
afterAll(async () => {
  await server.close();
  for (const directory of dirs) rmSync(directory, { recursive: true, force: true });
});

/** A provider on the shared server that skips the probe, so request counts are the test's own. */
const provider = (options: OpenAiProviderOptions = {}) =>
  createOpenAiProvider({ baseUrl: server.url, model: 'nomic-embed-text', dimension: DIMENSION, ...options });

/** The EmbeddingError `promise` rejects with, checked to have `reason`. */
async function failure(promise: Promise<unknown>, reason: EmbeddingErrorReason): Promise<EmbeddingError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EmbeddingError);
  expect((error as EmbeddingError).reason, (error as Error).message).toBe(reason);
  return error as EmbeddingError;
}

const norm = (vector: Float32Array) => Math.hypot(...vector);

describe('OpenAI-compatible provider', () => {
  it('probes the dimension, then splits 600 texts into 256/256/88, returning unit vectors in input order', async () => {
    // The server answers each batch in reverse order: only the `index` field gives the input order.
    const shuffled = await startOpenAiServer({ dimension: 24, shuffle: true });
    try {
      const embedder = await createOpenAiProvider({
        baseUrl: shuffled.url,
        model: 'nomic-embed-text',
        batchSize: 256,
      });
      expect(embedder.id).toBe('openai:nomic-embed-text');
      expect(embedder.dimension).toBe(24);
      expect(embedder.batchSize).toBe(256);
      expect(shuffled.requests).toHaveLength(1); // the probe
      shuffled.requests.length = 0;

      const texts = Array.from(
        { length: 600 },
        (_, index) => `Book ${index}: a story about number ${index}.`,
      );
      const vectors = await embedder.embed(texts);
      expect(shuffled.requests.map((request) => (request.body as { input: string[] }).input.length)).toEqual([
        256, 256, 88,
      ]);
      expect(vectors).toHaveLength(600);
      vectors.forEach((vector, index) => {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector).toHaveLength(24);
        expect(norm(vector)).toBeCloseTo(1, 5);
        const expected = fakeEmbedding(texts[index] ?? '', 24);
        const scale = Math.hypot(...expected);
        expected.forEach((value, at) => expect(vector[at]).toBeCloseTo(value / scale, 5));
      });
      for (const request of shuffled.requests) {
        expect(request.url).toBe('/v1/embeddings');
        expect(request.body).toMatchObject({ model: 'nomic-embed-text', encoding_format: 'float' });
        // No key configured for a local server: no Authorization at all (the egress module sets one only
        // for the origin a key was stored for), never the environment's OPENAI_API_KEY.
        expect(request.headers.authorization).toBeUndefined();
      }
    } finally {
      await shuffled.close();
    }
  });

  it('sends a space for an empty text (OpenAI rejects empty input) and still returns its vector', async () => {
    const vectors = await (await provider()).embed(['', 'Dragons.']);
    expect(vectors).toHaveLength(2);
    expect((server.requests[0]?.body as { input: string[] }).input).toEqual([' ', 'Dragons.']);
  });

  it.each<Record<string, string>>([{ 'retry-after-ms': '10' }, { 'retry-after': '0' }])(
    'retries a 429 after the server-given wait %o, then succeeds',
    async (headers) => {
      server.setBehaviour((_request, call) =>
        call === 0
          ? { ...openAiError(429, 'Rate limit reached', 'requests', 'rate_limit_exceeded'), headers }
          : undefined,
      );
      // A long computed backoff: finishing quickly proves the header's wait was used instead.
      const embedder = await provider({ retry: { baseDelayMs: 5_000 } });
      const started = Date.now();
      const vectors = await embedder.embed(['Interests: space.']);
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(vectors).toHaveLength(1);
      expect(server.requests).toHaveLength(2);
    },
  );

  it('fails as unavailable, naming the base URL and status, after a 500 on every attempt', async () => {
    server.setBehaviour(() => openAiError(500, 'The server had an error', 'server_error'));
    const error = await failure(
      (await provider({ maxRetries: 2, retry: FAST })).embed(['Grade 4.']),
      'unavailable',
    );
    expect(error.message).toContain(server.url);
    expect(error.message).toContain('500');
    expect(error.status).toBe(500);
    expect(server.requests).toHaveLength(3);
  });

  it('fails as unavailable when nothing listens at the base URL', async () => {
    const gone = await startOpenAiServer();
    const url = gone.url;
    await gone.close();
    const error = await failure(
      createOpenAiProvider({ baseUrl: url, model: 'm', maxRetries: 1, retry: FAST }),
      'unavailable',
    );
    expect(error.message).toContain(url);
  });

  it('reports a refused key as unauthorized at once, without retrying or repeating the key', async () => {
    const guarded = await startOpenAiServer({ apiKey: 'good-key' });
    try {
      const key = 'sk-proj-bad-key-0123456789';
      const options = { baseUrl: guarded.url, model: 'm', apiKey: key, maxRetries: 5, retry: FAST };
      // Through the probe (unknown model) …
      const probed = await failure(createOpenAiProvider(options), 'unauthorized');
      // … and through embed (dimension given).
      const embedded = await failure(
        (await createOpenAiProvider({ ...options, dimension: DIMENSION })).embed(['Interests: dragons.']),
        'unauthorized',
      );
      expect(guarded.requests).toHaveLength(2);
      for (const error of [probed, embedded]) {
        expect(error.status).toBe(401);
        expect(error.message).toContain(guarded.url);
        expect(error.message).toContain('LUMIN_OPENAI_API_KEY');
        expect(error.message).not.toContain(key);
        expect(error.message).not.toContain('bad-key');
        expect(String(error.stack)).not.toContain(key);
      }
      const good = await createOpenAiProvider({ ...options, apiKey: 'good-key' });
      expect(await good.embed(['Interests: dragons.'])).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });

  it("refuses OpenAI's endpoint without a key before sending anything", async () => {
    const error = await failure(createOpenAiProvider({ apiKey: null }), 'unauthorized');
    expect(error.message).toContain('LUMIN_OPENAI_API_KEY');
  });

  it('uses the published dimension of a known OpenAI model without a probe', async () => {
    const embedder = await createOpenAiProvider({ apiKey: 'sk-test', model: 'text-embedding-3-large' });
    expect(embedder.dimension).toBe(3072);
    expect(embedder.batchSize).toBe(256);
  });

  it('reports a missing model as model_missing without retrying', async () => {
    const strict = await startOpenAiServer({ models: ['nomic-embed-text'] });
    try {
      const error = await failure(
        createOpenAiProvider({ baseUrl: strict.url, model: 'no-such-model', retry: FAST }),
        'model_missing',
      );
      expect(error.message).toContain("'no-such-model'");
      expect(strict.requests).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it('never sends a reader’s name: only the profile text the caller built', async () => {
    const readerName = 'Amelia Zhang';
    const profiles = [
      'Interests: dragons, space. Grade 4.',
      'Interests: horses. Reading level: Lexile 650L.',
    ];
    await (await provider({ apiKey: 'local-key' })).embed(profiles);
    expect(server.requests).toHaveLength(1);
    for (const request of server.requests) {
      const everything = `${request.raw}\n${JSON.stringify(request.headers)}\n${request.url}`.toLowerCase();
      for (const part of [readerName, ...readerName.split(' ')])
        expect(everything).not.toContain(part.toLowerCase());
      expect((request.body as { input: string[] }).input).toEqual(profiles);
    }
  });

  it('times out when the server never answers', async () => {
    server.setBehaviour(() => 'hang');
    const error = await failure(
      (await provider({ timeoutMs: 200, maxRetries: 0 })).embed(['Grade 4.']),
      'timeout',
    );
    expect(error.message).toContain(server.url);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [
      'a wrong dimension',
      (ok: () => unknown) =>
        withData(ok, (data) => data.map((item) => ({ ...item, embedding: item.embedding.slice(1) }))),
      /15 dimensions, expected 16/,
    ],
    [
      'a wrong count',
      (ok: () => unknown) => withData(ok, (data) => data.slice(1)),
      /1 embeddings for 2 texts/,
    ],
    [
      'non-numeric data',
      (ok: () => unknown) =>
        withData(ok, (data) => data.map((item) => ({ ...item, embedding: item.embedding.map(String) }))),
      /not a finite number/,
    ],
    [
      'a repeated index',
      (ok: () => unknown) => withData(ok, (data) => data.map((item) => ({ ...item, index: 0 }))),
      /index/,
    ],
  ])('rejects %s as bad_response, without retrying', async (_name, mangle, message) => {
    server.setBehaviour((_request, _call, ok) => ({ status: 200, body: mangle(() => ok()) }));
    const error = await failure((await provider({ retry: FAST })).embed(['One.', 'Two.']), 'bad_response');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(server.url);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a probe answer of another size later on as bad_response', async () => {
    const embedder = await createOpenAiProvider({ baseUrl: server.url, model: 'm' });
    expect(embedder.dimension).toBe(DIMENSION);
    server.setBehaviour((_request, _call, ok) => ok({ dimension: DIMENSION * 2 }));
    await failure(embedder.embed(['Grade 4.']), 'bad_response');
  });

  it('is cancelled by the abort signal: while waiting for the server, while backing off, and before starting', async () => {
    server.setBehaviour(() => 'hang');
    const embedder = await provider({ timeoutMs: 30_000 });
    const waiting = new AbortController();
    setTimeout(() => waiting.abort(), 50);
    await failure(embedder.embed(['Grade 4.'], waiting.signal), 'cancelled');

    server.setBehaviour(() => openAiError(503, 'Overloaded', 'server_error'));
    const backingOff = new AbortController();
    const slow = await provider({ retry: { baseDelayMs: 30_000, maxDelayMs: 30_000 } });
    setTimeout(() => backingOff.abort(), 100);
    const started = Date.now();
    await failure(slow.embed(['Grade 4.'], backingOff.signal), 'cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);

    server.requests.length = 0;
    await failure(embedder.embed(['Grade 4.'], AbortSignal.abort()), 'cancelled');
    expect(server.requests).toHaveLength(0);
  });
});

type Item = { object: string; index: number; embedding: number[] };
/** The normal answer's body with its `data` rewritten. */
function withData(ok: () => unknown, change: (data: Item[]) => unknown[]): unknown {
  const reply = ok() as { body: { data: Item[] } };
  return { ...reply.body, data: change(reply.body.data) };
}

describe('OpenAI key storage', () => {
  it('prefers LUMIN_OPENAI_API_KEY over the stored file, and has no key when neither is set', async () => {
    const dataDir = tempDir();
    expect(await readOpenAiKey(dataDir, {})).toBeNull();
    await writeOpenAiKey(dataDir, 'sk-from-file');
    expect(await readOpenAiKey(dataDir, { [OPENAI_KEY_ENV]: 'sk-from-env' })).toBe('sk-from-env');
    expect(await readOpenAiKey(dataDir, { [OPENAI_KEY_ENV]: '  ' })).toBe('sk-from-file');
  });

  it.skipIf(process.platform === 'win32')(
    'writes the key 0600 in a 0700 folder and reads it back',
    async () => {
      const dataDir = tempDir();
      await writeOpenAiKey(dataDir, 'sk-first');
      await writeOpenAiKey(dataDir, 'sk-second'); // replaces atomically
      const path = secretPath(dataDir, 'openai-api-key');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'secrets')).mode & 0o777).toBe(0o700);
      expect(await readOpenAiKey(dataDir, {})).toBe('sk-second');
      expect(await fileSecretStore(dataDir).get('openai-api-key')).toBe('sk-second');
    },
  );

  it.skipIf(process.platform === 'win32')(
    'refuses a key file others can read, naming the path and chmod',
    async () => {
      const dataDir = tempDir();
      mkdirSync(join(dataDir, 'secrets'), { mode: 0o700 });
      const path = secretPath(dataDir, 'openai-api-key');
      writeFileSync(path, 'sk-leaky\n');
      await chmod(path, 0o644);
      const error = await readOpenAiKey(dataDir, {}).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(SecretFileError);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toContain(`chmod 600 ${path}`);
      expect((error as Error).message).not.toContain('sk-leaky');
      // The environment still wins without touching the file.
      expect(await readOpenAiKey(dataDir, { [OPENAI_KEY_ENV]: 'sk-env' })).toBe('sk-env');
    },
  );

  it('deletes the key when given null', async () => {
    const dataDir = tempDir();
    await writeOpenAiKey(dataDir, 'sk-gone-soon');
    await writeOpenAiKey(dataDir, null);
    expect(existsSync(secretPath(dataDir, 'openai-api-key'))).toBe(false);
    expect(await readOpenAiKey(dataDir, {})).toBeNull();
    await writeOpenAiKey(dataDir, null); // deleting twice is fine
  });

  it('refuses secret names that could leave the secrets folder, and multi-line keys', async () => {
    const dataDir = tempDir();
    expect(() => secretPath(dataDir, '../lumin.lock')).toThrow(RangeError);
    await expect(writeOpenAiKey(dataDir, 'sk-a\nInjected: header')).rejects.toThrow(RangeError);
  });
});
