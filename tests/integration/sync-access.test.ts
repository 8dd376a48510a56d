/**
 * Least data and device-scoped access against the real PostgreSQL: pseudonyms bound to the device
 * that first pushed them, pull scoped to the device's own pseudonyms, k-anonymous popular cells and
 * neighbours, days within the window, per-tenant quotas, and nothing more than band, day and book key
 * at rest.
 */
import { describe, expect, it } from 'vitest';
import type { ServerDb } from '../../server/db';
import { configFromEnv, type RunningServer } from '../../server/index';
import { kAnonymity, runServerNightly } from '../../server/nightly';
import { createTenant } from '../../server/tenants';
import { type EnrollResponse, type RecommendationsResponse, dayOf } from '../../shared/sync/protocol';
import { tempDir } from '../support/core';
import { enrolledDevice, makeEvents, push, serve, storedCount, syncServerFile } from '../support/sync-server';

let db: ServerDb;
let schema: string;
let server: RunningServer;

syncServerFile(
  {
    rateLimit: { perMinute: 6000, burst: 1000 },
    enrolLimit: { perMinute: 6000, burst: 1000 },
  },
  (opened) => ({ db, schema, server } = opened),
);

/** Enrols one more device with `code`. */
async function enrol(code: string, url = server.url): Promise<EnrollResponse> {
  const response = await fetch(`${url}/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as EnrollResponse;
}

async function pull(token: string): Promise<RecommendationsResponse> {
  const response = await fetch(`${server.url}/v1/recommendations?since=0`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as RecommendationsResponse;
}

describe('device-scoped pseudonyms', () => {
  it('binds a pseudonym to the device that first pushed it: another device gets 403 and stores nothing', async () => {
    const a = await enrolledDevice(db, server.url, 'Bound school');
    const b = await enrol(a.code);
    expect((await push(server.url, a.deviceToken, makeEvents(10, { prefix: 'bound' }))).status).toBe(200);
    const stolen = await push(server.url, b.deviceToken, makeEvents(10, { prefix: 'bound' }));
    expect(stolen.status).toBe(403);
    expect(await stolen.json()).toMatchObject({ code: 'forbidden', message: /belongs to another device/ });
    // Mixed batches are refused whole.
    const mixed = [...makeEvents(3, { prefix: 'mine', readers: 1 }), ...makeEvents(1, { prefix: 'bound' })];
    expect((await push(server.url, b.deviceToken, mixed)).status).toBe(403);
    expect(await storedCount(db, a.tenantId)).toBe(10);
    expect((await push(server.url, b.deviceToken, makeEvents(3, { prefix: 'mine' }))).status).toBe(200);
  });

  it("pulls only the lists of the device's own pseudonyms", async () => {
    const a = await enrolledDevice(db, server.url, 'Pull school');
    const b = await enrol(a.code);
    await push(server.url, a.deviceToken, makeEvents(120, { prefix: 'pull-a', readers: 6, books: 40 }));
    await push(server.url, b.deviceToken, makeEvents(120, { prefix: 'pull-b', readers: 6, books: 40 }));
    await runServerNightly(db, tempDir(), { tenantId: a.tenantId });
    const ownA = new Set(makeEvents(6, { prefix: 'pull-a', readers: 6 }).map((event) => event.reader));
    const ownB = new Set(makeEvents(6, { prefix: 'pull-b', readers: 6 }).map((event) => event.reader));
    const forA = await pull(a.deviceToken);
    const forB = await pull(b.deviceToken);
    expect(new Set(forA.readers.map((entry) => entry.reader))).toEqual(ownA);
    expect(new Set(forB.readers.map((entry) => entry.reader))).toEqual(ownB);
  });
});

describe('k-anonymity', () => {
  it('publishes popular cells and item neighbours only from at least k distinct pseudonyms', async () => {
    const device = await enrolledDevice(db, server.url, 'K school');
    const isbn = (n: number) => `978000000${String(n).padStart(4, '0')}`;
    // Book 1: 5 readers; book 2: 4 readers; book 3: 6 readers; all in band 3-5.
    const readers = makeEvents(6, { prefix: 'k', readers: 6 }).map((event) => event.reader);
    const events = makeEvents(15, { prefix: 'k' }).map((event, index) => {
      const [book, reader] = index < 5 ? [1, index] : index < 9 ? [2, index - 5] : [3, index - 9];
      return {
        ...event,
        reader: readers[reader] as string,
        book: { isbn13: isbn(book) },
        band: '3-5' as const,
      };
    });
    expect((await push(server.url, device.deviceToken, events)).status).toBe(200);
    await runServerNightly(db, tempDir(), { tenantId: device.tenantId });
    const popular = await db.query<{ band: string; book_key: string; readers: number }>(
      'SELECT band, book_key, readers FROM popular WHERE tenant_id = $1 ORDER BY band, book_key',
      [device.tenantId],
    );
    expect(popular.rows).toEqual([
      { band: '3-5', book_key: `isbn:${isbn(1)}`, readers: 5 },
      { band: '3-5', book_key: `isbn:${isbn(3)}`, readers: 6 },
      { band: 'all', book_key: `isbn:${isbn(1)}`, readers: 5 },
      { band: 'all', book_key: `isbn:${isbn(3)}`, readers: 6 },
    ]);
    const similar = await db.query<{ book_key: string; neighbour: string }>(
      'SELECT book_key, neighbour FROM item_similarity WHERE tenant_id = $1',
      [device.tenantId],
    );
    expect(similar.rows.length).toBeGreaterThan(0);
    for (const row of similar.rows) {
      expect(row.book_key).not.toBe(`isbn:${isbn(2)}`);
      expect(row.neighbour).not.toBe(`isbn:${isbn(2)}`);
    }
    // Configurable upward only.
    await runServerNightly(db, tempDir(), { tenantId: device.tenantId, kAnonymity: 6 });
    const stricter = await db.query<{ book_key: string }>(
      "SELECT book_key FROM popular WHERE tenant_id = $1 AND band = 'all'",
      [device.tenantId],
    );
    expect(stricter.rows).toEqual([{ book_key: `isbn:${isbn(3)}` }]);
    expect(() => kAnonymity(4)).toThrow(/at least 5/);
    expect(() => configFromEnv({ LUMIN_SERVER_K_ANONYMITY: '2' })).toThrow(
      /k-anonymity: must be .* at least 5/,
    );
    expect(configFromEnv({ LUMIN_SERVER_K_ANONYMITY: '8' }).kAnonymity).toBe(8);
  });
});

describe('least data on the wire and at rest', () => {
  it('takes days within the last 400 and not after tomorrow, naming the event', async () => {
    const device = await enrolledDevice(db, server.url, 'Days school');
    const day = (offset: number) => dayOf(Date.now() + offset * 86_400_000);
    const ok = makeEvents(3, { prefix: 'days' });
    (ok[0] as { day: string }).day = day(1);
    (ok[1] as { day: string }).day = day(-399);
    expect((await push(server.url, device.deviceToken, ok)).status).toBe(200);
    for (const offset of [2, -402, 3650]) {
      const events = makeEvents(3, { prefix: 'days' });
      (events[2] as { day: string }).day = day(offset);
      const refused = await push(server.url, device.deviceToken, events);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        code: 'invalid_argument',
        message: /events\[2\]\.day: must lie within the last 400 days and not after tomorrow/,
        details: { field: 'events.2.day' },
      });
    }
    expect(await storedCount(db, device.tenantId)).toBe(3);
  });

  it('refuses the old wire format: exact grades, timestamps and device book ids', async () => {
    const device = await enrolledDevice(db, server.url, 'Wire school');
    const [event] = makeEvents(1, { prefix: 'wire' });
    for (const extra of [
      { grade: 4 },
      { occurredAt: new Date().toISOString() },
      { book: { id: '00000000-0000-4000-8000-000000000001', isbn13: '9780000000019' } },
      { band: '4' },
      { day: '2026-12-06T10:00:00Z' },
    ]) {
      const refused = await push(server.url, device.deviceToken, [{ ...event, ...extra }]);
      expect(refused.status, JSON.stringify(extra)).toBe(400);
    }
    expect(await storedCount(db, device.tenantId)).toBe(0);
  });

  it('keeps only a band, a day and an ISBN-13 or work key per event', async () => {
    const columns = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'interactions'
        ORDER BY column_name`,
      [schema],
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual([
      'band',
      'book_key',
      'day',
      'device_id',
      'id',
      'reader',
      'seq',
      'tenant_id',
      'type',
      'value',
    ]);
  });
});

describe('per-tenant quotas', () => {
  it('answers 429 naming the quota: events per day, then stored rows', async () => {
    const device = await enrolledDevice(db, server.url, 'Quota school');
    await db.query('UPDATE tenants SET quota_events_per_day = 50 WHERE id = $1', [device.tenantId]);
    expect((await push(server.url, device.deviceToken, makeEvents(40, { prefix: 'quota' }))).status).toBe(
      200,
    );
    const over = await push(server.url, device.deviceToken, makeEvents(20, { prefix: 'quota' }));
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await over.json()).toMatchObject({
      code: 'rate_limited',
      message: /quota events_per_day/,
      details: { quota: 'events_per_day', limit: 50 },
    });
    expect(await storedCount(db, device.tenantId)).toBe(40);

    const other = await createTenant(db, 'Rows school');
    const small = await serve(db, { quotas: { eventsPerDay: 1_000_000, storedRows: 30 } });
    try {
      const enrolled = await enrol(other.code, small.url);
      expect((await push(small.url, enrolled.deviceToken, makeEvents(25, { prefix: 'rows' }))).status).toBe(
        200,
      );
      const full = await push(small.url, enrolled.deviceToken, makeEvents(10, { prefix: 'rows' }));
      expect(full.status).toBe(429);
      expect(await full.json()).toMatchObject({ details: { quota: 'stored_rows', limit: 30 } });
      expect(await storedCount(db, other.tenantId)).toBe(25);
    } finally {
      await small.close();
    }
  });
});
