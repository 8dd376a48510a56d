/**
 * Erase on request against the real PostgreSQL: `DELETE /v1/readers/:pseudonym` (and the admin
 * `erase`) removes the pseudonym's hot rows, archived evidence, batch lists and binding, and rewrites
 * every Parquet partition that held its rows; read back with hyparquet, no record of it remains.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../../server/admin';
import type { ServerDb } from '../../server/db';
import type { RunningServer } from '../../server/index';
import { runServerNightly } from '../../server/nightly';
import { dayOf, type EnrollResponse } from '../../shared/sync/protocol';
import { tempDir } from '../support/core';
import { enrolledDevice, makeEvents, pseudonym, push, syncServerFile } from '../support/sync-server';

let db: ServerDb;
let server: RunningServer;
const archiveDir = tempDir('lumin-erase-archive-');

syncServerFile(
  { archiveDir, rateLimit: { perMinute: 6000, burst: 1000 } },
  (opened) => ({ db, server } = opened),
);

function erase(token: string, who: string): Promise<Response> {
  return fetch(`${server.url}/v1/readers/${who}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
}

/** Every archived row of a tenant, read back from the Parquet files. */
async function archived(tenantId: string): Promise<{ reader: string; file: string }[]> {
  const root = join(archiveDir, `tenant=${tenantId}`);
  if (!existsSync(root)) return [];
  const rows: { reader: string; file: string }[] = [];
  for (const date of readdirSync(root))
    for (const name of readdirSync(join(root, date))) {
      expect(name).toMatch(/\.parquet$/); // no temporary file left behind
      const file = join(root, date, name);
      const read = (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as {
        reader: string;
      }[];
      for (const row of read) rows.push({ reader: row.reader, file });
    }
  return rows;
}

async function rowsOf(tenantId: string, reader: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['interactions', 'evidence', 'batch_recs', 'reader_devices']) {
    const result = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1 AND reader = $2`,
      [tenantId, reader],
    );
    counts[table] = result.rows[0]?.n ?? 0;
  }
  return counts;
}

describe('erase on request', () => {
  it('removes rows, lists, model rows and Parquet records of the pseudonym, and nothing else', async () => {
    const device = await enrolledDevice(db, server.url, 'Erase school');
    const now = Date.now();
    const target = pseudonym('erase-reader-0');
    // Old events (to be archived) over three days, and fresh ones; 6 readers so lists exist.
    const old = makeEvents(180, { prefix: 'erase-reader', readers: 6, books: 30 }).map((event, index) => ({
      ...event,
      day: dayOf(now - (4 + (index % 3)) * 86_400_000),
    }));
    const fresh = makeEvents(60, { prefix: 'erase-reader', readers: 6, books: 30 });
    // One partition holds only the target's rows (removed whole by the erase).
    const alone = makeEvents(6, { prefix: 'erase-reader', readers: 1 }).map((event) => ({
      ...event,
      day: dayOf(now - 9 * 86_400_000),
    }));
    for (const batch of [old, fresh, alone])
      expect((await push(server.url, device.deviceToken, batch)).status).toBe(200);
    const report = await runServerNightly(db, archiveDir, { tenantId: device.tenantId });
    expect(report.archive.rows).toBe(186);
    const before = await archived(device.tenantId);
    expect(before.filter((row) => row.reader === target).length).toBe(36);
    expect(await rowsOf(device.tenantId, target)).toMatchObject({
      interactions: 10,
      evidence: expect.any(Number),
      batch_recs: expect.any(Number),
      reader_devices: 1,
    });
    expect((await rowsOf(device.tenantId, target)).batch_recs).toBeGreaterThan(0);
    const storedBefore = await db.query<{ n: string }>(
      'SELECT stored_rows::text AS n FROM tenants WHERE id = $1',
      [device.tenantId],
    );

    const response = await erase(device.deviceToken, target);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ pseudonym: target, erased: true });

    expect(await rowsOf(device.tenantId, target)).toEqual({
      interactions: 0,
      evidence: 0,
      batch_recs: 0,
      reader_devices: 0,
    });
    const after = await archived(device.tenantId);
    expect(after.some((row) => row.reader === target)).toBe(false);
    expect(after.length).toBe(before.length - 36);
    expect(JSON.stringify(after)).not.toContain(target);
    const storedAfter = await db.query<{ n: string }>(
      'SELECT stored_rows::text AS n FROM tenants WHERE id = $1',
      [device.tenantId],
    );
    expect(Number(storedBefore.rows[0]?.n) - Number(storedAfter.rows[0]?.n)).toBe(46);
    // Another reader is untouched.
    expect((await rowsOf(device.tenantId, pseudonym('erase-reader-1'))).interactions).toBe(10);

    // Idempotent: erasing again (nothing stored) is the same answer.
    const again = await erase(device.deviceToken, target);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ pseudonym: target, erased: true });
  });

  it('refuses other devices (403), bad or revoked tokens (401) and malformed pseudonyms (400)', async () => {
    const owner = await enrolledDevice(db, server.url, 'Owner school');
    const taken = pseudonym('owned-0');
    expect(
      (await push(server.url, owner.deviceToken, makeEvents(4, { prefix: 'owned', readers: 1 }))).status,
    ).toBe(200);
    const enrolled = await fetch(`${server.url}/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: owner.code }),
    });
    const intruder = (await enrolled.json()) as EnrollResponse;
    const refused = await erase(intruder.deviceToken, taken);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'forbidden', message: /another device/ });
    expect((await rowsOf(owner.tenantId, taken)).interactions).toBe(4);

    expect((await erase('lds_not-a-real-token-at-all', taken)).status).toBe(401);
    expect((await erase(owner.deviceToken, 'Alice')).status).toBe(400);
    const context = { db, archiveDir, nightly: () => runServerNightly(db, archiveDir) };
    await runAdmin(context, 'devices revoke', { device: intruder.deviceId });
    const revoked = await erase(intruder.deviceToken, pseudonym('never-pushed'));
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ message: /revoked/ });

    // The administrator can erase any pseudonym, in every tenant.
    expect(await runAdmin(context, 'erase', { pseudonym: taken })).toMatchObject({ erased: true, rows: 4 });
    expect((await rowsOf(owner.tenantId, taken)).interactions).toBe(0);
  });
});
