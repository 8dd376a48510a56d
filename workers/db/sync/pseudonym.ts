/**
 * The pseudonyms sent to the sync server: HMAC-SHA256 of a reader's random `pseudonym` uuid under a
 * 32-byte device key kept in `sync_state`. Without the key the server cannot link a hash to the uuid,
 * and rotating a reader's pseudonym unlinks their past uploads.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Sql } from '../context';

/** The device key, created on first use. */
export async function deviceKey(sql: Sql): Promise<Buffer> {
  const existing = await sql.query<{ device_key: Uint8Array }>('SELECT device_key FROM sync_state');
  const key = existing.rows[0]?.device_key;
  if (key) return Buffer.from(key);
  await sql.query('INSERT INTO sync_state (device_key) VALUES ($1) ON CONFLICT (id) DO NOTHING', [
    randomBytes(32),
  ]);
  const created = await sql.query<{ device_key: Uint8Array }>('SELECT device_key FROM sync_state');
  return Buffer.from(created.rows[0]?.device_key ?? new Uint8Array());
}

/** The keyed hash of one pseudonym (64 lowercase hex digits). */
export function hashPseudonym(key: Buffer, pseudonym: string): string {
  return createHmac('sha256', key).update(pseudonym.toLowerCase()).digest('hex');
}
