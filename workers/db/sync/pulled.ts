/**
 * Storing pulled batch lists in `batch_recs`, the table the serving chain's "batch" source reads. The
 * server knows readers only by keyed hash, so the device hashes its own readers' pseudonyms to find
 * whose list is whose; books come back as the ISBN-13 or work key the device sent. A reader's old list
 * is replaced as a whole, in one transaction. (The device's own nightly job keeps these rows and
 * writes local ALS lists only for readers the server has none for.)
 */
import type { PGlite } from '@electric-sql/pglite';
import type { RecommendationsResponse } from '../../../shared/sync/protocol';
import type { SyncPullReport } from '../../../shared/sync/status';
import type { Sql } from '../sql';
import { WORK_KEY_SQL, deviceKey, hashPseudonym } from './pseudonym';

/**
 * The pulled version whose lists are in `batch_recs`: 0 once none of them is left (a restored backup
 * or readers removed), so the next pull asks for the whole current version again.
 */
export async function effectivePulledVersion(sql: Sql): Promise<number> {
  const rows = await sql.query<{ version: number }>(
    `SELECT CASE WHEN EXISTS (SELECT 1 FROM batch_recs WHERE model_version LIKE 'sync:%') THEN pulled_version ELSE 0 END
            AS version FROM sync_state`,
  );
  return rows.rows[0]?.version ?? 0;
}

/** Stores a pull's lists; returns what was stored and the local readers touched. */
export async function storePulled(
  db: PGlite,
  response: RecommendationsResponse,
): Promise<SyncPullReport & { readerIds: string[] }> {
  return db.transaction(async (tx) => {
    const previous = await effectivePulledVersion(tx);
    if (response.readers.length === 0 || response.version <= previous)
      return {
        version: response.version,
        unchanged: true,
        readers: 0,
        stored: 0,
        skipped: 0,
        readerIds: [],
      };
    const key = await deviceKey(tx);
    const readers = await tx.query<{ id: string; pseudonym: string }>(
      'SELECT id::text, pseudonym::text FROM readers',
    );
    const byHash = new Map(readers.rows.map((row) => [hashPseudonym(key, row.pseudonym), row.id]));
    const isbns = response.readers.flatMap((entry) => entry.books.map((book) => book.isbn13)).filter(Boolean);
    const works = response.readers.flatMap((entry) => entry.books.map((book) => book.work)).filter(Boolean);
    const books = await tx.query<{ id: string; isbn13: string | null; work: string | null }>(
      `SELECT id::text, isbn13, work FROM (
         SELECT id, isbn13, CASE WHEN isbn13 IS NULL AND match_key IS NOT NULL THEN ${WORK_KEY_SQL('match_key')} END AS work
           FROM books) b
        WHERE isbn13 = ANY($1::text[]) OR work = ANY($2::text[])`,
      [isbns, works],
    );
    const byIsbn = new Map(
      books.rows.filter((row) => row.isbn13).map((row) => [row.isbn13 as string, row.id]),
    );
    const byWork = new Map(books.rows.filter((row) => row.work).map((row) => [row.work as string, row.id]));
    const rows = {
      readers: [] as string[],
      books: [] as string[],
      ranks: [] as number[],
      scores: [] as number[],
    };
    const touched = new Set<string>();
    let skipped = 0;
    for (const entry of response.readers) {
      const readerId = byHash.get(entry.reader);
      if (!readerId) continue;
      touched.add(readerId);
      let rank = 0;
      const seen = new Set<string>();
      for (const book of entry.books) {
        const bookId = book.isbn13 ? byIsbn.get(book.isbn13) : book.work ? byWork.get(book.work) : undefined;
        if (!bookId || seen.has(bookId)) {
          skipped += 1;
          continue;
        }
        seen.add(bookId);
        rows.readers.push(readerId);
        rows.books.push(bookId);
        rows.ranks.push((rank += 1));
        rows.scores.push(book.score);
      }
    }
    const readerIds = [...touched];
    await tx.query('DELETE FROM batch_recs WHERE reader_id = ANY($1::uuid[])', [readerIds]);
    await tx.query(
      `INSERT INTO batch_recs (reader_id, book_id, rank, score, model_version)
       SELECT x.r, x.b, x.k, x.s, $5 FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::real[]) AS x(r, b, k, s)`,
      [rows.readers, rows.books, rows.ranks, rows.scores, `sync:v${response.version}`],
    );
    await tx.query('UPDATE sync_state SET pulled_version = $1, last_pull_at = now(), last_error = NULL', [
      response.version,
    ]);
    return {
      version: response.version,
      unchanged: false,
      readers: readerIds.length,
      stored: rows.books.length,
      skipped,
      readerIds,
    };
  });
}
