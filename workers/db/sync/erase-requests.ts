/**
 * Erase requests in the outbox (kind `erase`, payload `{reader: <keyed hash>}`): queued when a reader
 * is erased or their pseudonym rotated while this device syncs, and sent by the host's sync client as
 * `DELETE /v1/readers/:hash`. They wait apart from interactions (never claimed as events) and stay
 * until the server confirms, so a server that does not support erasure yet (404) keeps them queued.
 * The hash is stored, not the pseudonym: the reader row it came from is gone.
 */
import type { Sql } from '../sql';
import { deviceKey, hashPseudonym } from './pseudonym';

/** One waiting erase request. */
export interface EraseRequest {
  id: number;
  /** The keyed hash the server knows the reader by. */
  reader: string;
}

/** True when this device syncs or ever enrolled (then the server may hold the reader's events). */
export async function syncInUse(sql: Sql): Promise<boolean> {
  const rows = await sql.query<{ used: boolean }>(
    `SELECT coalesce((SELECT value FROM settings WHERE key = 'sync.enabled'), 'false'::jsonb) = 'true'::jsonb
            OR EXISTS (SELECT 1 FROM sync_state WHERE tenant_id IS NOT NULL) AS used`,
  );
  return rows.rows[0]?.used ?? false;
}

/**
 * Queues an erase of `pseudonym` (a reader's uuid) when sync is in use; returns whether it did. One
 * request per hash: queuing it again changes nothing.
 */
export async function queueErase(sql: Sql, pseudonym: string): Promise<boolean> {
  if (!(await syncInUse(sql))) return false;
  const reader = hashPseudonym(await deviceKey(sql), pseudonym);
  await sql.query(
    `INSERT INTO sync_outbox (kind, payload) SELECT 'erase', jsonb_build_object('reader', $1::text)
      WHERE NOT EXISTS (SELECT 1 FROM sync_outbox WHERE kind = 'erase' AND payload->>'reader' = $1)`,
    [reader],
  );
  return true;
}

/** The waiting erase requests, oldest first. */
export async function pendingErasures(sql: Sql, limit = 100): Promise<EraseRequest[]> {
  const rows = await sql.query<{ id: string; reader: string }>(
    `SELECT id::text, payload->>'reader' AS reader FROM sync_outbox
      WHERE kind = 'erase' AND sent_at IS NULL ORDER BY id LIMIT $1`,
    [limit],
  );
  return rows.rows.map((row) => ({ id: Number(row.id), reader: row.reader }));
}

/** Drops erase requests the server confirmed. */
export async function erasuresDone(sql: Sql, ids: number[]): Promise<void> {
  if (ids.length > 0)
    await sql.query("DELETE FROM sync_outbox WHERE kind = 'erase' AND id = ANY($1::bigint[])", [ids]);
}
