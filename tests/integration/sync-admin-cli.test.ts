/**
 * `npm run server -- …` admin subcommands as processes against the real PostgreSQL: each prints
 * JSON with `--json`, names what is wrong on bad input (exit 2 bad input, 3 not found), and a failed
 * command writes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { ServerDb } from '../../server/db';
import type { RunningServer } from '../../server/index';
import { tempDir } from '../support/core';
import {
  TEST_DATABASE_URL,
  makeEvents,
  pseudonym,
  push,
  serverCli,
  syncServerFile,
} from '../support/sync-server';

let db: ServerDb;
let schema: string;
let server: RunningServer;
const archiveDir = tempDir('lumin-admin-archive-');

syncServerFile({ archiveDir }, (opened) => ({ db, schema, server } = opened));

const cli = (...args: string[]) =>
  serverCli(args, {
    DATABASE_URL: TEST_DATABASE_URL,
    LUMIN_SERVER_SCHEMA: schema,
    LUMIN_SERVER_ARCHIVE: archiveDir,
    LUMIN_SERVER_DATA: tempDir('lumin-admin-data-'),
  });

async function count(sql: string): Promise<number> {
  return (await db.query<{ n: number }>(sql)).rows[0]?.n ?? 0;
}

describe('admin CLI', () => {
  it('manages tenants, codes and devices with --json and clear errors', { timeout: 300_000 }, async () => {
    const added = await cli('tenant', 'add', 'Room', '9', '--uses', '2', '--expires', '12h', '--json');
    expect(added.code).toBe(0);
    const tenant = JSON.parse(added.stdout) as {
      id: string;
      name: string;
      code: string;
      uses: number;
      expiresAt: string;
    };
    expect(tenant).toMatchObject({ name: 'Room 9', uses: 2, code: expect.stringMatching(/^[A-Z2-9]{4}-/) });
    expect(Date.parse(tenant.expiresAt) - Date.now()).toBeGreaterThan(11 * 3_600_000);

    const listed = JSON.parse((await cli('tenant', 'list', '--json')).stdout) as {
      id: string;
      name: string;
    }[];
    expect(listed).toEqual([expect.objectContaining({ id: tenant.id, name: 'Room 9', devices: 0 })]);

    const code = JSON.parse(
      (await cli('codes', 'add', '--tenant', tenant.id, '--uses', '5', '--expires', '7d', '--json')).stdout,
    ) as {
      code: string;
      uses: number;
      expiresAt: string;
    };
    expect(code).toMatchObject({ uses: 5, expiresAt: expect.any(String) });
    const enrolled = await fetch(`${server.url}/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code.code, deviceName: 'Library desk' }),
    });
    const device = (await enrolled.json()) as { deviceToken: string; deviceId: string };
    const codes = JSON.parse((await cli('codes', 'list', '--tenant', tenant.id, '--json')).stdout) as {
      id: string;
      used: number;
    }[];
    expect(codes.map((row) => row.used)).toEqual([0, 1]);

    const devices = JSON.parse(
      (await cli('devices', 'list', '--tenant', tenant.id, '--json')).stdout,
    ) as unknown[];
    expect(devices).toEqual([
      {
        id: device.deviceId,
        name: 'Library desk',
        enrolledAt: expect.any(String),
        lastSeenAt: null,
        revoked: false,
      },
    ]);
    expect(
      (await push(server.url, device.deviceToken, makeEvents(4, { prefix: 'cli', readers: 1 }))).status,
    ).toBe(200);

    const erased = await cli('erase', pseudonym('cli-0'), '--json');
    expect(erased.code).toBe(0);
    expect(JSON.parse(erased.stdout)).toMatchObject({ pseudonym: pseudonym('cli-0'), erased: true, rows: 4 });

    const revoked = await cli('devices', 'revoke', device.deviceId, '--json');
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: device.deviceId, revoked: true });
    expect((await push(server.url, device.deviceToken, makeEvents(1))).status).toBe(401);

    const nightly = await cli('nightly', '--json');
    expect(nightly.code).toBe(0);
    expect(JSON.parse(nightly.stdout)).toMatchObject({ ran: true });

    // Bad input: each names what is wrong, and nothing is written.
    const codesBefore = await count('SELECT count(*)::int AS n FROM enrol_codes');
    const tenantsBefore = await count('SELECT count(*)::int AS n FROM tenants');
    const unknown = await cli('codes', 'add', '--tenant', '00000000-0000-4000-8000-000000000000', '--json');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/--tenant: no tenant 00000000-0000-4000-8000-000000000000/);
    const badUses = await cli('tenant', 'add', 'Room 10', '--uses', '0');
    expect(badUses.code).toBe(2);
    expect(badUses.stderr).toMatch(/--uses: '0' must be a whole number/);
    const badExpiry = await cli('codes', 'add', '--tenant', tenant.id, '--expires', 'soon');
    expect(badExpiry.code).toBe(2);
    expect(badExpiry.stderr).toMatch(/--expires: 'soon' is not a duration/);
    const again = await cli('devices', 'revoke', device.deviceId);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already revoked on \d{4}-/);
    await db.query("UPDATE enrol_codes SET expires_at = now() - interval '1 hour' WHERE tenant_id = $1", [
      tenant.id,
    ]);
    const expired = await cli('codes', 'revoke', tenant.code);
    expect(expired.code).toBe(2);
    expect(expired.stderr).toMatch(/expired on \d{4}-.*nothing to revoke/);
    const missing = await cli('devices', 'list');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--tenant <id>'/);
    const badPseudonym = await cli('erase', 'Alice');
    expect(badPseudonym.code).toBe(2);
    expect(badPseudonym.stderr).toMatch(/64 hex digits/);
    expect(await count('SELECT count(*)::int AS n FROM enrol_codes')).toBe(codesBefore);
    expect(await count('SELECT count(*)::int AS n FROM tenants')).toBe(tenantsBefore);
  });
});
