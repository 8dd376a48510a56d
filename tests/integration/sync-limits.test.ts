/**
 * Limits and hangs against the real PostgreSQL: statement and connection timeouts, the request
 * timeout, separate liveness and readiness, `trustProxy`, logging on by default without tokens,
 * payloads or pseudonyms, the nightly job in a worker thread (the HTTP loop keeps answering) and the
 * advisory lock that lets one instance run it.
 */
import { createServer, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openServerDb, type ServerDb } from '../../server/db';
import { configFromEnv, nightlyRunner, type RunningServer } from '../../server/index';
import { NIGHTLY_LOCK, runServerNightly } from '../../server/nightly';
import { storeEvents } from '../../server/push';
import { createTenant } from '../../server/tenants';
import { dayOf } from '../../shared/sync/protocol';
import { cleanupDirs, tempDir } from '../support/core';
import {
  TEST_DATABASE_URL,
  dropSchema,
  enrolledDevice,
  makeEvents,
  openTestDb,
  pseudonym,
  push,
  serve,
} from '../support/sync-server';

let db: ServerDb;
let schema: string;
let silent: Server;
let silentUrl: string;

beforeAll(async () => {
  ({ db, schema } = await openTestDb());
  // A "database" that accepts connections and never answers.
  silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  silentUrl = `postgres://postgres@127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/test`;
});
afterAll(async () => {
  await db?.close();
  silent?.close();
  if (schema) await dropSchema(schema);
  cleanupDirs();
});

describe('timeouts', () => {
  it('ends a long statement and a connection that never answers', async () => {
    const short = await openServerDb({ databaseUrl: TEST_DATABASE_URL, schema, statementTimeoutMs: 200 });
    try {
      await expect(short.query('SELECT pg_sleep(3)')).rejects.toThrow(/statement timeout/);
    } finally {
      await short.close();
    }
    const hanging = await openServerDb({ databaseUrl: silentUrl, connectionTimeoutMs: 300 });
    try {
      await expect(hanging.query('SELECT 1')).rejects.toThrow(/timeout/i);
    } finally {
      await hanging.close().catch(() => undefined);
    }
  });

  it('sets a request timeout on the HTTP server', async () => {
    const app = buildApp({ db, logger: false, requestTimeoutMs: 5_000 });
    await app.ready();
    expect(app.server.requestTimeout).toBe(5_000);
    await app.close();
    const defaults = buildApp({ db, logger: false });
    await defaults.ready();
    expect(defaults.server.requestTimeout).toBeGreaterThan(0);
    await defaults.close();
  });
});

describe('health', () => {
  it('answers live without the database and ready only with it', async () => {
    const good = await serve(db);
    const broken = await openServerDb({ databaseUrl: silentUrl, connectionTimeoutMs: 300 });
    const bad = await serve(broken);
    try {
      expect((await fetch(`${good.url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${good.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ok: true, database: 'up' });
      expect((await fetch(`${bad.url}/health/live`)).status).toBe(200);
      const notReady = await fetch(`${bad.url}/health/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({
        code: 'unavailable',
        message: /database does not answer/,
      });
    } finally {
      await good.close();
      await bad.close();
      await broken.close().catch(() => undefined);
    }
  });
});

describe('client addresses behind a proxy', () => {
  async function attempts(server: RunningServer, forwarded: string[]): Promise<number[]> {
    const statuses: number[] = [];
    for (const address of forwarded)
      statuses.push(
        (
          await fetch(`${server.url}/v1/enroll`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
            body: JSON.stringify({ code: 'AAAA-BBBB-CCCC' }),
          })
        ).status,
      );
    return statuses;
  }

  it('keys enrolment limits by the forwarded address only when trustProxy is set', async () => {
    const limit = { perMinute: 1, burst: 2 };
    const trusting = await serve(db, { enrolLimit: limit, trustProxy: true });
    const plain = await serve(db, { enrolLimit: limit });
    try {
      const addresses = ['10.0.0.1', '10.0.0.1', '10.0.0.1', '10.0.0.2'];
      expect(await attempts(trusting, addresses)).toEqual([403, 403, 429, 403]);
      expect(await attempts(plain, addresses)).toEqual([403, 403, 429, 429]);
    } finally {
      await trusting.close();
      await plain.close();
    }
    expect(configFromEnv({}).trustProxy).toBe(false);
    expect(configFromEnv({ LUMIN_SERVER_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(configFromEnv({ LUMIN_SERVER_TRUST_PROXY: '1' }).trustProxy).toBe(1);
  });
});

describe('logging', () => {
  it('is on by default and records failures without tokens, payloads or pseudonyms', async () => {
    expect(configFromEnv({}).log).toBe(true);
    expect(configFromEnv({ LUMIN_SERVER_LOG: '0' }).log).toBe(false);
    const stream = new PassThrough();
    let log = '';
    stream.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const doomed = await openServerDb({ databaseUrl: TEST_DATABASE_URL, schema });
    const server = await serve(doomed, { logger: { stream } });
    const device = await enrolledDevice(db, server.url, 'Logged school');
    const events = makeEvents(5, { prefix: 'logged' });
    expect((await push(server.url, device.deviceToken, events)).status).toBe(200);
    const who = pseudonym('logged-0');
    await fetch(`${server.url}/v1/readers/${who}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${device.deviceToken}` },
    });
    // The database goes away: the next request fails with 500, and the log says so.
    await doomed.close();
    expect((await push(server.url, device.deviceToken, events)).status).toBe(500);
    await server.close();
    expect(log).toMatch(/"statusCode":500/);
    expect(log).toMatch(/request failed/);
    expect(log).toMatch(/"url":"\/v1\/readers\/:pseudonym"/);
    for (const secret of [device.deviceToken, who, events[0]?.id ?? '', events[0]?.book.isbn13 ?? ''])
      expect(log).not.toContain(secret);
  });
});

describe('nightly', () => {
  it(
    'runs in a worker thread: the HTTP loop keeps answering while it trains',
    { timeout: 180_000 },
    async () => {
      const tenant = await createTenant(db, 'Nightly school');
      const device = randomUUID();
      // Enough for a few seconds of ALS and item similarity.
      for (let batch = 0; batch < 40; batch++)
        await storeEvents(
          db,
          tenant.tenantId,
          device,
          Array.from({ length: 1000 }, (_, index) => {
            const n = batch * 1000 + index;
            return {
              id: randomUUID(),
              reader: pseudonym(`night-${n % 600}`),
              book: { isbn13: `978${String(1_000_000_000 + ((n * 7919) % 2500)).padStart(10, '0')}` },
              type: 'finish' as const,
              value: null,
              band: '3-5' as const,
              day: dayOf(Date.now()),
            };
          }),
        );
      const config = { ...configFromEnv({ DATABASE_URL: TEST_DATABASE_URL, LUMIN_SERVER_SCHEMA: schema }) };
      config.archiveDir = tempDir('lumin-nightly-');
      const server = await serve(db);
      const delay = monitorEventLoopDelay({ resolution: 10 });
      try {
        delay.enable();
        const started = performance.now();
        let answered = 0;
        let running = true;
        const run = nightlyRunner(config, db)().finally(() => (running = false));
        while (running) {
          const response = await fetch(`${server.url}/health/live`);
          if (response.ok) answered += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const report = await run;
        const seconds = (performance.now() - started) / 1000;
        delay.disable();
        expect(report.ran).toBe(true);
        expect(report.tenants.find((entry) => entry.tenantId === tenant.tenantId)).toMatchObject({
          version: 1,
        });
        // Trained on this thread, the loop would stall for the whole run; here it never stalls for long.
        const stalledMs = delay.max / 1e6;
        expect(stalledMs).toBeLessThan((seconds * 1000) / 4);
        expect(answered).toBeGreaterThan(5);
      } finally {
        delay.disable();
        await server.close();
      }
    },
  );

  it('runs on one instance at a time (PostgreSQL advisory lock)', async () => {
    const { db: other } = await openTestDb(schema);
    try {
      let release = () => undefined as void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = db.exclusively(NIGHTLY_LOCK, () => held.then(() => 'first'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await other.exclusively(NIGHTLY_LOCK, async () => 'second')).toEqual({ ran: false });
      release();
      expect(await first).toEqual({ ran: true, value: 'first' });
      expect(await other.exclusively(NIGHTLY_LOCK, async () => 'third')).toEqual({
        ran: true,
        value: 'third',
      });
      // Instances' timers: a run that another instance finished this period is not run again.
      const archive = tempDir('lumin-nightly-timer-');
      expect((await runServerNightly(db, archive)).ran).toBe(true);
      expect((await runServerNightly(other, archive, { skipIfRanWithinMs: 3_600_000 })).ran).toBe(false);
      expect((await runServerNightly(other, archive)).ran).toBe(true);
    } finally {
      await other.close();
    }
  });
});
