/**
 * The outbox: `interactions.log` (and so `recommend.feedback`) and the import commit add a row in the
 * same transaction as the interaction, only while `sync.enabled` is on. Claiming turns rows into
 * protocol events: the reader's pseudonym becomes its keyed hash, the book its id and ISBN-13, plus
 * the reader's grade (for popular lists by band). Nothing else leaves: no name, no note, no title.
 */
import type { SyncEvent } from '../../../shared/sync/protocol';
import type { Sql } from '../context';
import { deviceKey, hashPseudonym } from './pseudonym';

/**
 * Queues interactions inserted by a statement: append as a CTE over `source` (rows with id, book_id,
 * type, value, occurred_at) and `$reader` (the reader's id parameter). Used by the import commit.
 */
export function outboxFromInserted(source: string, readerParameter: string): string {
  return `INSERT INTO sync_outbox (kind, payload)
    SELECT 'interaction', jsonb_build_object('id', s.id::text, 'reader', r.pseudonym::text, 'isbn13', b.isbn13,
           'book', b.id, 'type', s.type, 'value', s.value, 'occurredAt', s.occurred_at)
      FROM ${source} s JOIN books b ON b.id = s.book_id JOIN readers r ON r.id = ${readerParameter} AND r.sync
     WHERE coalesce((SELECT value FROM settings WHERE key = 'sync.enabled'), 'false'::jsonb) = 'true'::jsonb`;
}

/** Queues every interaction this device has (when sync is turned on by enrolling); returns how many. */
export async function queueAll(sql: Sql): Promise<number> {
  const result = await sql.query(
    `INSERT INTO sync_outbox (kind, payload)
     SELECT 'interaction', jsonb_build_object('id', i.id::text, 'reader', r.pseudonym::text, 'isbn13', b.isbn13,
            'book', b.id, 'type', i.type, 'value', i.value, 'occurredAt', i.occurred_at)
       FROM interactions i JOIN books b ON b.id = i.book_id JOIN readers r ON r.id = i.reader_id AND r.sync
      ORDER BY i.occurred_at, i.id`,
  );
  return result.affectedRows ?? 0;
}

interface OutboxPayload {
  id: string;
  reader: string | null;
  isbn13: string | null;
  book: string;
  type: SyncEvent['type'];
  value: number | null;
  occurredAt: string;
}

/** A claimed batch: outbox ids and their events. */
export interface ClaimedBatch {
  ids: number[];
  events: SyncEvent[];
}

/**
 * The oldest `limit` pending interactions as events (rows of readers deleted or left out of sync since
 * are dropped, unsent). Erase requests (kind `erase`) wait apart: see erase-requests.ts.
 */
export async function claimBatch(sql: Sql, limit: number): Promise<ClaimedBatch> {
  const rows = await sql.query<{ id: string; payload: OutboxPayload; grade: number | null; known: boolean }>(
    `SELECT o.id::text, o.payload, r.grade, (r.id IS NOT NULL AND r.sync) AS known
       FROM sync_outbox o LEFT JOIN readers r ON r.pseudonym::text = o.payload->>'reader'
      WHERE o.sent_at IS NULL AND o.kind = 'interaction' ORDER BY o.id LIMIT $1`,
    [limit],
  );
  const key = await deviceKey(sql);
  const gone = rows.rows.filter((row) => !row.known || !row.payload.reader).map((row) => Number(row.id));
  if (gone.length > 0) await sql.query('DELETE FROM sync_outbox WHERE id = ANY($1::bigint[])', [gone]);
  const kept = rows.rows.filter((row) => row.known && row.payload.reader);
  return {
    ids: kept.map((row) => Number(row.id)),
    events: kept.map(({ payload, grade }) => ({
      id: payload.id,
      reader: hashPseudonym(key, payload.reader as string),
      book: payload.isbn13 ? { id: payload.book, isbn13: payload.isbn13 } : { id: payload.book },
      type: payload.type,
      value: payload.value,
      grade,
      occurredAt: new Date(payload.occurredAt).toISOString(),
    })),
  };
}

/** Removes rows the server has acknowledged. */
export async function ackBatch(sql: Sql, ids: number[]): Promise<void> {
  if (ids.length > 0) await sql.query('DELETE FROM sync_outbox WHERE id = ANY($1::bigint[])', [ids]);
}

/** Pending rows. */
export async function pendingCount(sql: Sql): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM sync_outbox WHERE sent_at IS NULL',
  );
  return rows.rows[0]?.n ?? 0;
}
