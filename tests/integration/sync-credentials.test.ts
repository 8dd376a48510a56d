/**
 * Credentials that end, against the real PostgreSQL: enrolment codes with an expiry and a number of
 * uses, revocable devices (effective at once on every instance: there is no token cache), client-side
 * rotation, explicit re-enrolment that hands pseudonyms over, rate limits taken after authentication
 * per device, failed authentication limited per address, and a bucket store that never resets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../server/admin';
import { RateLimiter } from '../../server/auth';
import type { ServerDb } from '../../server/db';
import type { RunningServer } from '../../server/index';
import { runServerNightly } from '../../server/nightly';
import { addCode, createTenant } from '../../server/tenants';
import type { EnrollResponse, RotateResponse } from '../../shared/sync/protocol';
import { cleanupDirs, tempDir } from '../support/core';
import { dropSchema, enrolledDevice, makeEvents, openTestDb, push, serve } from '../support/sync-server';

let db: ServerDb;
let second: ServerDb;
let schema: string;
let server: RunningServer;
/** A second instance: its own pool and process memory over the same database. */
let other: RunningServer;

beforeAll(async () => {
  ({ db, schema } = await openTestDb());
  ({ db: second } = await openTestDb(schema));
  const limits = {
    rateLimit: { perMinute: 6000, burst: 1000 },
    enrolLimit: { perMinute: 6000, burst: 1000 },
  };
  server = await serve(db, limits);
  other = await serve(second, limits);
});
afterAll(async () => {
  await server?.close();
  await other?.close();
  await db?.close();
  await second?.close();
  if (schema) await dropSchema(schema);
  cleanupDirs();
});

const admin = (command: Parameters<typeof runAdmin>[1], args: Record<string, unknown>) =>
  runAdmin({ db, archiveDir: tempDir(), nightly: () => runServerNightly(db, tempDir()) }, command, args);

async function enrol(url: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function pullStatus(url: string, token: string): Promise<Response> {
  return fetch(`${url}/v1/recommendations`, { headers: { authorization: `Bearer ${token}` } });
}

describe('enrolment codes', () => {
  it('work a number of times until they expire or are revoked, and say which', async () => {
    const tenant = await createTenant(db, 'Codes school', { uses: 2, expiresInMs: 3_600_000 });
    expect((await enrol(server.url, { code: tenant.code })).status).toBe(201);
    expect((await enrol(other.url, { code: tenant.code })).status).toBe(201);
    const used = await enrol(server.url, { code: tenant.code });
    expect(used.status).toBe(403);
    expect(await used.json()).toMatchObject({
      code: 'forbidden',
      message: /used 2 times/,
      details: { field: 'code' },
    });

    const expiring = await addCode(db, tenant.tenantId, { uses: 5, expiresInMs: 60_000 });
    await db.query("UPDATE enrol_codes SET expires_at = now() - interval '1 minute' WHERE id = $1", [
      expiring?.id,
    ]);
    const expired = await enrol(server.url, { code: expiring?.code });
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ message: /expired on \d{4}-/ });

    const revocable = (await admin('codes add', { tenant: tenant.tenantId, uses: 5, expires: '1d' })) as {
      code: string;
    };
    expect(await admin('codes revoke', { code: revocable.code.toLowerCase() })).toMatchObject({
      revoked: true,
    });
    const revoked = await enrol(other.url, { code: revocable.code });
    expect(revoked.status).toBe(403);
    expect(await revoked.json()).toMatchObject({ message: /revoked/ });

    const listed = (await admin('codes list', { tenant: tenant.tenantId })) as {
      uses: number;
      used: number;
      revoked: boolean;
      active: boolean;
    }[];
    expect(
      listed.map(({ uses, used, revoked: gone, active }) => ({ uses, used, revoked: gone, active })),
    ).toEqual([
      { uses: 2, used: 2, revoked: false, active: false },
      { uses: 5, used: 0, revoked: false, active: false },
      { uses: 5, used: 0, revoked: true, active: false },
    ]);
  });
});

describe('device tokens', () => {
  it('a revoked device gets 401 saying so at once, on every instance', async () => {
    const device = await enrolledDevice(db, server.url, 'Revoked school');
    // Both instances have seen the token (a cache would now hold it).
    expect((await push(server.url, device.deviceToken, makeEvents(3, { prefix: 'rev' }))).status).toBe(200);
    expect((await push(other.url, device.deviceToken, makeEvents(3, { prefix: 'rev' }))).status).toBe(200);
    const listed = (await admin('devices list', { tenant: device.tenantId })) as {
      id: string;
      revoked: boolean;
    }[];
    expect(listed).toEqual([expect.objectContaining({ id: device.deviceId, revoked: false })]);
    await admin('devices revoke', { device: device.deviceId });
    for (const url of [server.url, other.url]) {
      const pushed = await push(url, device.deviceToken, makeEvents(3, { prefix: 'rev' }));
      expect(pushed.status).toBe(401);
      expect(await pushed.json()).toMatchObject({
        code: 'unauthenticated',
        message: /revoked/,
        details: { revoked: true },
      });
      const pulled = await pullStatus(url, device.deviceToken);
      expect(pulled.status).toBe(401);
      expect(((await pulled.json()) as { message: string }).message).toMatch(/revoked/);
    }
  });

  it('rotates on request: the old token works until the new one is used, then never again', async () => {
    const device = await enrolledDevice(db, server.url, 'Rotating school');
    const rotated = await fetch(`${server.url}/v1/devices/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${device.deviceToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(rotated.status).toBe(200);
    const { deviceToken } = (await rotated.json()) as RotateResponse;
    expect(deviceToken).not.toBe(device.deviceToken);
    // The answer may have been lost: the old token still works.
    expect((await pullStatus(other.url, device.deviceToken)).status).toBe(200);
    expect((await pullStatus(other.url, deviceToken)).status).toBe(200);
    const old = await pullStatus(server.url, device.deviceToken);
    expect(old.status).toBe(401);
    expect((await pullStatus(server.url, deviceToken)).status).toBe(200);
  });

  it('re-enrolling with the old token moves its pseudonyms to the new device and revokes the old one', async () => {
    const device = await enrolledDevice(db, server.url, 'Moving school');
    const code = (await admin('codes add', { tenant: device.tenantId, uses: 3, expires: '1d' })) as {
      code: string;
    };
    const events = makeEvents(5, { prefix: 'move' });
    expect((await push(server.url, device.deviceToken, events)).status).toBe(200);
    // A plain new device cannot take them.
    const stranger = (await (await enrol(server.url, { code: code.code })).json()) as EnrollResponse;
    expect((await push(server.url, stranger.deviceToken, makeEvents(5, { prefix: 'move' }))).status).toBe(
      403,
    );
    const moved = (await (
      await enrol(other.url, { code: code.code, previousToken: device.deviceToken })
    ).json()) as EnrollResponse;
    expect((await push(server.url, moved.deviceToken, makeEvents(5, { prefix: 'move' }))).status).toBe(200);
    expect((await push(server.url, device.deviceToken, makeEvents(1, { prefix: 'move' }))).status).toBe(401);
  });
});

describe('rate limits', () => {
  it('limits per device after authentication, and failed authentication per address', async () => {
    const limited = await serve(db, {
      rateLimit: { perMinute: 60, burst: 3 },
      failedAuthLimit: { perMinute: 60, burst: 5 },
    });
    try {
      const device = await enrolledDevice(db, server.url, 'Limited school');
      // Random tokens never touch a device's bucket: the device still has its burst after them.
      const statuses: number[] = [];
      for (let index = 0; index < 5; index++)
        statuses.push(
          (await push(limited.url, `lds_random-${index}-${'x'.repeat(20)}`, makeEvents(1))).status,
        );
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      const blocked = await push(limited.url, 'lds_one-more-random-token-here', makeEvents(1));
      expect(blocked.status).toBe(429);
      expect(await blocked.json()).toMatchObject({ message: /failed authentications from this address/ });
      // The valid device is blocked too from that address only while the address is limited; a
      // fresh server (another address bucket) shows its own per-device limit.
      const fresh = await serve(db, { rateLimit: { perMinute: 60, burst: 3 } });
      try {
        const codes: number[] = [];
        for (let index = 0; index < 4; index++)
          codes.push((await push(fresh.url, device.deviceToken, makeEvents(1, { prefix: 'lim' }))).status);
        expect(codes).toEqual([200, 200, 200, 429]);
        // Rotating the token does not reset the device's bucket (it is keyed by the device).
        const rotated = await fetch(`${server.url}/v1/devices/rotate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${device.deviceToken}`, 'content-type': 'application/json' },
          body: '{}',
        });
        const { deviceToken } = (await rotated.json()) as RotateResponse;
        expect((await push(fresh.url, deviceToken, makeEvents(1, { prefix: 'lim' }))).status).toBe(429);
      } finally {
        await fresh.close();
      }
    } finally {
      await limited.close();
    }
  });

  it('never resets the bucket store wholesale', () => {
    const limiter = new RateLimiter({ perMinute: 1, burst: 2 });
    const now = 1_000_000;
    expect([limiter.take('device-x', now), limiter.take('device-x', now)]).toEqual([0, 0]);
    expect(limiter.take('device-x', now)).toBeGreaterThan(0);
    for (let index = 0; index < 60_000; index++) limiter.take(`key-${index}`, now);
    expect(limiter.size).toBeLessThanOrEqual(50_000);
    expect(limiter.take('device-x', now)).toBeGreaterThan(0);
  });
});
