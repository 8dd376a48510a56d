/**
 * `npm run server` on a fresh machine: no DATABASE_URL, so the server runs on embedded PGlite in
 * LUMIN_SERVER_DATA; the tenant CLI prints an enrolment code a device can use. The embedded database
 * has one writer: while the server runs, admin commands go through its loopback admin endpoint, and
 * a second server or a command that cannot reach it is refused.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { cleanupDirs, tempDir } from '../support/core';
import { type ServerChild, makeEvents, serverCli, startServerChild } from '../support/sync-server';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../server/index.ts', import.meta.url));
let child: ServerChild | null = null;
afterAll(async () => {
  if (child) {
    child.process.kill('SIGTERM');
    await child.exited;
  }
  cleanupDirs();
});

describe('sync server on embedded PGlite', () => {
  // PGlite's initdb and two tsx processes take seconds each on a busy machine.
  it(
    'creates a tenant from the CLI, enrols, takes a push and answers health and unknown routes',
    { timeout: 180_000 },
    async () => {
      const data = tempDir('lumin-server-');
      const env = { ...process.env, DATABASE_URL: '', LUMIN_SERVER_DATA: data };
      const added = await run(
        process.execPath,
        ['--import', 'tsx', script, 'tenant', 'add', 'Room', '4', '--json'],
        { env },
      );
      const tenant = JSON.parse(added.stdout) as { id: string; name: string; code: string };
      expect(tenant.name).toBe('Room 4');
      expect(tenant.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

      child = await startServerChild('', 0, '', { LUMIN_SERVER_DATA: data, LUMIN_SERVER_SCHEMA: '' });
      const health = await fetch(`${child.url}/v1/health`);
      expect(await health.json()).toEqual({ ok: true, protocol: SYNC_PROTOCOL_VERSION });
      const missing = await fetch(`${child.url}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ name: 'LuminError', code: 'not_found' });

      const enrol = await fetch(`${child.url}/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: tenant.code, deviceName: 'Front desk' }),
      });
      expect(enrol.status).toBe(201);
      const { deviceToken, tenantId } = (await enrol.json()) as { deviceToken: string; tenantId: string };
      expect(tenantId).toBe(tenant.id);
      const events = makeEvents(20);
      const pushed = await fetch(`${child.url}/v1/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${deviceToken}` },
        body: JSON.stringify({ events }),
      });
      expect(await pushed.json()).toMatchObject({ accepted: 20, duplicates: 0 });

      // While it serves, an admin command goes through the server (one writer), and its result is real.
      const cli = { LUMIN_SERVER_DATA: data, DATABASE_URL: '' };
      const devices = await serverCli(['devices', 'list', '--tenant', tenant.id, '--json'], cli);
      expect(devices.code).toBe(0);
      expect(JSON.parse(devices.stdout)).toEqual([
        expect.objectContaining({ name: 'Front desk', revoked: false, enrolledAt: expect.any(String) }),
      ]);
      const second = await serverCli(['tenant', 'add', 'Room 5', '--json'], cli);
      expect(second.code).toBe(0);
      const room5 = JSON.parse(second.stdout) as { id: string; code: string };
      const enrolled = await fetch(`${child.url}/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: room5.code }),
      });
      expect(enrolled.status).toBe(201);
      // A second server on the same folder is refused, naming the holder.
      const twice = await serverCli(['serve'], { ...cli, PORT: '0' });
      expect(twice.code).not.toBe(0);
      expect(twice.stderr).toMatch(/in use by process \d+/);
      // Without the admin endpoint's file the command cannot reach it: it refuses and writes nothing.
      const endpoint = join(data, 'admin.json');
      const saved = readFileSync(endpoint);
      rmSync(endpoint);
      const refused = await serverCli(['tenant', 'add', 'Room 6'], cli);
      expect(refused.code).toBe(5);
      expect(refused.stderr).toMatch(/in use by process \d+.*admin endpoint/);
      writeFileSync(endpoint, saved);
      const list = await serverCli(['tenant', 'list', '--json'], cli);
      expect((JSON.parse(list.stdout) as { name: string }[]).map((row) => row.name)).toEqual([
        'Room 4',
        'Room 5',
      ]);
    },
  );
});
