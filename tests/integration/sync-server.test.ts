/** The sync server against the real PostgreSQL: idempotency, order, tenant isolation, auth and bad input. */
import { describe, expect, it } from 'vitest';
import type { ServerDb } from '../../server/db';
import type { RunningServer } from '../../server/index';
import { runServerNightly } from '../../server/nightly';
import { createTenant } from '../../server/tenants';
import { fastPushRequest } from '../../shared/sync/fast-check';
import { backoffDelay } from '../../shared/egress/backoff';
import {
  type PushResponse,
  type RecommendationsResponse,
  pushRequestSchema,
} from '../../shared/sync/protocol';
import { tempDir } from '../support/core';
import { enrolledDevice, makeEvents, push, serve, storedCount, syncServerFile } from '../support/sync-server';

let db: ServerDb;
let server: RunningServer;

syncServerFile(
  {
    bodyLimit: 256 * 1024,
    rateLimit: { perMinute: 600, burst: 200 },
    enrolLimit: { perMinute: 600, burst: 100 },
  },
  (opened) => ({ db, server } = opened),
);

/** The stored rows of a tenant, comparable across runs. */
async function state(tenantId: string): Promise<string[]> {
  const rows = await db.query<{ row: string }>(
    `SELECT concat_ws('|', id, reader, book_key, type, value, band, day) AS row
       FROM interactions WHERE tenant_id = $1 ORDER BY id`,
    [tenantId],
  );
  return rows.rows.map((row) => row.row);
}

describe('sync server: push', () => {
  it('answers health under /v1 with the protocol version', async () => {
    const response = await fetch(`${server.url}/v1/health`);
    expect(await response.json()).toEqual({ ok: true, protocol: 2 });
  });

  it('stores the same batch once when it is pushed twice', async () => {
    const device = await enrolledDevice(db, server.url, 'Idempotent school');
    const events = makeEvents(300);
    const first = (await (await push(server.url, device.deviceToken, events)).json()) as PushResponse;
    expect(first).toMatchObject({ accepted: 300, duplicates: 0 });
    const second = (await (await push(server.url, device.deviceToken, events)).json()) as PushResponse;
    expect(second).toMatchObject({ accepted: 0, duplicates: 300 });
    expect(BigInt(second.cursor)).toBeGreaterThanOrEqual(BigInt(first.cursor));
    expect(await storedCount(db, device.tenantId)).toBe(300);
    // Overlapping batches count only the new ones.
    const third = (await (
      await push(server.url, device.deviceToken, [...events.slice(0, 50), ...makeEvents(20)])
    ).json()) as PushResponse;
    expect(third).toMatchObject({ accepted: 20, duplicates: 50 });
  });

  it('reaches the same state whatever the order of the batches', async () => {
    const events = makeEvents(400, { readers: 7, books: 30 });
    const batches = [0, 1, 2, 3].map((index) => events.slice(index * 100, index * 100 + 150));
    const a = await enrolledDevice(db, server.url, 'Order A');
    const b = await enrolledDevice(db, server.url, 'Order B');
    for (const batch of batches) await push(server.url, a.deviceToken, batch);
    for (const batch of [...batches].reverse()) await push(server.url, b.deviceToken, batch);
    // Concurrently, each batch twice.
    const c = await enrolledDevice(db, server.url, 'Order C');
    await Promise.all([...batches, ...batches].map((batch) => push(server.url, c.deviceToken, batch)));
    const expected = await state(a.tenantId);
    expect(expected).toHaveLength(400);
    expect(await state(b.tenantId)).toEqual(expected);
    expect(await state(c.tenantId)).toEqual(expected);
  });
});

describe('sync server: tenants and auth', () => {
  it('never lets one tenant read or write another', async () => {
    const a = await enrolledDevice(db, server.url, 'School A');
    const b = await enrolledDevice(db, server.url, 'School B');
    const events = makeEvents(40);
    await push(server.url, a.deviceToken, events);
    // The same event ids from B are B's own rows, never "duplicates" of A's.
    const fromB = (await (await push(server.url, b.deviceToken, events)).json()) as PushResponse;
    expect(fromB).toMatchObject({ accepted: 40, duplicates: 0 });
    expect(await storedCount(db, a.tenantId)).toBe(40);
    expect(await storedCount(db, b.tenantId)).toBe(40);
    // Enough readers per book for popular cells (k-anonymity: 5 distinct pseudonyms).
    await push(server.url, a.deviceToken, makeEvents(60, { readers: 7, books: 3 }));
    await runServerNightly(db, tempDir(), { tenantId: a.tenantId });
    const forB = (await (
      await fetch(`${server.url}/v1/recommendations?since=0`, {
        headers: { authorization: `Bearer ${b.deviceToken}` },
      })
    ).json()) as RecommendationsResponse;
    expect(forB).toEqual({ version: 0, generatedAt: null, readers: [] });
    const forA = (await (
      await fetch(`${server.url}/v1/recommendations?since=0`, {
        headers: { authorization: `Bearer ${a.deviceToken}` },
      })
    ).json()) as RecommendationsResponse;
    expect(forA.version).toBe(1);
    expect(forA.readers.length).toBeGreaterThan(0);
    const popularB = await fetch(`${server.url}/v1/popular?band=all`, {
      headers: { authorization: `Bearer ${b.deviceToken}` },
    });
    expect(((await popularB.json()) as { books: unknown[] }).books).toEqual([]);
    const popularA = await fetch(`${server.url}/v1/popular?band=all`, {
      headers: { authorization: `Bearer ${a.deviceToken}` },
    });
    expect(((await popularA.json()) as { books: unknown[] }).books.length).toBeGreaterThan(0);
  });

  it('refuses missing, malformed and unknown tokens and unknown codes', async () => {
    const events = makeEvents(3);
    const none = await fetch(`${server.url}/v1/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ name: 'LuminError', code: 'unauthenticated' });
    const unknown = await push(server.url, 'lds_not-a-real-token-at-all', events);
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ code: 'unauthenticated', message: /unknown device token/ });
    const pull = await fetch(`${server.url}/v1/recommendations`, { headers: { authorization: 'Basic abc' } });
    expect(pull.status).toBe(401);
    const enrol = await fetch(`${server.url}/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'AAAA-BBBB-CCCC' }),
    });
    expect(enrol.status).toBe(403);
    expect(await enrol.json()).toMatchObject({ code: 'forbidden', details: { field: 'code' } });
    // Codes are typed by people: case and dashes do not matter.
    const tenant = await createTenant(db, 'Typed');
    const typed = await fetch(`${server.url}/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: tenant.code.toLowerCase().replaceAll('-', ' ') }),
    });
    expect(typed.status).toBe(201);
    expect(await storedCount(db)).toBeGreaterThan(0);
  });

  it('keeps only hashes of tokens and codes', async () => {
    const device = await enrolledDevice(db, server.url, 'Hashes');
    const rows = await db.query<{ token_hash: string; code_hash: string }>(
      'SELECT d.token_hash, c.code_hash FROM devices d JOIN enrol_codes c ON c.tenant_id = d.tenant_id WHERE d.id = $1',
      [device.deviceId],
    );
    expect(rows.rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows.rows)).not.toContain(device.deviceToken);
    expect(JSON.stringify(rows.rows)).not.toContain(device.code.replaceAll('-', ''));
  });

  it('rate-limits a token with 429 and Retry-After', async () => {
    const limited = await serve(db, {
      rateLimit: { perMinute: 60, burst: 3 },
      enrolLimit: { perMinute: 60, burst: 3 },
    });
    try {
      const device = await enrolledDevice(db, limited.url, 'Limited');
      const statuses: number[] = [];
      for (let index = 0; index < 5; index++)
        statuses.push((await push(limited.url, device.deviceToken, makeEvents(1))).status);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      const refused = await push(limited.url, device.deviceToken, makeEvents(1));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused.json()).toMatchObject({ code: 'rate_limited' });
      expect(await storedCount(db, device.tenantId)).toBe(3);
    } finally {
      await limited.close();
    }
  });
});

describe('sync server: bad input stores nothing', () => {
  it('refuses an oversized body with 413', async () => {
    const device = await enrolledDevice(db, server.url, 'Oversized');
    const huge = makeEvents(1000).map((event) => ({ ...event, padding: 'x'.repeat(300) }));
    const response = await push(server.url, device.deviceToken, huge);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ name: 'LuminError', code: 'payload_too_large' });
    expect(await storedCount(db, device.tenantId)).toBe(0);
  });

  it('names the bad field of a malformed event and stores none of the batch', async () => {
    const device = await enrolledDevice(db, server.url, 'Malformed');
    const events: unknown[] = makeEvents(5);
    events[3] = { ...(events[3] as object), reader: 'Alice Smith' };
    const response = await push(server.url, device.deviceToken, events);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; message: string; details: { field: string } };
    expect(body.code).toBe('invalid_argument');
    expect(body.message).toContain('events[3].reader');
    expect(body.details.field).toBe('events.3.reader');
    // A field the protocol has no place for (a name, a note) is refused, not ignored.
    const extra = makeEvents(2).map((event) => ({ ...event, name: 'Alice' }));
    const refused = await push(server.url, device.deviceToken, extra);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/events\[0\]/);
    const badJson = await fetch(`${server.url}/v1/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${device.deviceToken}` },
      body: '{"events": [',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ name: 'LuminError', code: 'invalid_argument' });
    const empty = await push(server.url, device.deviceToken, []);
    expect(empty.status).toBe(400);
    const badQuery = await fetch(`${server.url}/v1/popular?band=teens`, {
      headers: { authorization: `Bearer ${device.deviceToken}` },
    });
    expect(badQuery.status).toBe(400);
    expect(((await badQuery.json()) as { message: string }).message).toContain('band');
    expect(await storedCount(db, device.tenantId)).toBe(0);
  });
});

describe('push validation fast path', () => {
  it('accepts only what the zod schema accepts', () => {
    const base = makeEvents(1)[0] as Record<string, unknown>;
    const variants: unknown[] = [
      base,
      { ...base, value: 4.5 },
      { ...base, value: Number.NaN },
      { ...base, band: '9-12' },
      { ...base, band: null },
      { ...base, band: '4' },
      { ...base, band: 4 },
      { ...base, grade: 4 },
      { ...base, day: '2024-02-30' },
      { ...base, day: '2024-02-29' },
      { ...base, day: '2024-02-29T10:00:00Z' },
      { ...base, occurredAt: '2024-02-29T10:00:00.123+02:00' },
      { ...base, book: {} },
      { ...base, book: { work: `w${'a'.repeat(32)}` } },
      { ...base, book: { work: `w${'A'.repeat(32)}` } },
      { ...base, book: { work: `w${'a'.repeat(32)}`, isbn13: '9780000000019' } },
      { ...base, book: { id: '00000000-0000-4000-8000-000000000001' } },
      { ...base, book: { isbn13: '9780000000019', title: 'x' } },
      { ...base, reader: 'A'.repeat(64) },
      { ...base, type: 'read' },
      { ...base, note: 'free text' },
    ];
    for (const event of variants) {
      const fast = fastPushRequest({ events: [event] });
      const zod = pushRequestSchema.safeParse({ events: [event] });
      if (fast) expect(zod.success, JSON.stringify(event)).toBe(true);
      if (zod.success === false) expect(fast).toBeNull();
    }
    expect(fastPushRequest({ events: makeEvents(10) })).not.toBeNull();
  });
});

describe('client backoff', () => {
  it('doubles up to the ceiling with jitter in the upper half', () => {
    const backoff = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, backoff, () => 0)).toBe(50);
    expect(backoffDelay(0, backoff, () => 1)).toBe(100);
    expect(backoffDelay(3, backoff, () => 0)).toBe(400);
    expect(backoffDelay(3, backoff, () => 1)).toBe(800);
    expect(backoffDelay(10, backoff, () => 1)).toBe(1000);
    expect(backoffDelay(10, backoff, () => 0)).toBe(500);
  });
});
