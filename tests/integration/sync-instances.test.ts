/**
 * Two server processes on one PostgreSQL (127.0.0.1:5432): devices push through both (the same
 * batches to each), and whichever instance a request reaches it sees the same revocations and
 * rotations; no event is lost or stored twice; a nightly started on both at once runs once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAdminEndpoint, readAdminEndpoint } from '../../server/admin-http';
import type { ServerDb } from '../../server/db';
import type { NightlyReport } from '../../server/nightly';
import { type EnrollResponse, type RotateResponse, type SyncEvent, dayOf } from '../../shared/sync/protocol';
import { cleanupDirs, tempDir } from '../support/core';
import {
  type ServerChild,
  TEST_DATABASE_URL,
  dropSchema,
  openTestDb,
  pseudonym,
  push,
  serverCli,
  startServerChild,
} from '../support/sync-server';

let db: ServerDb;
let schema: string;
const children: ServerChild[] = [];
const dataDirs = [tempDir('lumin-instance-a-'), tempDir('lumin-instance-b-')];
const archiveDir = tempDir('lumin-instances-archive-');

const env = () => ({
  DATABASE_URL: TEST_DATABASE_URL,
  LUMIN_SERVER_SCHEMA: schema,
  LUMIN_SERVER_ARCHIVE: archiveDir,
});

beforeAll(async () => {
  ({ db, schema } = await openTestDb());
  for (const dataDir of dataDirs)
    children.push(
      await startServerChild(schema, 0, TEST_DATABASE_URL, {
        ...env(),
        LUMIN_SERVER_DATA: dataDir,
        LUMIN_SERVER_LOG: '0',
        LUMIN_SERVER_RATE_LIMIT: '100000/10000',
        LUMIN_SERVER_ENROL_LIMIT: '100000/10000',
      }),
    );
}, 180_000);
afterAll(async () => {
  for (const child of children) {
    child.process.kill('SIGTERM');
    await child.exited;
  }
  await db?.close();
  if (schema) await dropSchema(schema);
  cleanupDirs();
});

function batch(device: number, index: number): SyncEvent[] {
  return Array.from({ length: 500 }, (_, offset) => {
    const n = index * 500 + offset;
    return {
      id: randomUUID(),
      reader: pseudonym(`instances-${device}-${n % 150}`),
      book: { isbn13: `978${String(1_000_000_000 + ((n * 7919 + device) % 2000)).padStart(10, '0')}` },
      type: 'finish' as const,
      value: null,
      band: '6-8' as const,
      day: dayOf(Date.now() - (n % 30) * 86_400_000),
    };
  });
}

describe('two instances on one PostgreSQL', () => {
  it(
    'share devices, revocations and rotations; store each event once; run nightly once',
    { timeout: 300_000 },
    async () => {
      const [a, b] = children as [ServerChild, ServerChild];
      const added = await serverCli(['tenant', 'add', 'Two instances', '--uses', '10', '--json'], env());
      expect(added.code).toBe(0);
      const tenant = JSON.parse(added.stdout) as { id: string; code: string };
      const devices: EnrollResponse[] = [];
      for (let index = 0; index < 4; index++) {
        const response = await fetch(`${(index % 2 ? b : a).url}/v1/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: tenant.code, deviceName: `device-${index}` }),
        });
        expect(response.status).toBe(201);
        devices.push((await response.json()) as EnrollResponse);
      }

      // Every batch goes to both instances at once: one stores it, the other counts duplicates.
      let sent = 0;
      let accepted = 0;
      for (let index = 0; index < 10; index++)
        await Promise.all(
          devices.map(async (device, number) => {
            const events = batch(number, index);
            sent += events.length;
            const answers = await Promise.all(
              [a, b].map((child) => push(child.url, device.deviceToken, events)),
            );
            for (const answer of answers) {
              expect(answer.status).toBe(200);
              accepted += ((await answer.json()) as { accepted: number }).accepted;
            }
          }),
        );
      expect(accepted).toBe(sent);
      const counted = await db.query<{ stored: number; distinct: number }>(
        'SELECT count(*)::int AS stored, count(DISTINCT id)::int AS distinct FROM interactions WHERE tenant_id = $1',
        [tenant.id],
      );
      expect(counted.rows[0]).toEqual({ stored: sent, distinct: sent });

      // A device's readers stay its own on either instance.
      const foreign = await push(b.url, (devices[1] as EnrollResponse).deviceToken, batch(0, 0).slice(0, 5));
      expect(foreign.status).toBe(403);

      // Revoked from the CLI: both instances refuse at once.
      const revoked = devices[0] as EnrollResponse;
      const revoke = await serverCli(['devices', 'revoke', revoked.deviceId, '--json'], env());
      expect(revoke.code).toBe(0);
      for (const child of [a, b]) {
        const refused = await push(child.url, revoked.deviceToken, batch(0, 99));
        expect(refused.status).toBe(401);
        expect(((await refused.json()) as { message: string }).message).toMatch(/revoked/);
      }

      // Rotated on A, the new token works on B and then the old one works nowhere.
      const rotating = devices[2] as EnrollResponse;
      const rotated = await fetch(`${a.url}/v1/devices/rotate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rotating.deviceToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const { deviceToken } = (await rotated.json()) as RotateResponse;
      expect((await push(b.url, deviceToken, batch(2, 50))).status).toBe(200);
      for (const child of [a, b])
        expect((await push(child.url, rotating.deviceToken, batch(2, 51))).status).toBe(401);

      // Nightly asked of both instances at the same moment: one runs it, the other is told it is taken.
      const endpoints = dataDirs.map((dir) => readAdminEndpoint(dir));
      const reports = (await Promise.all(
        endpoints.map((endpoint) =>
          callAdminEndpoint(endpoint as NonNullable<typeof endpoint>, 'nightly', {}),
        ),
      )) as NightlyReport[];
      expect(reports.map((report) => report.ran).sort()).toEqual([false, true]);
      const versions = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM rec_versions WHERE tenant_id = $1',
        [tenant.id],
      );
      expect(versions.rows[0]?.n).toBe(1);
    },
  );
});
