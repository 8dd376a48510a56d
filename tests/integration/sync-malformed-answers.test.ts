/**
 * The real sync client against a local server on 127.0.0.1 that answers malformed JSON: each answer
 * is refused with an error naming the field, and nothing is stored on the strength of it.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../workers/host/core';
import { cleanupDirs, failure, open, value } from '../support/core';
import { logHistories, smallLibrary } from '../support/sync-device';

type Answer = (request: IncomingMessage, body: string) => unknown;

let answer: Answer = () => ({});
const seen: { method: string; url: string; authorization: string | undefined }[] = [];
let server: Server;
let url: string;
let core: Core;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer(request, body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  core = await open();
});
afterAll(async () => {
  await core?.close();
  await new Promise((resolve) => server?.close(resolve));
  cleanupDirs();
});

const token = `lds_${'a'.repeat(43)}`;

describe('sync client, malformed server answers', () => {
  it('refuses a malformed enrolment answer and stays unenrolled', async () => {
    answer = () => ({ deviceToken: 42, tenantId: randomUUID() });
    const refused = failure(await core.api.sync.enroll({ serverUrl: url, code: 'CODE-123456' }));
    expect(refused.message).toMatch(
      /^sync\.enroll: \/v1\/enroll: the server's answer does not fit the sync protocol: /,
    );
    expect(refused.message).toContain('deviceToken: ');
    expect(refused.message).toContain('deviceId: ');
    expect(value(await core.api.sync.status())).toMatchObject({ enrolled: false, serverUrl: null });
  });

  it('refuses malformed push and pull answers, keeping the events queued and the pulled version', async () => {
    answer = () => ({ deviceToken: token, tenantId: randomUUID(), deviceId: randomUUID() });
    value(await core.api.sync.enroll({ serverUrl: url, code: 'CODE-123456' }));
    const library = await smallLibrary(core, 4, 2);
    const logged = await logHistories(core, library, 2);
    expect(value(await core.api.sync.status()).pending).toBe(logged);

    answer = () => ({ accepted: String(logged), duplicates: 0, cursor: '1' });
    const push = failure(await core.api.sync.push());
    expect(push.message).toContain(
      "/v1/interactions: the server's answer does not fit the sync protocol: accepted: ",
    );
    // Not acknowledged: the events wait for the next push, which a well-formed answer completes.
    expect(value(await core.api.sync.status()).pending).toBe(logged);
    expect(seen.filter((request) => request.url === '/v1/interactions')).toHaveLength(1);

    answer = () => ({
      version: 3,
      generatedAt: null,
      readers: [{ reader: 'Student Secret0', books: [{ isbn13: null, work: null, rank: 1, score: 'high' }] }],
    });
    const pull = failure(await core.api.sync.pull());
    expect(pull.message).toContain('readers[0].reader: must be 64 lowercase hex digits');
    expect(pull.message).toContain('readers[0].books[0].score: ');
    expect(value(await core.api.sync.status()).pulledVersion).toBe(0);

    answer = () => ({ accepted: logged, duplicates: 0, cursor: '1' });
    expect(value(await core.api.sync.push())).toMatchObject({ accepted: logged, remaining: 0 });
    expect(seen.at(-1)?.authorization).toBe(`Bearer ${token}`);
  });
});
