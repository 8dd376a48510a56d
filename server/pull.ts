/** What devices pull: the tenant's newest batch lists and its popular books by grade band. */
import type { PopularResponse, RecommendationsResponse, SyncRecommendedBook } from '../shared/sync/protocol';
import type { Queryable } from './db';

/** Splits a book key back into what the device sent. */
function fromKey(key: string): { bookId: string | null; isbn13: string | null } {
  if (key.startsWith('isbn:')) return { bookId: null, isbn13: key.slice(5) };
  return { bookId: key.startsWith('id:') ? key.slice(3) : null, isbn13: null };
}

/** The newest version's lists when newer than `since`. */
export async function recommendationsSince(
  db: Queryable,
  tenantId: string,
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
    `SELECT reader, book_key, rank, score FROM batch_recs
      WHERE tenant_id = $1 AND version = $2 ORDER BY reader, rank`,
    [tenantId, head.version],
  );
  const readers = new Map<string, SyncRecommendedBook[]>();
  for (const row of rows.rows) {
    const list = readers.get(row.reader) ?? [];
    list.push({ ...fromKey(row.book_key), rank: row.rank, score: row.score });
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
    books: rows.rows.map((row) => ({ ...fromKey(row.book_key), readers: row.readers, score: row.score })),
  };
}
