/**
 * Sync and a reader's privacy, against a local HTTP server on 127.0.0.1 answering the real client:
 * a reader left out of sync never has an event in the outbox; erasing a reader drops their unsent
 * events and queues `DELETE /v1/readers/:hash`, which waits while the server answers 404 (no such
 * route yet) and goes once it answers 200; `sync.rotate` gives a new pseudonym and erases the old one.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDirs, open, value } from '../support/core';
import { smallLibrary } from '../support/sync-device';

afterAll(cleanupDirs);

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: { events?: { reader: string; book: { isbn13?: string } }[] } | null;
}

/** A stand-in sync server: enrolment, pushes, and the erase route once `erasing` is on. */
async function fakeServer() {
  const seen: Seen[] = [];
  const state = { erasing: false };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const body = text ? (JSON.parse(text) as Seen['body']) : null;
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        body,
      });
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (request.url === '/v1/enroll')
        return reply(200, {
          deviceToken: 'device-token-1',
          tenantId: '11111111-1111-4111-8111-111111111111',
          deviceId: '22222222-2222-4222-8222-222222222222',
        });
      if (request.url === '/v1/interactions')
        return reply(200, { accepted: body?.events?.length ?? 0, duplicates: 0, cursor: '1' });
      const erase = /^\/v1\/readers\/([0-9a-f]{64})$/.exec(request.url ?? '');
      if (erase && request.method === 'DELETE' && state.erasing)
        return reply(200, { pseudonym: erase[1], erased: true });
      return reply(404, { code: 'not_found', message: `no route ${request.method} ${request.url}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    state,
    events: () => seen.flatMap((request) => request.body?.events ?? []),
    erasures: () => seen.filter((request) => request.method === 'DELETE'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('sync and a reader’s privacy', () => {
  it('leaves out readers with sync off, erases on the server, and rotates pseudonyms', async () => {
    const server = await fakeServer();
    const core = await open();
    const { api } = core;
    try {
      const library = await smallLibrary(core, 6, 2);
      const [kept, erased] = library.readers as [string, string];
      const private_ = value(await api.readers.add({ name: 'Private Pupil', grade: 4, sync: false })).id;
      value(await api.sync.enroll({ serverUrl: server.url, code: 'ABCD-EFGH-JKLM' }));

      // A reader left out of sync never reaches the outbox.
      value(
        await api.interactions.log({
          readerId: private_,
          bookId: library.books[0] as string,
          type: 'finish',
        }),
      );
      expect(value(await api.sync.status()).pending).toBe(0);
      value(
        await api.interactions.log({ readerId: kept, bookId: library.books[1] as string, type: 'finish' }),
      );
      value(
        await api.interactions.log({ readerId: erased, bookId: library.books[2] as string, type: 'finish' }),
      );
      expect(value(await api.sync.status()).pending).toBe(2);
      // Turning sync off for a reader drops what of theirs still waits.
      value(await api.readers.update({ id: kept, patch: { sync: false } }));
      expect(value(await api.readers.get({ id: kept })).sync).toBe(false);
      expect(value(await api.sync.status()).pending).toBe(1);
      value(await api.readers.update({ id: kept, patch: { sync: true } }));
      value(
        await api.interactions.log({ readerId: kept, bookId: library.books[3] as string, type: 'finish' }),
      );
      value(await api.sync.push({}));
      const [keptHash, erasedHash] = [library.isbns[3], library.isbns[2]].map(
        (isbn) => server.events().find((event) => event.book.isbn13 === isbn)?.reader,
      ) as [string, string];
      expect(server.events()).toHaveLength(2);
      expect(server.events().some((event) => event.book.isbn13 === library.isbns[0])).toBe(false);

      // Erasing a reader drops their unsent events and queues an erase for the server.
      value(
        await api.interactions.log({ readerId: erased, bookId: library.books[4] as string, type: 'finish' }),
      );
      expect(value(await api.sync.status()).pending).toBe(1);
      const removal = value(await api.readers.remove({ id: erased }));
      expect(removal.eraseQueued).toBe(true);
      expect(removal.deleted.sync_outbox).toBe(1);
      expect(value(await api.sync.status()).pending).toBe(1); // the erase request only

      // A server without the route (404): the request stays queued, and the push is not a failure.
      const unsupported = value(await api.sync.push({}));
      expect(unsupported.erasuresWaiting).toBe(1);
      expect(server.erasures()).toHaveLength(1);
      expect(value(await api.sync.status()).pending).toBe(1);
      expect(server.events().filter((event) => event.reader === erasedHash)).toHaveLength(1);

      // Once the server supports it, the request goes with the device's token, then leaves the outbox.
      server.state.erasing = true;
      const confirmed = value(await api.sync.push({}));
      expect(confirmed.erased).toBe(1);
      expect(server.erasures().at(-1)).toMatchObject({
        url: `/v1/readers/${erasedHash}`,
        authorization: 'Bearer device-token-1',
      });
      expect(value(await api.sync.status()).pending).toBe(0);

      // Rotating: a new pseudonym for the kept reader, and an erase of the old one.
      const rotated = value(await api.sync.rotate({ readerId: kept }));
      expect(rotated.eraseQueued).toBe(true);
      value(
        await api.interactions.log({ readerId: kept, bookId: library.books[5] as string, type: 'finish' }),
      );
      value(await api.sync.push({}));
      expect(server.erasures().at(-1)?.url).toBe(`/v1/readers/${keptHash}`);
      const newHash = server.events().find((event) => event.book.isbn13 === library.isbns[5])?.reader;
      expect(newHash).toMatch(/^[0-9a-f]{64}$/);
      expect(newHash).not.toBe(keptHash);
      expect(value(await api.sync.status()).pending).toBe(0);
    } finally {
      await core.close();
      await server.close();
    }
  }, 120_000);
});
