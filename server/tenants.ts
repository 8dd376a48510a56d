/**
 * Tenants (a school or a class), their enrolment codes and enrolment: an administrator creates a
 * tenant (with a first code) and hands the code to teachers; a device trades a code for a device
 * token. Codes expire and have a number of uses. Only hashes of codes and tokens are kept.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hashSecret, newToken } from './auth';
import type { Queryable, ServerDb } from './db';
import { SyncHttpError } from './errors';
import type { EnrollResponse } from '../shared/sync/protocol';

/** Code alphabet without look-alikes (0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A new code's defaults: a week, 30 devices. */
export const DEFAULT_CODE = { uses: 30, expiresInMs: 7 * 86_400_000 } as const;

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

/** How long and how often a new code works. */
export interface CodeLimits {
  uses: number;
  expiresInMs: number;
}

/** A created tenant with its first enrolment code (only ever shown once). */
export interface CreatedTenant {
  tenantId: string;
  name: string;
  code: string;
  uses: number;
  expiresAt: string;
}

/** Creates a tenant and its first enrolment code in one statement (both or neither). */
export async function createTenant(
  db: Queryable,
  name: string,
  limits: CodeLimits = DEFAULT_CODE,
): Promise<CreatedTenant> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 120)
    throw new RangeError('tenant name: must be 1 to 120 characters');
  const tenantId = randomUUID();
  const code = newEnrolCode();
  const expiresAt = new Date(Date.now() + limits.expiresInMs);
  await db.query(
    `WITH t AS (INSERT INTO tenants (id, name) VALUES ($1, $2) RETURNING id)
     INSERT INTO enrol_codes (id, tenant_id, code_hash, uses, expires_at) SELECT $3, id, $4, $5, $6 FROM t`,
    [tenantId, trimmed, randomUUID(), hashSecret(normaliseCode(code)), limits.uses, expiresAt],
  );
  return { tenantId, name: trimmed, code, uses: limits.uses, expiresAt: expiresAt.toISOString() };
}

/** A new code of an existing tenant; null when there is no such tenant. */
export async function addCode(
  db: Queryable,
  tenantId: string,
  limits: CodeLimits,
): Promise<{ id: string; code: string; uses: number; expiresAt: string } | null> {
  const id = randomUUID();
  const code = newEnrolCode();
  const expiresAt = new Date(Date.now() + limits.expiresInMs);
  const inserted = await db.query(
    `INSERT INTO enrol_codes (id, tenant_id, code_hash, uses, expires_at)
     SELECT $1, id, $3, $4, $5 FROM tenants WHERE id = $2`,
    [id, tenantId, hashSecret(normaliseCode(code)), limits.uses, expiresAt],
  );
  if (inserted.rowCount === 0) return null;
  return { id, code, uses: limits.uses, expiresAt: expiresAt.toISOString() };
}

/** Lists tenants with device and stored-row counts. */
export async function listTenants(
  db: Queryable,
): Promise<{ id: string; name: string; devices: number; storedRows: number; createdAt: string }[]> {
  const rows = await db.query<{ id: string; name: string; devices: number; stored: string; created: Date }>(
    `SELECT t.id::text, t.name, t.stored_rows::text AS stored, t.created_at AS created,
            (SELECT count(*)::int FROM devices d WHERE d.tenant_id = t.id AND d.revoked_at IS NULL) AS devices
       FROM tenants t ORDER BY t.created_at, t.id`,
  );
  return rows.rows.map((row) => ({
    id: row.id,
    name: row.name,
    devices: row.devices,
    storedRows: Number(row.stored),
    createdAt: new Date(row.created).toISOString(),
  }));
}

/** Why a code cannot enrol, in words a teacher can act on. */
async function refusal(db: Queryable, hash: string): Promise<string> {
  const rows = await db.query<{ revoked_at: Date | null; expires_at: Date; used: number; uses: number }>(
    'SELECT revoked_at, expires_at, used, uses FROM enrol_codes WHERE code_hash = $1',
    [hash],
  );
  const row = rows.rows[0];
  if (!row) return 'unknown enrolment code';
  if (row.revoked_at) return 'this enrolment code was revoked; ask for a new one';
  if (row.used >= row.uses)
    return `this enrolment code was used ${row.uses} times already; ask for a new one`;
  return `this enrolment code expired on ${new Date(row.expires_at).toISOString()}; ask for a new one`;
}

/**
 * Enrols a device with `code` (403 naming why a code does not work). With `previousToken`, the device
 * that held it (same tenant) hands its pseudonyms to the new device and is revoked: an explicit move.
 */
export async function enrolDevice(
  db: ServerDb,
  code: string,
  deviceName: string | undefined,
  previousToken?: string,
): Promise<EnrollResponse> {
  const hash = hashSecret(normaliseCode(code));
  const deviceToken = newToken();
  const deviceId = randomUUID();
  const tenantId = await db.transaction(async (tx) => {
    const claimed = await tx.query<{ tenant_id: string }>(
      `UPDATE enrol_codes SET used = used + 1
        WHERE code_hash = $1 AND revoked_at IS NULL AND expires_at > now() AND used < uses
        RETURNING tenant_id::text`,
      [hash],
    );
    const tenant = claimed.rows[0]?.tenant_id;
    if (!tenant) return null;
    await tx.query('INSERT INTO devices (id, tenant_id, token_hash, name) VALUES ($1, $2, $3, $4)', [
      deviceId,
      tenant,
      hashSecret(deviceToken),
      deviceName ?? null,
    ]);
    if (previousToken) {
      const previous = hashSecret(previousToken);
      const moved = await tx.query<{ id: string }>(
        `UPDATE devices SET revoked_at = coalesce(revoked_at, now())
          WHERE tenant_id = $1 AND id <> $2 AND (token_hash = $3 OR next_token_hash = $3) RETURNING id::text`,
        [tenant, deviceId, previous],
      );
      const old = moved.rows[0]?.id;
      if (old)
        await tx.query('UPDATE reader_devices SET device_id = $1 WHERE device_id = $2', [deviceId, old]);
    }
    return tenant;
  });
  if (!tenantId) throw new SyncHttpError('forbidden', await refusal(db, hash), { field: 'code' });
  return { deviceToken, tenantId, deviceId };
}
