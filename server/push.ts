/**
 * Storing a pushed batch in one transaction. The tenant's row is locked first, so its quotas hold
 * exactly across instances. Each pseudonym is bound to the device that first pushed it: a batch with a
 * pseudonym of another device is refused whole (403). Events are idempotent by (tenant, event id):
 * `ON CONFLICT DO NOTHING` skips what the hot table has, and `archived_ids` what already moved to
 * Parquet, so the same batch sent twice (a retry after a lost answer) is stored once.
 */
import { bookKey, type PushResponse, type SyncEvent } from '../shared/sync/protocol';
import type { ServerDb } from './db';
import { SyncHttpError } from './errors';

const INSERT_SQL = `INSERT INTO interactions (tenant_id, id, reader, book_key, type, value, band, day, device_id)
  SELECT $1, x.id, x.reader, x.book_key, x.type, x.value, x.band, x.day, $2
    FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::real[], $8::text[], $9::date[])
         AS x(id, reader, book_key, type, value, band, day)
   WHERE NOT EXISTS (SELECT 1 FROM archived_ids a WHERE a.tenant_id = $1 AND a.id = x.id)
  ON CONFLICT (tenant_id, id) DO NOTHING
  RETURNING seq`;

/** The server's default per-tenant quotas (a tenant's own columns override them). */
export interface Quotas {
  /** Events accepted per tenant per (UTC) day. */
  eventsPerDay: number;
  /** Events a tenant may have stored (hot and archived). */
  storedRows: number;
}

/** Defaults: far above a district's classes, low enough to stop a runaway device. */
export const DEFAULT_QUOTAS: Quotas = { eventsPerDay: 2_000_000, storedRows: 100_000_000 };

/** What one push stored. */
/** What a push stored: the protocol's answer. */
export type PushOutcome = PushResponse;

function secondsToMidnight(now = Date.now()): number {
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((midnight.getTime() - now) / 1000));
}

/** Stores `events` for the tenant, sent by `deviceId`. */
export async function storeEvents(
  db: ServerDb,
  tenantId: string,
  deviceId: string,
  events: readonly SyncEvent[],
  quotas: Quotas = DEFAULT_QUOTAS,
): Promise<PushOutcome> {
  const readers = [...new Set(events.map((event) => event.reader))];
  return db.transaction(async (tx) => {
    const tenant = await tx.query<{ per_day: number; rows: string; stored: string; today: number }>(
      `SELECT coalesce(t.quota_events_per_day, $2)::int AS per_day, coalesce(t.quota_stored_rows, $3)::text AS rows,
              t.stored_rows::text AS stored,
              coalesce((SELECT events FROM tenant_usage u WHERE u.tenant_id = t.id AND u.day = (now() AT TIME ZONE 'UTC')::date), 0) AS today
         FROM tenants t WHERE t.id = $1 FOR UPDATE`,
      [tenantId, quotas.eventsPerDay, quotas.storedRows],
    );
    const limits = tenant.rows[0];
    if (!limits)
      throw new SyncHttpError('unauthenticated', 'this device has no tenant any more (enrol again)');
    if (limits.today + events.length > limits.per_day)
      throw new SyncHttpError(
        'rate_limited',
        `quota events_per_day: the tenant may store ${limits.per_day} events a day and has ${limits.today} today`,
        { quota: 'events_per_day', limit: limits.per_day, retryAfter: secondsToMidnight() },
      );
    if (Number(limits.stored) + events.length > Number(limits.rows))
      throw new SyncHttpError(
        'rate_limited',
        `quota stored_rows: the tenant may keep ${limits.rows} events and has ${limits.stored}`,
        { quota: 'stored_rows', limit: Number(limits.rows) },
      );
    await tx.query(
      `INSERT INTO reader_devices (tenant_id, reader, device_id)
       SELECT $1, r, $2 FROM unnest($3::text[]) AS r ON CONFLICT (tenant_id, reader) DO NOTHING`,
      [tenantId, deviceId, readers],
    );
    const foreign = await tx.query<{ reader: string }>(
      `SELECT reader FROM reader_devices WHERE tenant_id = $1 AND reader = ANY($3::text[]) AND device_id <> $2
        LIMIT 3`,
      [tenantId, deviceId, readers],
    );
    if (foreign.rows.length > 0)
      throw new SyncHttpError(
        'forbidden',
        'events[].reader: a pseudonym of this batch belongs to another device (move a class by enrolling with the old device token)',
        { field: 'events.reader', count: foreign.rows.length },
      );
    const result = await tx.query<{ seq: string }>(INSERT_SQL, [
      tenantId,
      deviceId,
      events.map((event) => event.id),
      events.map((event) => event.reader),
      events.map((event) => bookKey(event.book)),
      events.map((event) => event.type),
      events.map((event) => event.value ?? null),
      events.map((event) => event.band ?? null),
      events.map((event) => event.day),
    ]);
    const accepted = result.rows.length;
    let cursor = 0n;
    for (const row of result.rows) {
      const seq = BigInt(row.seq);
      if (seq > cursor) cursor = seq;
    }
    if (accepted > 0) {
      await tx.query(
        `INSERT INTO tenant_usage (tenant_id, day, events) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2)
         ON CONFLICT (tenant_id, day) DO UPDATE SET events = tenant_usage.events + excluded.events`,
        [tenantId, accepted],
      );
      await tx.query('UPDATE tenants SET stored_rows = stored_rows + $2 WHERE id = $1', [tenantId, accepted]);
    } else {
      const high = await tx.query<{ seq: string | null }>(
        'SELECT max(seq)::text AS seq FROM interactions WHERE tenant_id = $1',
        [tenantId],
      );
      cursor = BigInt(high.rows[0]?.seq ?? 0);
    }
    return { accepted, duplicates: events.length - accepted, cursor: String(cursor) };
  });
}
