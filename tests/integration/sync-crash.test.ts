/**
 * The server SIGKILLed in the middle of a push: the device's client retries the batch in flight with
 * backoff until the restarted server answers, and the final count is exact (nothing lost, nothing
 * twice), because the server is idempotent by event id and the outbox is acknowledged only after an answer.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDb } from '../../server/db';
import { createTenant } from '../../server/tenants';
import type { Core } from '../../workers/host/core';
import { cleanupDirs, open, value } from '../support/core';
import { logHistories, smallLibrary } from '../support/sync-device';
import {
  type ServerChild,
  dropSchema,
  openTestDb,
  startServerChild,
  storedCount,
} from '../support/sync-server';

let db: ServerDb;
let schema: string;
let core: Core;
const children: ServerChild[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  ({ db, schema } = await openTestDb());
  core = await open();
});
afterAll(async () => {
  for (const child of children) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
  await core?.close();
  await db?.close();
  if (schema) await dropSchema(schema);
  cleanupDirs();
});

describe('sync: server killed mid-push', () => {
  it(
    'retries until the restarted server answers; every event stored exactly once',
    { timeout: 180_000 },
    async () => {
      const port = await freePort();
      children.push(await startServerChild(schema, port));
      const url = `http://127.0.0.1:${port}`;
      const tenant = await createTenant(db, 'Crash school');
      value(await core.api.sync.enroll({ serverUrl: url, code: tenant.code }));
      const library = await smallLibrary(core, 30, 8);
      const total = await logHistories(core, library, 20);
      expect(value(await core.api.sync.status()).pending).toBe(total);

      const pushing = core.api.sync.push({ batchSize: 4, attempts: 20 });
      let atKill = 0;
      for (;;) {
        atKill = await storedCount(db, tenant.tenantId);
        if (atKill > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const first = children[0] as ServerChild;
      first.process.kill('SIGKILL');
      await first.exited;
      expect(atKill).toBeLessThan(total);
      // Down for a moment, then back on the same port.
      await new Promise((resolve) => setTimeout(resolve, 500));
      children.push(await startServerChild(schema, port));

      const report = value(await pushing);
      expect(report.retries).toBeGreaterThan(0);
      expect(report.remaining).toBe(0);
      expect(await storedCount(db, tenant.tenantId)).toBe(total);
      const distinct = await db.query<{ n: number }>(
        'SELECT count(DISTINCT id)::int AS n FROM interactions WHERE tenant_id = $1',
        [tenant.tenantId],
      );
      expect(distinct.rows[0]?.n).toBe(total);
      expect(value(await core.api.sync.status())).toMatchObject({ pending: 0, lastError: null });
    },
  );
});
