/**
 * Decides, row by row, whether a book is new or one Lumin already has (one book per work):
 *
 * 1. any of the row's ISBNs is the book's ISBN or one of its alternates (the other editions' ISBNs);
 * 2. a row with neither ISBN nor author: the same catalogue record (MARC 003 with 001, else 035);
 * 3. the same match key (shared/domain/match-key: normalised title and first author, or the exact
 *    normalised title for a row without an author, which never takes a book of another catalogue record).
 *
 * Catalog books are looked up a batch at a time; books created by earlier rows of the same file are
 * remembered with every ISBN and key they will be stored under, so a file that lists a book twice
 * creates it once and the preview decides as the commit does.
 */
import { randomUUID } from 'node:crypto';
import type { ProposedMerge } from '../../../shared/contract/imports';
import type { Sql } from '../sql';

/** A book the matcher knows: in the catalog (`fromRow` null) or created by an earlier row. */
interface Known {
  bookId: string;
  title: string;
  author: string | null;
  controlKey: string | null;
  fromRow: number | null;
}

/** The matcher's decision for one row. */
export type Decision =
  { action: 'create'; bookId: string } | { action: 'merge'; bookId: string; merge: ProposedMerge };

/** What a row offers for matching. */
export interface Candidate {
  row: number;
  /** The row's ISBN-13 (its primary ISBN), or null. */
  isbn13: string | null;
  /** Its other editions' ISBN-13s. */
  alternateIsbns: readonly string[];
  matchKey: string | null;
  /** Its catalogue record (shared/domain/match-key `controlKey`), or null. */
  controlKey: string | null;
  title: string;
  author: string | null;
}

const isbnsOf = (candidate: Candidate): string[] =>
  candidate.isbn13 ? [candidate.isbn13, ...candidate.alternateIsbns] : [...candidate.alternateIsbns];

/** Whether the row matches on its catalogue record (rule 2): it has neither ISBN nor author. */
const recordOnly = (candidate: Candidate): boolean =>
  candidate.controlKey !== null && candidate.author === null && isbnsOf(candidate).length === 0;

export class Matcher {
  private readonly byIsbn = new Map<string, Known>();
  private readonly byKey = new Map<string, Known>();
  private readonly byControl = new Map<string, Known>();

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
    const fresh = <T>(values: (T | null)[], known: Map<T, Known>): T[] => [
      ...new Set(values.filter((value): value is T => value !== null && !known.has(value))),
    ];
    const isbns = fresh(candidates.flatMap(isbnsOf), this.byIsbn);
    const keys = fresh(
      candidates.map((item) => item.matchKey),
      this.byKey,
    );
    const controls = fresh(
      candidates.map((item) => (recordOnly(item) ? item.controlKey : null)),
      this.byControl,
    );
    if (isbns.length === 0 && keys.length === 0 && controls.length === 0) return;
    // The books holding the ISBNs or keys, then those holding the ISBNs as alternates (`alternate` set).
    const found = await sql.query<{
      id: string;
      isbn13: string | null;
      alternate: string | null;
      match_key: string | null;
      control_key: string | null;
      title: string;
      author: string | null;
    }>(
      `SELECT id, isbn13, NULL AS alternate, match_key, control_key, title, authors[1] AS author, created_at FROM books
        WHERE isbn13 = ANY($1::text[]) OR match_key = ANY($2::text[])${controls.length > 0 ? ' OR control_key = ANY($3::text[])' : ''}
       UNION ALL
       SELECT b.id, b.isbn13, i.isbn13, b.match_key, b.control_key, b.title, b.authors[1], b.created_at
         FROM book_isbns i JOIN books b ON b.id = i.book_id WHERE i.isbn13 = ANY($1::text[])
       ORDER BY created_at, id`,
      controls.length > 0 ? [isbns, keys, controls] : [isbns, keys],
    );
    const known = new Map<string, Known>();
    for (const book of found.rows) {
      let entry = known.get(book.id);
      if (!entry) {
        entry = {
          bookId: book.id,
          title: book.title,
          author: book.author,
          controlKey: book.control_key,
          fromRow: null,
        };
        known.set(book.id, entry);
      }
      for (const isbn of [book.isbn13, book.alternate])
        if (isbn && !this.byIsbn.has(isbn)) this.byIsbn.set(isbn, entry);
      if (book.match_key && !this.byKey.has(book.match_key)) this.byKey.set(book.match_key, entry);
      if (book.control_key && !this.byControl.has(book.control_key))
        this.byControl.set(book.control_key, entry);
    }
  }

  /** Decides one row (after `prefetch` of its batch) and remembers a created book for later rows. */
  decide(candidate: Candidate): Decision {
    const isbns = isbnsOf(candidate);
    for (const isbn of isbns) {
      const byIsbn = this.byIsbn.get(isbn);
      if (byIsbn) return this.merged(candidate, byIsbn, 'isbn');
    }
    const byControl = recordOnly(candidate) ? this.byControl.get(candidate.controlKey as string) : undefined;
    if (byControl) return this.merged(candidate, byControl, 'control_number');
    // A key match is only a proposal: a row the user rejected becomes its own book, and a row whose
    // ISBN differs from the matched book's is another edition of the same work, still proposed (its
    // ISBN becomes an alternate). A row without an author never takes another catalogue record's book.
    const byKey = candidate.matchKey ? this.byKey.get(candidate.matchKey) : undefined;
    const otherRecord =
      candidate.author === null &&
      candidate.controlKey !== null &&
      byKey?.controlKey != null &&
      byKey.controlKey !== candidate.controlKey;
    if (byKey && !otherRecord && !this.rejected.has(candidate.row))
      return this.merged(candidate, byKey, 'title_author');
    const bookId = randomUUID();
    const known: Known = {
      bookId,
      title: candidate.title,
      author: candidate.author,
      controlKey: candidate.controlKey,
      fromRow: candidate.row,
    };
    for (const isbn of isbns) if (!this.byIsbn.has(isbn)) this.byIsbn.set(isbn, known);
    if (candidate.matchKey && !this.byKey.has(candidate.matchKey)) this.byKey.set(candidate.matchKey, known);
    if (candidate.controlKey && !this.byControl.has(candidate.controlKey))
      this.byControl.set(candidate.controlKey, known);
    return { action: 'create', bookId };
  }

  /** A merge into `known`, whose book now also answers to the row's ISBNs (kept as alternates). */
  private merged(candidate: Candidate, known: Known, by: ProposedMerge['by']): Decision {
    for (const isbn of isbnsOf(candidate)) if (!this.byIsbn.has(isbn)) this.byIsbn.set(isbn, known);
    return {
      action: 'merge',
      bookId: known.bookId,
      merge: {
        row: candidate.row,
        by,
        bookId: known.fromRow === null ? known.bookId : null,
        title: known.title,
        author: known.author,
        earlierRow: known.fromRow,
      },
    };
  }
}
