/**
 * The pseudonyms sent to the sync server: HMAC-SHA256 of a reader's random `pseudonym` uuid under a
 * 32-byte device key kept in `sync_state`. Without the key the server cannot link a hash to the uuid,
 * and rotating a reader's pseudonym unlinks their past uploads.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Sql } from '../sql';

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

/**
 * The id an event carries to the server: a keyed hash of the reader's keyed hash and the local
 * interaction id, laid out as a uuid. The same event always gets the same id (a retry is a duplicate),
 * the device's own row id never leaves, and a rotated pseudonym gives its events new ids.
 */
export function syncEventId(key: Buffer, reader: string, localId: string): string {
  const hex = createHmac('sha256', key).update(`event:${reader}:${localId.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex[16] ?? '0', 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The work key of a book without an ISBN-13: `w` + 32 hex digits of SHA-256 of its match key. */
export function workKey(matchKey: string): string {
  return `w${createHash('sha256').update(matchKey).digest('hex').slice(0, 32)}`;
}

/** The same work key computed in SQL over a `match_key` column (for finding pulled books). */
export const WORK_KEY_SQL = (column: string) =>
  `'w' || left(encode(sha256(convert_to(${column}, 'UTF8')), 'hex'), 32)`;
