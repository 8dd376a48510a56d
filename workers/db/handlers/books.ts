/** The book catalogue: add (one or many, atomically), get, resolve, list, update, remove. */
import type { Book, ReadingLevel } from '../../../shared/contract/domain';
import { LuminFailure } from '../../../shared/contract/errors';
import type { BookInputParsed, BookPatchParsed } from '../../../shared/contract/schemas';
import { isValidIsbn10, isValidIsbn13, normaliseIsbn } from '../../../shared/domain/isbn';
import { matchKey } from '../../../shared/domain/match-key';
import { type Sql, iso } from '../context';
import type { HandlerSlice } from './types';
import { listBooks } from './book-list';

/** Columns in insert order, with their Postgres types for `json_to_recordset`. */
const COLUMNS = [
  ['isbn10', 'text'],
  ['isbn13', 'text'],
  ['external_ids', 'jsonb'],
  ['title', 'text'],
  ['subtitle', 'text'],
  ['authors', 'text[]'],
  ['description', 'text'],
  ['subjects', 'text[]'],
  ['tags', 'text[]'],
  ['pages', 'integer'],
  ['language', 'text'],
  ['publisher', 'text'],
  ['year', 'smallint'],
  ['series', 'text'],
  ['series_index', 'real'],
  ['cover_url', 'text'],
  ['reading_level', 'text'],
  ['reading_level_system', 'text'],
  ['reading_level_source', 'text'],
  ['interest_level', 'text'],
  ['interest_age_min', 'smallint'],
  ['interest_age_max', 'smallint'],
  ['content_warnings', 'text[]'],
  ['owned_copies', 'integer'],
  ['approved_for_children', 'boolean'],
  ['match_key', 'text'],
] as const;
type Column = (typeof COLUMNS)[number][0];
type Row = Record<Column, unknown> & { id: string; created_at: Date; updated_at: Date };
/** A book as the columns of its row (no id or timestamps). */
export type BookRecord = Record<Column, unknown>;

/** Inserts records that carry their own `id` (imports choose ids before writing, so later rows can refer to them). */
export const INSERT_WITH_IDS_SQL = `INSERT INTO books (id, ${COLUMNS.map(([name]) => name).join(', ')})
  SELECT id, ${COLUMNS.map(([name]) => name).join(', ')}
  FROM json_to_recordset($1::json) AS input(id uuid, ${COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`;

const INSERT_SQL = `INSERT INTO books (${COLUMNS.map(([name]) => name).join(', ')})
  SELECT ${COLUMNS.map(([name]) => name).join(', ')}
  FROM json_to_recordset($1::json) AS input(${COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})
  RETURNING *`;

function level(row: Row): ReadingLevel | null {
  if (row.reading_level === null) return null;
  return {
    value: row.reading_level as string,
    system: row.reading_level_system as ReadingLevel['system'],
    source: (row.reading_level_source as ReadingLevel['source'] | null) ?? 'known',
  };
}

/** A row as the contract's `Book`. */
export function bookFromRow(row: Row): Book {
  return {
    id: row.id,
    isbn10: row.isbn10 as string | null,
    isbn13: row.isbn13 as string | null,
    externalIds: row.external_ids as Record<string, string>,
    title: row.title as string,
    subtitle: row.subtitle as string | null,
    authors: row.authors as string[],
    description: row.description as string | null,
    subjects: row.subjects as string[],
    tags: row.tags as string[],
    pages: row.pages as number | null,
    language: row.language as string | null,
    publisher: row.publisher as string | null,
    year: row.year as number | null,
    series: row.series as string | null,
    seriesIndex: row.series_index as number | null,
    coverUrl: row.cover_url as string | null,
    readingLevel: level(row),
    interestLevel: row.interest_level as Book['interestLevel'],
    interestAgeMin: row.interest_age_min as number | null,
    interestAgeMax: row.interest_age_max as number | null,
    contentWarnings: row.content_warnings as string[],
    ownedCopies: row.owned_copies as number,
    approvedForChildren: row.approved_for_children as boolean,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/**
 * Reconciles `isbn`, `isbn10` and `isbn13` into both stored forms; `where` names the input position
 * for the error message.
 */
function isbns(
  input: { isbn?: string | null; isbn10?: string | null; isbn13?: string | null },
  where: string,
) {
  let isbn10 = input.isbn10 ?? null;
  let isbn13 = input.isbn13 ?? null;
  const fromAny = input.isbn ? normaliseIsbn(input.isbn) : null;
  const fromTen = isbn10 && isValidIsbn10(isbn10) ? normaliseIsbn(isbn10) : null;
  const fromThirteen = isbn13 && isValidIsbn13(isbn13) ? normaliseIsbn(isbn13) : null;
  const candidates = [fromAny, fromTen, fromThirteen].filter((value) => value !== null);
  const first = candidates[0];
  if (first && candidates.some((candidate) => candidate.isbn13 !== first.isbn13))
    throw new LuminFailure('invalid_argument', `${where}: the ISBNs given name different books`, {
      field: 'isbn',
    });
  if (first) {
    isbn13 = first.isbn13;
    isbn10 = first.isbn10;
  }
  return { isbn10, isbn13 };
}

function levelColumns(readingLevel: ReadingLevel | null | undefined) {
  return {
    reading_level: readingLevel?.value ?? null,
    reading_level_system: readingLevel?.system ?? null,
    reading_level_source: readingLevel?.source ?? null,
  };
}

/** A validated book input as column values; `where` names the input in error messages. */
export function toRecord(book: BookInputParsed, where: string): BookRecord {
  const { isbn10, isbn13 } = isbns(book, where);
  return {
    isbn10,
    isbn13,
    external_ids: book.externalIds ?? {},
    title: book.title,
    subtitle: book.subtitle ?? null,
    authors: book.authors ?? [],
    description: book.description || null,
    subjects: book.subjects ?? [],
    tags: book.tags ?? [],
    pages: book.pages ?? null,
    language: book.language ?? null,
    publisher: book.publisher ?? null,
    year: book.year ?? null,
    series: book.series ?? null,
    series_index: book.seriesIndex ?? null,
    cover_url: book.coverUrl ?? null,
    ...levelColumns(book.readingLevel),
    interest_level: book.interestLevel ?? null,
    interest_age_min: book.interestAgeMin ?? null,
    interest_age_max: book.interestAgeMax ?? null,
    content_warnings: book.contentWarnings ?? [],
    owned_copies: book.ownedCopies ?? 0,
    approved_for_children: book.approvedForChildren ?? false,
    match_key: matchKey(book.title, book.authors ?? []),
  };
}

/** Refuses ISBNs that repeat within `records` or already exist, naming the position and the holder. */
async function checkIsbnConflicts(
  sql: Sql,
  records: Record<Column, unknown>[],
  label: (index: number) => string,
) {
  const seen = new Map<string, number>();
  records.forEach((record, index) => {
    const isbn13 = record.isbn13 as string | null;
    if (isbn13 === null) return;
    const earlier = seen.get(isbn13);
    if (earlier !== undefined)
      throw new LuminFailure('conflict', `${label(index)}: ISBN ${isbn13} repeats ${label(earlier)}`, {
        field: 'isbn13',
        index,
      });
    seen.set(isbn13, index);
  });
  if (seen.size === 0) return;
  const existing = await sql.query<{ id: string; title: string; isbn13: string }>(
    `SELECT id, title, isbn13 FROM books WHERE isbn13 = ANY($1::text[])
     UNION ALL SELECT b.id, b.title, i.isbn13 FROM book_isbns i JOIN books b ON b.id = i.book_id
      WHERE i.isbn13 = ANY($1::text[])`,
    [[...seen.keys()]],
  );
  const clash = existing.rows[0];
  if (clash) {
    const index = seen.get(clash.isbn13) ?? 0;
    throw new LuminFailure(
      'conflict',
      `${label(index)}: ISBN ${clash.isbn13} is already in the catalogue as "${clash.title}" (${clash.id})`,
      { field: 'isbn13', index, existingId: clash.id },
    );
  }
}

/** The book's other editions' ISBNs (imports keep them; migration 0006). */
const ALTERNATES = `coalesce((SELECT array_agg(i.isbn13 ORDER BY i.isbn13) FROM book_isbns i WHERE i.book_id = books.id),
  '{}') AS alternate_isbns`;

/** A row with its alternates as the contract's `Book`. */
function bookWithAlternates(row: Row & { alternate_isbns: string[] }): Book {
  return { ...bookFromRow(row), alternateIsbns: row.alternate_isbns };
}

async function loadBook(sql: Sql, id: string): Promise<Book> {
  const result = await sql.query<Row & { alternate_isbns: string[] }>(
    `SELECT *, ${ALTERNATES} FROM books WHERE id = $1`,
    [id],
  );
  const row = result.rows[0];
  if (!row) throw new LuminFailure('not_found', `no book with id ${id}`, { id });
  return bookWithAlternates(row);
}

function patchColumns(patch: BookPatchParsed, current: Book): Partial<Record<Column, unknown>> {
  const columns: Partial<Record<Column, unknown>> = {};
  if ('isbn' in patch || 'isbn10' in patch || 'isbn13' in patch) {
    const cleared = patch.isbn === null || patch.isbn10 === null || patch.isbn13 === null;
    const next =
      cleared && !patch.isbn && !patch.isbn10 && !patch.isbn13
        ? { isbn10: null, isbn13: null }
        : isbns(patch, 'patch');
    columns.isbn10 = next.isbn10;
    columns.isbn13 = next.isbn13;
  }
  const simple: [keyof BookPatchParsed, Column][] = [
    ['externalIds', 'external_ids'],
    ['title', 'title'],
    ['subtitle', 'subtitle'],
    ['authors', 'authors'],
    ['description', 'description'],
    ['subjects', 'subjects'],
    ['tags', 'tags'],
    ['pages', 'pages'],
    ['language', 'language'],
    ['publisher', 'publisher'],
    ['year', 'year'],
    ['series', 'series'],
    ['seriesIndex', 'series_index'],
    ['coverUrl', 'cover_url'],
    ['interestLevel', 'interest_level'],
    ['interestAgeMin', 'interest_age_min'],
    ['interestAgeMax', 'interest_age_max'],
    ['contentWarnings', 'content_warnings'],
    ['ownedCopies', 'owned_copies'],
    ['approvedForChildren', 'approved_for_children'],
  ];
  for (const [field, column] of simple) if (field in patch) columns[column] = patch[field] ?? null;
  for (const arrayColumn of ['authors', 'subjects', 'tags', 'content_warnings'] as const)
    if (arrayColumn in columns && columns[arrayColumn] === null) columns[arrayColumn] = [];
  if (columns.external_ids === null) columns.external_ids = {};
  if (columns.owned_copies === null) columns.owned_copies = 0;
  if (columns.approved_for_children === null) columns.approved_for_children = false;
  if ('readingLevel' in patch) Object.assign(columns, levelColumns(patch.readingLevel));
  if ('title' in columns || 'authors' in columns)
    columns.match_key = matchKey(
      (columns.title as string | undefined) ?? current.title,
      (columns.authors as string[] | undefined) ?? current.authors,
    );
  const minAge = 'interest_age_min' in columns ? columns.interest_age_min : current.interestAgeMin;
  const maxAge = 'interest_age_max' in columns ? columns.interest_age_max : current.interestAgeMax;
  if (typeof minAge === 'number' && typeof maxAge === 'number' && minAge > maxAge)
    throw new LuminFailure(
      'invalid_argument',
      'books.update: interestAgeMin must not exceed interestAgeMax',
      {
        field: 'interestAgeMin',
      },
    );
  return columns;
}

export const bookHandlers = {
  async 'books.add'(input, context) {
    const record = toRecord(input, 'books.add');
    const book = await context.db.transaction(async (tx) => {
      await checkIsbnConflicts(tx, [record], () => 'books.add');
      const result = await tx.query<Row>(INSERT_SQL, [JSON.stringify([record])]);
      return bookFromRow(result.rows[0] as Row);
    });
    context.changed({ entity: 'books', op: 'insert', ids: [book.id] });
    return book;
  },

  async 'books.addMany'(input, context) {
    const label = (index: number) => `books[${index}]`;
    const records = input.books.map((book, index) => toRecord(book, label(index)));
    const ids = await context.db.transaction(async (tx) => {
      await checkIsbnConflicts(tx, records, label);
      const result = await tx.query<{ id: string }>(INSERT_SQL.replace('RETURNING *', 'RETURNING id'), [
        JSON.stringify(records),
      ]);
      return result.rows.map((row) => row.id);
    });
    context.changed({ entity: 'books', op: 'insert', ids: ids.length <= 1000 ? ids : [] });
    return { added: ids.length, ids };
  },

  async 'books.get'(input, context) {
    return loadBook(context.db, input.id);
  },

  async 'books.resolve'(input, context) {
    const ref = input.ref;
    const isbn = normaliseIsbn(ref);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref) ? ref : null;
    // By any ISBN of the book: its own or one of its other editions' (an alternate).
    const result = await context.db.query<Row & { alternate_isbns: string[]; by_isbn: boolean }>(
      `SELECT *, ${ALTERNATES}, ($2::text IS NOT NULL AND (isbn13 = $2 OR id = (SELECT book_id FROM book_isbns WHERE isbn13 = $2))) AS by_isbn
         FROM books
        WHERE ($1::uuid IS NOT NULL AND id = $1::uuid) OR ($2::text IS NOT NULL AND isbn13 = $2)
           OR ($2::text IS NOT NULL AND id = (SELECT book_id FROM book_isbns WHERE isbn13 = $2)) OR lower(title) = lower($3)
        ORDER BY (id = $1::uuid) DESC NULLS LAST, by_isbn DESC, title LIMIT 10`,
      [uuid, isbn?.isbn13 ?? null, ref],
    );
    const exact = result.rows.find((row) => row.id === uuid || row.by_isbn);
    if (exact) return bookWithAlternates(exact);
    if (result.rows.length === 1)
      return bookWithAlternates(result.rows[0] as Row & { alternate_isbns: string[] });
    if (result.rows.length === 0)
      throw new LuminFailure('not_found', `no book matches '${ref}' (by id, ISBN or exact title)`, { ref });
    throw new LuminFailure(
      'ambiguous',
      `'${ref}' matches ${result.rows.length} books; use an id or ISBN: ${result.rows
        .map((row) => `${String(row.title)} (${row.id})`)
        .join(', ')}`,
      { ref, candidates: result.rows.map((row) => row.id) },
    );
  },

  async 'books.list'(input, context) {
    return listBooks<Row>(input, context, bookFromRow);
  },

  async 'books.update'(input, context) {
    const book = await context.db.transaction(async (tx) => {
      const current = await loadBook(tx, input.id);
      const columns = patchColumns(input.patch, current);
      if (typeof columns.isbn13 === 'string' && columns.isbn13 !== current.isbn13) {
        const clash = await tx.query<{ id: string; title: string }>(
          `SELECT id, title FROM books WHERE isbn13 = $1 AND id <> $2
           UNION ALL SELECT b.id, b.title FROM book_isbns i JOIN books b ON b.id = i.book_id
            WHERE i.isbn13 = $1 AND i.book_id <> $2`,
          [columns.isbn13, input.id],
        );
        const other = clash.rows[0];
        if (other)
          throw new LuminFailure(
            'conflict',
            `books.update: ISBN ${columns.isbn13} belongs to "${other.title}" (${other.id})`,
            {
              field: 'isbn13',
              existingId: other.id,
            },
          );
      }
      const names = Object.keys(columns) as Column[];
      const assignments = names.map((name, index) => `${name} = $${index + 2}`);
      const values = names.map((name) => {
        const value = columns[name];
        return name === 'external_ids' ? JSON.stringify(value) : value;
      });
      // An alternate made the book's own ISBN is no longer an alternate.
      if (typeof columns.isbn13 === 'string')
        await tx.query('DELETE FROM book_isbns WHERE isbn13 = $1 AND book_id = $2', [
          columns.isbn13,
          input.id,
        ]);
      await tx.query(`UPDATE books SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1`, [
        input.id,
        ...values,
      ]);
      return loadBook(tx, input.id);
    });
    context.changed({ entity: 'books', op: 'update', ids: [book.id] });
    return book;
  },

  async 'books.remove'(input, context) {
    const removed = await context.db.transaction(async (tx) => {
      const result = await tx.query<{ id: string }>('DELETE FROM books WHERE id = $1 RETURNING id', [
        input.id,
      ]);
      if (result.rows.length === 0)
        throw new LuminFailure('not_found', `no book with id ${input.id}`, { id: input.id });
      await tx.query("DELETE FROM embeddings WHERE owner_kind = 'book' AND owner_id = $1", [input.id]);
      return input.id;
    });
    context.changed({ entity: 'books', op: 'delete', ids: [removed] });
    return { id: removed };
  },
} satisfies HandlerSlice<'books'>;
