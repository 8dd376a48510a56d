/**
 * Decides, row by row, whether a book is new or one Lumin already has: the same ISBN-13 first, else the
 * same normalised title and first author (shared/domain/match-key). Catalog books are looked up a
 * batch at a time; books created by earlier rows of the same file are remembered, so a file that lists
 * a book twice creates it once.
 */
import { randomUUID } from 'node:crypto';
import type { ProposedMerge } from '../../../shared/contract/imports';
import type { Sql } from '../context';

/** A book the matcher knows: in the catalog (`fromRow` null) or created by an earlier row. */
interface Known {
  bookId: string;
  title: string;
  author: string | null;
  fromRow: number | null;
}

/** The matcher's decision for one row. */
export type Decision =
  { action: 'create'; bookId: string } | { action: 'merge'; bookId: string; merge: ProposedMerge };

/** What a row offers for matching. */
export interface Candidate {
  row: number;
  isbn13: string | null;
  matchKey: string | null;
  title: string;
  author: string | null;
}

export class Matcher {
  private readonly byIsbn = new Map<string, Known>();
  private readonly byKey = new Map<string, Known>();

  constructor(private readonly rejected: ReadonlySet<number> = new Set()) {}

  /** Fills in match keys of books written before match keys existed (migration 0002). */
  static async backfill(
    sql: Sql,
    matchKeyOf: (title: string, authors: string[]) => string | null,
  ): Promise<void> {
    for (;;) {
      const missing = await sql.query<{ id: string; title: string; authors: string[] }>(
        'SELECT id, title, authors FROM books WHERE match_key IS NULL LIMIT 5000',
      );
      if (missing.rows.length === 0) return;
      const keys = missing.rows.map((row) => ({ id: row.id, key: matchKeyOf(row.title, row.authors) ?? '' }));
      await sql.query(
        `UPDATE books b SET match_key = x.key FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, key text) WHERE b.id = x.id`,
        [JSON.stringify(keys)],
      );
    }
  }

  /** Looks up, in one query, the catalog books the batch's ISBNs and keys could match. */
  async prefetch(sql: Sql, candidates: Candidate[]): Promise<void> {
    const isbns = [
      ...new Set(
        candidates.flatMap((item) => (item.isbn13 && !this.byIsbn.has(item.isbn13) ? [item.isbn13] : [])),
      ),
    ];
    const keys = [
      ...new Set(
        candidates.flatMap((item) =>
          item.matchKey && !this.byKey.has(item.matchKey) ? [item.matchKey] : [],
        ),
      ),
    ];
    if (isbns.length === 0 && keys.length === 0) return;
    const found = await sql.query<{
      id: string;
      isbn13: string | null;
      match_key: string | null;
      title: string;
      author: string | null;
    }>(
      `SELECT id, isbn13, match_key, title, authors[1] AS author FROM books
        WHERE isbn13 = ANY($1::text[]) OR match_key = ANY($2::text[]) ORDER BY created_at, id`,
      [isbns, keys],
    );
    for (const book of found.rows) {
      const known: Known = { bookId: book.id, title: book.title, author: book.author, fromRow: null };
      if (book.isbn13 && !this.byIsbn.has(book.isbn13)) this.byIsbn.set(book.isbn13, known);
      if (book.match_key && !this.byKey.has(book.match_key)) this.byKey.set(book.match_key, known);
    }
  }

  /** Decides one row (after `prefetch` of its batch) and remembers a created book for later rows. */
  decide(candidate: Candidate): Decision {
    const byIsbn = candidate.isbn13 ? this.byIsbn.get(candidate.isbn13) : undefined;
    if (byIsbn)
      return { action: 'merge', bookId: byIsbn.bookId, merge: this.merge(candidate, byIsbn, 'isbn') };
    // A title-and-author match is only a proposal: a row the user rejected becomes its own book, and a
    // row whose ISBN differs from the matched book's is a different edition but the same work, still proposed.
    const byKey = candidate.matchKey ? this.byKey.get(candidate.matchKey) : undefined;
    if (byKey && !this.rejected.has(candidate.row))
      return { action: 'merge', bookId: byKey.bookId, merge: this.merge(candidate, byKey, 'title_author') };
    const bookId = randomUUID();
    const known: Known = { bookId, title: candidate.title, author: candidate.author, fromRow: candidate.row };
    if (candidate.isbn13) this.byIsbn.set(candidate.isbn13, known);
    if (candidate.matchKey && !this.byKey.has(candidate.matchKey)) this.byKey.set(candidate.matchKey, known);
    return { action: 'create', bookId };
  }

  private merge(candidate: Candidate, known: Known, by: ProposedMerge['by']): ProposedMerge {
    return {
      row: candidate.row,
      by,
      bookId: known.fromRow === null ? known.bookId : null,
      title: known.title,
      author: known.author,
      earlierRow: known.fromRow,
    };
  }
}
