/**
 * The outbox: `interactions.log` (and so `recommend.feedback`) and the import commit add a row in the
 * same transaction as the interaction, only while `sync.enabled` is on. Claiming turns rows into
 * protocol events with the least that works: the reader's pseudonym becomes its keyed hash, the book
 * its ISBN-13 (or, without one, a work key from its normalised title and author), the grade a band,
 * the time a day, and the local row id a keyed hash. Nothing else leaves: no name, no note, no title,
 * no local id. Events older than the server's window (400 days) are dropped unsent.
 */
import { dayInRange, dayOf, gradeBand, type SyncEvent } from '../../../shared/sync/protocol';
import type { Sql } from '../sql';
import { deviceKey, hashPseudonym, syncEventId, workKey } from './pseudonym';

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

/** The event of one outbox row, or null when it cannot or must not be sent. */
function toEvent(
  key: Buffer,
  row: { payload: OutboxPayload; grade: number | null; isbn13: string | null; match_key: string | null },
  now: number,
): SyncEvent | null {
  const { payload } = row;
  if (!payload.reader) return null;
  const isbn13 = row.isbn13 ?? payload.isbn13;
  const book = isbn13 ? { isbn13 } : row.match_key ? { work: workKey(row.match_key) } : null;
  const day = dayOf(payload.occurredAt);
  if (!book || !dayInRange(day, now)) return null;
  const reader = hashPseudonym(key, payload.reader);
  return {
    id: syncEventId(key, reader, payload.id),
    reader,
    book,
    type: payload.type,
    value: payload.value,
    band: gradeBand(row.grade),
    day,
  };
}

/**
 * The oldest `limit` pending interactions as events. Rows that cannot or must not be sent (their
 * reader deleted or left out of sync since, their book deleted, a book with neither ISBN-13 nor
 * title, a day outside the server's window) are dropped. Erase requests (kind `erase`) wait apart:
 * see erase-requests.ts.
 */
export async function claimBatch(sql: Sql, limit: number): Promise<ClaimedBatch> {
  const rows = await sql.query<{
    id: string;
    payload: OutboxPayload;
    grade: number | null;
    known: boolean;
    isbn13: string | null;
    match_key: string | null;
  }>(
    `SELECT o.id::text, o.payload, r.grade, (r.id IS NOT NULL AND r.sync) AS known, b.isbn13, b.match_key
       FROM sync_outbox o LEFT JOIN readers r ON r.pseudonym::text = o.payload->>'reader'
       LEFT JOIN books b ON b.id = (o.payload->>'book')::uuid
      WHERE o.sent_at IS NULL AND o.kind = 'interaction' ORDER BY o.id LIMIT $1`,
    [limit],
  );
  const key = await deviceKey(sql);
  const now = Date.now();
  const batch: ClaimedBatch = { ids: [], events: [] };
  const gone: number[] = [];
  for (const row of rows.rows) {
    const event = row.known ? toEvent(key, row, now) : null;
    if (event) {
      batch.ids.push(Number(row.id));
      batch.events.push(event);
    } else gone.push(Number(row.id));
  }
  if (gone.length > 0) await sql.query('DELETE FROM sync_outbox WHERE id = ANY($1::bigint[])', [gone]);
  // Only dropped rows: the caller claims again rather than reading an empty batch as "done".
  if (batch.events.length === 0 && gone.length > 0) return claimBatch(sql, limit);
  return batch;
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
