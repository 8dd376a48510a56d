/**
 * The device side of credentials, through a real core and the real server on PostgreSQL: the
 * background loop rotates the device token, a revoked device is told so (and says so in its status),
 * and enrolling again with a new code keeps its pseudonyms (the old token hands them over).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../server/admin';
import type { ServerDb } from '../../server/db';
import type { RunningServer } from '../../server/index';
import { runServerNightly } from '../../server/nightly';
import { createTenant } from '../../server/tenants';
import type { Core } from '../../workers/host/core';
import { matchKey } from '../../shared/domain/match-key';
import { workKey } from '../../workers/db/sync/pseudonym';
import { failure, open, tempDir, value } from '../support/core';
import { logHistories, smallLibrary } from '../support/sync-device';
import { storedCount, syncServerFile } from '../support/sync-server';

let db: ServerDb;
let server: RunningServer;
let core: Core;
syncServerFile({}, (opened) => ({ db, server } = opened));
beforeAll(async () => {
  core = await open({ sync: { debounceMs: 50, everyMs: 60_000, pullEveryMs: 3_600_000, rotateEveryMs: 1 } });
});
afterAll(async () => {
  await core?.close();
});

async function tokenHash(deviceId: string): Promise<string> {
  const rows = await db.query<{ token_hash: string }>('SELECT token_hash FROM devices WHERE id = $1', [
    deviceId,
  ]);
  return rows.rows[0]?.token_hash ?? '';
}

async function drained(): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (value(await core.api.sync.status()).pending > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('device credentials', () => {
  it(
    'rotates its token in the background, learns it was revoked, and re-enrols keeping its readers',
    { timeout: 120_000 },
    async () => {
      const tenant = await createTenant(db, 'Device credentials');
      const status = value(await core.api.sync.enroll({ serverUrl: server.url, code: tenant.code }));
      const deviceId = status.deviceId as string;
      const first = await tokenHash(deviceId);
      const library = await smallLibrary(core, 6, 2);
      const books = { books: library.books, readers: library.readers };
      let logged = await logHistories(core, books, 1);
      await drained();
      // The next pushes run with a rotated token: the server's hash changes once it is used.
      const deadline = Date.now() + 20_000;
      while ((await tokenHash(deviceId)) === first && Date.now() < deadline) {
        logged += await logHistories(core, books, 1);
        await drained();
      }
      expect(await tokenHash(deviceId)).not.toBe(first);
      expect(await storedCount(db, tenant.tenantId)).toBe(logged);

      const context = { db, archiveDir: tempDir(), nightly: () => runServerNightly(db, tempDir()) };
      await runAdmin(context, 'devices revoke', { device: deviceId });
      await logHistories(core, books, 1);
      const refused = failure(await core.api.sync.push());
      expect(refused.code).toBe('forbidden');
      expect(refused.message).toMatch(/401.*revoked/);
      expect(value(await core.api.sync.status()).lastError).toMatch(/revoked/);

      // A new code; the device's readers (the same pseudonyms) move to its new token.
      const code = (await runAdmin(context, 'codes add', {
        tenant: tenant.tenantId,
        uses: 1,
        expires: '1h',
      })) as {
        code: string;
      };
      value(await core.api.sync.enroll({ serverUrl: server.url, code: code.code }));
      expect(value(await core.api.sync.push())).toMatchObject({ remaining: 0 });
      expect(await storedCount(db, tenant.tenantId)).toBeGreaterThan(logged);
    },
  );

  it(
    'sends a work key for a book without an ISBN-13 and finds it again in pulled lists',
    { timeout: 120_000 },
    async () => {
      const device = await open();
      try {
        const tenant = await createTenant(db, 'Work keys');
        value(await device.api.sync.enroll({ serverUrl: server.url, code: tenant.code }));
        const added = value(
          await device.api.books.addMany({
            books: Array.from({ length: 12 }, (_, index) => ({
              title: `The Quiet Garden, Part ${index}`,
              authors: ['Writer, Ann'],
              approvedForChildren: true,
            })),
          }),
        );
        const readers: string[] = [];
        for (let index = 0; index < 6; index++)
          readers.push(value(await device.api.readers.add({ name: `Work Reader ${index}`, grade: 7 })).id);
        const logged = await logHistories(device, { books: added.ids, readers }, 5);
        expect(value(await device.api.sync.push())).toMatchObject({ accepted: logged, remaining: 0 });
        const keys = await db.query<{ book_key: string; band: string }>(
          'SELECT DISTINCT book_key, band FROM interactions WHERE tenant_id = $1',
          [tenant.tenantId],
        );
        const expected = workKey(matchKey('The Quiet Garden, Part 0', ['Writer, Ann']) as string);
        expect(keys.rows.map((row) => row.book_key)).toContain(`work:${expected}`);
        expect(
          keys.rows.every((row) => /^work:w[0-9a-f]{32}$/.test(row.book_key) && row.band === '6-8'),
        ).toBe(true);
        await runServerNightly(db, tempDir(), { tenantId: tenant.tenantId });
        const pulled = value(await device.api.sync.pull());
        expect(pulled).toMatchObject({ version: 1, readers: 6, skipped: 0 });
        expect(pulled.stored).toBeGreaterThan(0);
      } finally {
        await device.close();
      }
    },
  );
});
