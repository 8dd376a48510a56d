/**
 * The egress module against real local servers: credentials only to the origin they were stored for
 * (redirects and changed base URLs included), `http://` for loopback only, features that are off
 * send nothing, keys per origin survive no restore of a backup that redirects them (issue 14,
 * finding 7), covers by ISBN from the allowlisted host only (finding 3), and `privacy.get`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAI_KEY_ENV, type SecretStore } from '../../workers/egress/secrets';
import { EgressRefused, egressFetch } from '../../workers/egress/fetch';
import { SYNC_ORIGIN_SECRET, credentialFor, storeKey, syncCredential } from '../../workers/egress/keys';
import { restoreBackup } from '../../workers/host/core';
import { type CaptureServer, startCaptureServer } from '../support/capture-server';
import { cleanupDirs, failure, finishedJob, open, tempDir, value } from '../support/core';

let first: CaptureServer;
let second: CaptureServer;
let savedKey: string | undefined;

beforeAll(async () => {
  savedKey = process.env[OPENAI_KEY_ENV];
  delete process.env[OPENAI_KEY_ENV];
  [first, second] = await Promise.all([startCaptureServer(), startCaptureServer()]);
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
  if (savedKey !== undefined) process.env[OPENAI_KEY_ENV] = savedKey;
  cleanupDirs();
});

function memorySecrets(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => void (value === null ? values.delete(name) : values.set(name, value)),
  };
}

describe('egress fetch', () => {
  it('sends a credential to its own origin only, never across a redirect, and strips cookies and referrers', async () => {
    first.requests.length = 0;
    second.requests.length = 0;
    const send = egressFetch({ kind: 'chat', credential: { origin: first.origin, token: 'secret-a' } });
    await send(`${first.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer smuggled', cookie: 'id=1', referer: 'https://school.example/' },
      body: JSON.stringify({ messages: [{ content: 'x' }] }),
    });
    expect(first.requests[0]?.headers.authorization).toBe('Bearer secret-a');
    expect(first.requests[0]?.headers.cookie).toBeUndefined();
    expect(first.requests[0]?.headers.referer).toBeUndefined();
    // A redirect to another origin arrives there without the key.
    const target = `${second.origin}/v1/chat/completions`;
    await send(`${first.origin}/redirect?to=${encodeURIComponent(target)}`);
    expect(second.requests).toHaveLength(1);
    expect(second.requests[0]?.headers.authorization).toBeUndefined();
    // And a credential for another origin is not sent at all.
    await egressFetch({ kind: 'chat', credential: { origin: first.origin, token: 'secret-a' } })(target);
    expect(second.requests[1]?.headers.authorization).toBeUndefined();
    expect(second.everything()).not.toContain('secret-a');
  });

  it('refuses http:// to other hosts, hosts outside an allowlist, and features that are off, before any byte leaves', async () => {
    const send = egressFetch({ kind: 'embeddings' });
    await expect(send('http://10.20.30.40/v1/embeddings')).rejects.toThrow(/http:\/\/ is allowed only/);
    await expect(send('ftp://127.0.0.1/')).rejects.toBeInstanceOf(EgressRefused);
    const covers = egressFetch({ kind: 'covers', allow: (url) => url.origin === first.origin });
    await expect(covers(`${second.origin}/b/isbn/9780142410318-M.jpg`)).rejects.toThrow(
      /not an allowed host/,
    );
    const before = second.requests.length;
    const off = egressFetch({ kind: 'sync', enabled: () => false });
    await expect(off(`${second.origin}/v1/interactions`)).rejects.toThrow(/Sync is off/);
    expect(second.requests).toHaveLength(before);
  });
});

describe('keys per origin', () => {
  it('stores a key for one origin; the environment key counts for OpenAI only; sync tokens stay with their server', async () => {
    const secrets = memorySecrets();
    await storeKey(secrets, `${first.origin}/v1`, 'key-a');
    expect(await credentialFor(secrets, `${first.origin}/v1`, {})).toEqual({
      origin: first.origin,
      token: 'key-a',
    });
    expect(await credentialFor(secrets, `${second.origin}/v1`, {})).toBeNull();
    const env = { [OPENAI_KEY_ENV]: 'sk-env' };
    expect(await credentialFor(secrets, '', env)).toEqual({
      origin: 'https://api.openai.com',
      token: 'sk-env',
    });
    expect(await credentialFor(secrets, `${second.origin}/v1`, env)).toBeNull();
    await secrets.set('sync-device-token', 'device-token');
    await secrets.set(SYNC_ORIGIN_SECRET, first.origin);
    expect((await syncCredential(secrets, 'sync-device-token', `${first.origin}/`))?.token).toBe(
      'device-token',
    );
    expect(await syncCredential(secrets, 'sync-device-token', second.origin)).toBeNull();
  });

  it('never sends a stored key to the host a restored backup (or a changed setting) names, nor http:// keys off this computer', async () => {
    const source = await open();
    let backupFile: string;
    try {
      // Someone's backup points the endpoints at another host.
      value(
        await source.api.settings.set({ key: 'embeddings.openai.baseUrl', value: `${second.origin}/v1` }),
      );
      value(await source.api.settings.set({ key: 'explanations.llm.baseUrl', value: `${second.origin}/v1` }));
      backupFile = value(await source.api.backup.create()).path;
    } finally {
      await source.close();
    }

    const dataDir = tempDir('lumin-egress-keys-');
    const core = await open({ dataDir });
    try {
      value(await core.api.settings.set({ key: 'embeddings.openai.baseUrl', value: `${first.origin}/v1` }));
      value(await core.api.models.setApiKey({ key: 'key-for-first' }));
      value(await core.api.books.add({ title: 'The Lantern Road', subjects: ['Adventure'] }));
      const used = value(await core.api.models.use({ id: 'openai:test-embed' }));
      expect((await finishedJob(core, used.job!.id)).state).toBe('succeeded');
      expect(first.requests.some((request) => request.headers.authorization === 'Bearer key-for-first')).toBe(
        true,
      );
      // http:// keys are for this computer only.
      const refused = failure(
        await core.api.models.setApiKey({ key: 'k', baseUrl: 'http://example.com/v1' }),
      );
      expect(refused.message).toMatch(/http:\/\/ is allowed only/);
    } finally {
      await core.close();
    }

    value(await restoreBackup(backupFile, dataDir));
    const restored = await open({ dataDir });
    second.requests.length = 0;
    try {
      value(await restored.api.books.add({ title: 'The Quiet Harbour', subjects: ['Sea stories'] }));
      const run = value(await restored.api.embeddings.run({ model: 'openai:test-embed' }));
      await finishedJob(restored, run.id);
      value(await restored.api.settings.set({ key: 'explanations.llm.enabled', value: true }));
      const reader = value(await restored.api.readers.add({ name: 'Pia', grade: 3 }));
      value(await restored.api.recommend.get({ readerId: reader.id, k: 2, explain: true }));
      // The redirected host was asked (so this is not vacuous) but never got the key, nor any Authorization.
      expect(second.requests.some((request) => request.url.endsWith('/embeddings'))).toBe(true);
      for (const request of second.requests) expect(request.headers.authorization).toBeUndefined();
      expect(second.everything()).not.toContain('key-for-first');
    } finally {
      await restored.close();
    }
  });
});

describe('covers', () => {
  it('are off by default; once on, fetched by ISBN from the allowed host into the data folder, once', async () => {
    const dataDir = tempDir('lumin-covers-');
    const core = await open({ dataDir, covers: { origin: first.origin } });
    const isbn = '9780142410318';
    try {
      const book = value(
        await core.api.books.add({
          title: 'Matilda',
          isbn13: isbn,
          // An imported cover URL at another host: never fetched (finding 3).
          coverUrl: `${second.origin}/covers/matilda.jpg`,
        }),
      );
      expect(book.coverUrl).toContain(second.origin);
      first.requests.length = 0;
      second.requests.length = 0;
      expect(await core.covers.file(isbn)).toBeNull();
      expect(first.requests).toHaveLength(0);

      value(await core.api.settings.set({ key: 'covers.fromInternet', value: true }));
      const file = await core.covers.file(isbn);
      expect(file).toBe(join(dataDir, 'covers', `${isbn}.png`));
      expect(existsSync(file!)).toBe(true);
      expect(first.requests.map((request) => request.url)).toEqual([`/b/isbn/${isbn}-M.jpg?default=false`]);
      expect(first.requests[0]?.headers.cookie).toBeUndefined();
      expect(first.requests[0]?.headers.referer).toBeUndefined();
      // Cached: no second request, and nothing ever reached the imported URL's host.
      expect(await core.covers.file(isbn)).toBe(file);
      expect(await core.covers.file('not-an-isbn')).toBeNull();
      expect(first.requests).toHaveLength(1);
      expect(second.requests).toHaveLength(0);
    } finally {
      await core.close();
    }
  });
});

describe('privacy.get', () => {
  it('lists every destination from the egress table, with on/off and where it goes', async () => {
    const core = await open({ covers: { origin: first.origin } });
    try {
      const before = value(await core.api.privacy.get());
      expect(before.map((row) => row.kind)).toEqual(['chat', 'embeddings', 'covers', 'models', 'sync']);
      expect(before.find((row) => row.kind === 'chat')).toMatchObject({
        on: false,
        to: 'https://api.openai.com',
      });
      expect(before.find((row) => row.kind === 'covers')).toMatchObject({ on: false, to: first.origin });
      value(await core.api.settings.set({ key: 'explanations.llm.enabled', value: true }));
      value(await core.api.settings.set({ key: 'explanations.llm.baseUrl', value: `${second.origin}/v1` }));
      value(await core.api.settings.set({ key: 'covers.fromInternet', value: true }));
      const after = value(await core.api.privacy.get());
      expect(after.find((row) => row.kind === 'chat')).toMatchObject({ on: true, to: second.origin });
      expect(after.find((row) => row.kind === 'covers')?.on).toBe(true);
      expect(after.find((row) => row.kind === 'chat')?.never).toMatch(/name, notes, typed interests/);
    } finally {
      await core.close();
    }
  });
});
