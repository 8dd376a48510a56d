/**
 * Tenants (a school or a class) and enrolment: an administrator creates a tenant and hands its code
 * to teachers; a device trades the code for a device token. Only hashes of codes and tokens are kept.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hashSecret, newToken } from './auth';
import type { Queryable } from './db';

/** Code alphabet without look-alikes (0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A new enrolment code, `XXXX-XXXX-XXXX` (about 59 bits). */
export function newEnrolCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((byte) => ALPHABET[byte % ALPHABET.length]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((group) => group.join('')).join('-');
}

/** Codes are compared without case, spaces or dashes, the way people type them. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** A created tenant with its (only ever shown once) enrolment code. */
export interface CreatedTenant {
  tenantId: string;
  name: string;
  code: string;
}

/** Creates a tenant and its enrolment code. */
export async function createTenant(db: Queryable, name: string): Promise<CreatedTenant> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 120)
    throw new RangeError('tenant name: must be 1 to 120 characters');
  const tenantId = randomUUID();
  const code = newEnrolCode();
  await db.query('INSERT INTO tenants (id, name, enrol_code_hash) VALUES ($1, $2, $3)', [
    tenantId,
    trimmed,
    hashSecret(normaliseCode(code)),
  ]);
  return { tenantId, name: trimmed, code };
}

/** Lists tenants with device and hot-interaction counts. */
export async function listTenants(
  db: Queryable,
): Promise<{ id: string; name: string; devices: number; interactions: number }[]> {
  const rows = await db.query<{ id: string; name: string; devices: number; interactions: number }>(
    `SELECT t.id::text, t.name,
            (SELECT count(*)::int FROM devices d WHERE d.tenant_id = t.id) AS devices,
            (SELECT count(*)::int FROM interactions i WHERE i.tenant_id = t.id) AS interactions
       FROM tenants t ORDER BY t.created_at`,
  );
  return rows.rows;
}

/** Enrols a device with `code`; null when no tenant has that code. */
export async function enrolDevice(
  db: Queryable,
  code: string,
  deviceName: string | undefined,
): Promise<{ deviceToken: string; tenantId: string; deviceId: string } | null> {
  const tenant = await db.query<{ id: string }>('SELECT id::text FROM tenants WHERE enrol_code_hash = $1', [
    hashSecret(normaliseCode(code)),
  ]);
  const tenantId = tenant.rows[0]?.id;
  if (!tenantId) return null;
  const deviceToken = newToken();
  const deviceId = randomUUID();
  await db.query('INSERT INTO devices (id, tenant_id, token_hash, name) VALUES ($1, $2, $3, $4)', [
    deviceId,
    tenantId,
    hashSecret(deviceToken),
    deviceName ?? null,
  ]);
  return { deviceToken, tenantId, deviceId };
}
