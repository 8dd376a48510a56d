/**
 * What devices pull: the newest batch lists of the device's own pseudonyms (never another device's),
 * and the tenant's popular books by grade band (cells of at least k readers, made by the nightly job).
 */
import {
  bookOfKey,
  type PopularResponse,
  type RecommendationsResponse,
  type SyncRecommendedBook,
} from '../shared/sync/protocol';
import type { Queryable } from './db';

/** The newest version's lists of `deviceId`'s pseudonyms when newer than `since`. */
export async function recommendationsSince(
  db: Queryable,
  tenantId: string,
  deviceId: string,
  since: number,
): Promise<RecommendationsResponse> {
  const newest = await db.query<{ version: number; generated_at: Date }>(
    'SELECT version, generated_at FROM rec_versions WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1',
    [tenantId],
  );
  const head = newest.rows[0];
  if (!head) return { version: 0, generatedAt: null, readers: [] };
  const generatedAt = new Date(head.generated_at).toISOString();
  if (head.version <= since) return { version: head.version, generatedAt, readers: [] };
  const rows = await db.query<{ reader: string; book_key: string; rank: number; score: number }>(
    `SELECT b.reader, b.book_key, b.rank, b.score FROM batch_recs b
       JOIN reader_devices r ON r.tenant_id = b.tenant_id AND r.reader = b.reader AND r.device_id = $3
      WHERE b.tenant_id = $1 AND b.version = $2 ORDER BY b.reader, b.rank`,
    [tenantId, head.version, deviceId],
  );
  const readers = new Map<string, SyncRecommendedBook[]>();
  for (const row of rows.rows) {
    const list = readers.get(row.reader) ?? [];
    list.push({ ...bookOfKey(row.book_key), rank: row.rank, score: row.score });
    readers.set(row.reader, list);
  }
  return {
    version: head.version,
    generatedAt,
    readers: [...readers].map(([reader, books]) => ({ reader, books })),
  };
}

/** Popular books of a band (as of the last nightly run). */
export async function popularBooks(
  db: Queryable,
  tenantId: string,
  band: string,
  limit: number,
): Promise<PopularResponse> {
  const rows = await db.query<{ book_key: string; readers: number; score: number }>(
    `SELECT book_key, readers, score FROM popular WHERE tenant_id = $1 AND band = $2
      ORDER BY score DESC, book_key LIMIT $3`,
    [tenantId, band, limit],
  );
  return {
    band,
    books: rows.rows.map((row) => ({ ...bookOfKey(row.book_key), readers: row.readers, score: row.score })),
  };
}
