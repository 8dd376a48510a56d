/**
 * Storing a pushed batch: one statement, one round trip. Events are idempotent by (tenant, event id):
 * `ON CONFLICT DO NOTHING` skips what the hot table has, and `archived_ids` what already moved to
 * Parquet, so the same batch sent twice (a retry after a lost answer) is stored once.
 */
import type { SyncEvent } from '../shared/sync/protocol';
import type { Queryable } from './db';

const INSERT_SQL = `INSERT INTO interactions
    (tenant_id, id, reader, book_id, isbn13, type, value, grade, occurred_at, device_id)
  SELECT $1, x.id, x.reader, x.book_id, x.isbn13, x.type, x.value, x.grade, x.occurred_at, $2
    FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::real[], $9::smallint[],
                $10::timestamptz[]) AS x(id, reader, book_id, isbn13, type, value, grade, occurred_at)
   WHERE NOT EXISTS (SELECT 1 FROM archived_ids a WHERE a.tenant_id = $1 AND a.id = x.id)
  ON CONFLICT (tenant_id, id) DO NOTHING
  RETURNING seq`;

/** What one push stored. */
export interface PushOutcome {
  accepted: number;
  duplicates: number;
  cursor: string;
}

/** Stores `events` for the tenant; `deviceId` records which device sent them. */
export async function storeEvents(
  db: Queryable,
  tenantId: string,
  deviceId: string,
  events: readonly SyncEvent[],
): Promise<PushOutcome> {
  const result = await db.query<{ seq: string }>(INSERT_SQL, [
    tenantId,
    deviceId,
    events.map((event) => event.id),
    events.map((event) => event.reader),
    events.map((event) => event.book.id ?? null),
    events.map((event) => event.book.isbn13 ?? null),
    events.map((event) => event.type),
    events.map((event) => event.value ?? null),
    events.map((event) => event.grade ?? null),
    events.map((event) => event.occurredAt),
  ]);
  let cursor = 0n;
  for (const row of result.rows) {
    const seq = BigInt(row.seq);
    if (seq > cursor) cursor = seq;
  }
  if (result.rows.length === 0) {
    const high = await db.query<{ seq: string | null }>(
      'SELECT max(seq)::text AS seq FROM interactions WHERE tenant_id = $1',
      [tenantId],
    );
    cursor = BigInt(high.rows[0]?.seq ?? 0);
  }
  return {
    accepted: result.rows.length,
    duplicates: events.length - result.rows.length,
    cursor: String(cursor),
  };
}
