/**
 * The writes of one import batch, all set-based (one statement per table per batch), inside the
 * commit's transaction. Merges only fill in what the catalog lacks: a re-import of the same file finds
 * nothing to change, and its interactions, whose ids derive from reader, book and event, already exist.
 */
import type { RowProblem } from '../../../shared/contract/imports';
import type { InteractionType } from '../../../shared/contract/domain';
import { parseGrade, parseReadingLevel } from '../../../shared/domain/reading-level';
import type { ImportedReading, ImportedStudent } from '../../../shared/import/types';
import type { Sql } from '../sql';
import { type BookRecord, INSERT_WITH_IDS_SQL } from '../handlers/books';
import { outboxFromInserted } from '../sync/outbox';

/** A row's reading history for the target reader. */
export interface ReadingRecord {
  row: number;
  bookId: string;
  reading: ImportedReading;
  interactions: { id: string; type: InteractionType; value: number | null; occurredAt: string | null }[];
}

/** An ISBN of another edition, kept as an alternate of the book the row went to. */
export interface AlternateIsbn {
  book_id: string;
  isbn13: string;
}

/**
 * Keeps alternates that no book holds yet (as its ISBN or as an alternate): an ISBN belongs to one book.
 * Returns the books that gained one.
 */
const ALTERNATES_SQL = `INSERT INTO book_isbns (isbn13, book_id)
  SELECT x.isbn13, x.book_id FROM json_to_recordset($1::json) AS x(book_id uuid, isbn13 text)
   WHERE NOT EXISTS (SELECT 1 FROM books o WHERE o.isbn13 = x.isbn13)
  ON CONFLICT (isbn13) DO NOTHING
  RETURNING book_id`;

/** Columns a merge may fill in: only when the catalog has nothing there. */
const FILL = [
  'subtitle',
  'description',
  'pages',
  'language',
  'publisher',
  'year',
  'series',
  'series_index',
  'cover_url',
  'interest_level',
  'interest_age_min',
  'interest_age_max',
] as const;
const ARRAYS = ['subjects', 'tags', 'content_warnings'] as const;
const TYPES: Record<string, string> = {
  subtitle: 'text',
  description: 'text',
  pages: 'integer',
  language: 'text',
  publisher: 'text',
  year: 'smallint',
  series: 'text',
  series_index: 'real',
  cover_url: 'text',
  interest_level: 'text',
  interest_age_min: 'smallint',
  interest_age_max: 'smallint',
  subjects: 'text[]',
  tags: 'text[]',
  content_warnings: 'text[]',
  isbn13: 'text',
  isbn10: 'text',
  reading_level: 'text',
  reading_level_system: 'text',
  reading_level_source: 'text',
  external_ids: 'jsonb',
  owned_copies: 'integer',
};
const MERGE_COLUMNS = [
  ...FILL,
  ...ARRAYS,
  'isbn13',
  'isbn10',
  'reading_level',
  'reading_level_system',
  'reading_level_source',
  'external_ids',
  'owned_copies',
];
const NEXT = [
  ...FILL.map((column) => `coalesce(b.${column}, x.${column}) AS ${column}`),
  ...ARRAYS.map(
    (column) =>
      `CASE WHEN cardinality(b.${column}) = 0 THEN coalesce(x.${column}, '{}') ELSE b.${column} END AS ${column}`,
  ),
  // An ISBN only where the book has none and no book holds it (as its ISBN or an alternate).
  ...['isbn13', 'isbn10'].map(
    (column) => `CASE WHEN b.isbn13 IS NULL AND x.isbn13 IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM books o WHERE o.isbn13 = x.isbn13)
          AND NOT EXISTS (SELECT 1 FROM book_isbns o WHERE o.isbn13 = x.isbn13)
        THEN x.${column} ELSE b.${column} END AS ${column}`,
  ),
  ...['reading_level', 'reading_level_system', 'reading_level_source'].map(
    (column) => `CASE WHEN b.reading_level IS NULL THEN x.${column} ELSE b.${column} END AS ${column}`,
  ),
  `coalesce(x.external_ids, '{}'::jsonb) || b.external_ids AS external_ids`,
  `greatest(b.owned_copies, coalesce(x.owned_copies, 0)) AS owned_copies`,
];
const MERGE_SQL = `WITH x AS (SELECT * FROM json_to_recordset($1::json) AS x(id uuid, ${MERGE_COLUMNS.map((column) => `${column} ${TYPES[column]}`).join(', ')})),
  next AS (SELECT b.id, ${NEXT.join(', ')} FROM books b JOIN x ON x.id = b.id)
  UPDATE books b SET ${MERGE_COLUMNS.map((column) => `${column} = n.${column}`).join(', ')}, updated_at = now()
  FROM next n
  WHERE b.id = n.id AND (${MERGE_COLUMNS.map((column) => `b.${column}`).join(', ')}) IS DISTINCT FROM (${MERGE_COLUMNS.map((column) => `n.${column}`).join(', ')})
  RETURNING b.id`;

const READING_SQL = `INSERT INTO reader_books (reader_id, book_id, exclusive_shelf, shelves, rating, date_read, date_added, read_count, owned_copies, review, source)
  SELECT $2, x.book_id, x.shelf, x.shelves, x.rating, x.date_read::date, x.date_added::date, x.read_count, x.owned_copies, x.review, 'import'
  FROM json_to_recordset($1::json) AS x(book_id uuid, shelf text, shelves text[], rating real, date_read text, date_added text,
                                          read_count integer, owned_copies integer, review text)
  ON CONFLICT (reader_id, book_id) DO UPDATE SET exclusive_shelf = excluded.exclusive_shelf, shelves = excluded.shelves,
    rating = excluded.rating, date_read = excluded.date_read, date_added = excluded.date_added, read_count = excluded.read_count,
    owned_copies = excluded.owned_copies, review = excluded.review, updated_at = now()
  WHERE (reader_books.exclusive_shelf, reader_books.shelves, reader_books.rating, reader_books.date_read, reader_books.date_added,
         reader_books.read_count, reader_books.owned_copies, reader_books.review)
        IS DISTINCT FROM (excluded.exclusive_shelf, excluded.shelves, excluded.rating, excluded.date_read, excluded.date_added,
         excluded.read_count, excluded.owned_copies, excluded.review)
  RETURNING book_id`;

// New interactions are queued for sync in the same statement (only while sync is enabled).
const INTERACTIONS_SQL = `WITH inserted AS (INSERT INTO interactions (id, reader_id, book_id, type, value, occurred_at)
  SELECT x.id, $2, x.book_id, x.type, x.value, coalesce((x.occurred_at || 'T12:00:00Z')::timestamptz, now())
  FROM json_to_recordset($1::json) AS x(id uuid, book_id uuid, type text, value real, occurred_at text)
  ON CONFLICT (id) DO NOTHING RETURNING id, book_id, type, value, occurred_at),
  queued AS (${outboxFromInserted('inserted', '$2::uuid')})
  SELECT count(*)::int AS inserted FROM inserted`;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date `YYYY-MM-DD`, or null (Postgres would abort the whole commit on a bad one). */
function checkedDate(
  value: string | null,
  row: number,
  field: string,
  problems: RowProblem[],
): string | null {
  if (value === null) return null;
  const match = ISO_DATE.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (date && date.toISOString().startsWith(value) && date.getUTCFullYear() > 1000) return value;
  problems.push({ row, field, reason: `'${value}' is not a calendar date; imported without it` });
  return null;
}

/** What one batch changed. */
export interface BatchOutcome {
  imported: number;
  updated: number;
  duplicates: number;
  interactions: number;
  problems: RowProblem[];
}

/** Writes one batch. */
export async function writeBatch(
  sql: Sql,
  batch: {
    created: { bookId: string; record: BookRecord }[];
    merged: { bookId: string; record: BookRecord; row: number }[];
    alternates: AlternateIsbn[];
    readings: ReadingRecord[];
    students: StudentRecord[];
    readerId: string | null;
    classId: string | null;
  },
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { imported: 0, updated: 0, duplicates: 0, interactions: 0, problems: [] };
  if (batch.created.length > 0) {
    await sql.query(INSERT_WITH_IDS_SQL, [
      JSON.stringify(batch.created.map(({ bookId, record }) => ({ id: bookId, ...record }))),
    ]);
    outcome.imported += batch.created.length;
  }
  // The first row merging into a book fills it; later rows of the same batch wait for the next pass.
  const firstMerge = new Map<string, BookRecord>();
  for (const { bookId, record } of batch.merged) if (!firstMerge.has(bookId)) firstMerge.set(bookId, record);
  const changedBooks = new Set<string>();
  if (firstMerge.size > 0) {
    const rows = [...firstMerge].map(([bookId, record]) => ({ id: bookId, ...record }));
    const changed = await sql.query<{ id: string }>(MERGE_SQL, [JSON.stringify(rows)]);
    for (const { id } of changed.rows) changedBooks.add(id);
  }
  if (batch.alternates.length > 0) {
    const kept = await sql.query<{ book_id: string }>(ALTERNATES_SQL, [JSON.stringify(batch.alternates)]);
    for (const { book_id: bookId } of kept.rows) changedBooks.add(bookId);
  }

  const changedReadings = new Set<string>();
  if (batch.readerId && batch.readings.length > 0) {
    const latest = new Map<string, ReadingRecord>();
    for (const reading of batch.readings) latest.set(reading.bookId, reading);
    const rows = [...latest.values()].map(({ row, bookId, reading }) => ({
      book_id: bookId,
      shelf: reading.shelf,
      shelves: reading.shelves,
      rating: reading.rating !== null && reading.rating >= 0.5 && reading.rating <= 5 ? reading.rating : null,
      date_read: checkedDate(reading.dateRead, row, 'dateRead', outcome.problems),
      date_added: checkedDate(reading.dateAdded, row, 'dateAdded', outcome.problems),
      read_count: reading.readCount !== null && reading.readCount >= 0 ? reading.readCount : null,
      owned_copies: reading.ownedCopies !== null && reading.ownedCopies >= 0 ? reading.ownedCopies : null,
      review: reading.review,
    }));
    const changed = await sql.query<{ book_id: string }>(READING_SQL, [JSON.stringify(rows), batch.readerId]);
    for (const { book_id: bookId } of changed.rows) changedReadings.add(bookId);
    const interactions = batch.readings.flatMap(({ row, bookId, interactions: events }) =>
      events
        .filter(
          (event) =>
            event.type !== 'rating' || (event.value !== null && event.value >= 0.5 && event.value <= 5),
        )
        .map((event) => ({
          id: event.id,
          book_id: bookId,
          type: event.type,
          value: event.value,
          occurred_at: checkedDate(event.occurredAt, row, 'date', []),
        })),
    );
    if (interactions.length > 0) {
      const inserted = await sql.query<{ inserted: number }>(INTERACTIONS_SQL, [
        JSON.stringify(interactions),
        batch.readerId,
      ]);
      outcome.interactions += inserted.rows[0]?.inserted ?? 0;
    }
  }
  for (const { bookId } of batch.merged) {
    if (changedBooks.has(bookId) || changedReadings.has(bookId)) outcome.updated += 1;
    else outcome.duplicates += 1;
  }
  // A created book's reading is part of "imported"; nothing more to count.
  for (const student of batch.students) {
    const result = await writeStudent(sql, student, batch.classId, outcome.problems);
    outcome[result] += 1;
  }
  return outcome;
}

/** Finds the roster student in its class (by name, ignoring case) and fills in what changed, or adds them. */
async function writeStudent(
  sql: Sql,
  student: StudentRecord,
  classId: string | null,
  problems: RowProblem[],
): Promise<'imported' | 'updated' | 'duplicates'> {
  if (student.gradeText !== null && student.grade === null)
    problems.push({
      row: student.row,
      field: 'grade',
      reason: `'${student.gradeText}' is not a grade (PK, K, 1–12); imported without it`,
    });
  if (student.levelText !== null && student.level === null)
    problems.push({
      row: student.row,
      field: 'reading level',
      reason: `'${student.levelText}' is not a reading level (e.g. 650L, M, 4.5); imported without it`,
    });
  let targetClass = classId;
  if (!targetClass && student.className) {
    const found = await sql.query<{ id: string }>('SELECT id FROM classes WHERE lower(name) = lower($1)', [
      student.className,
    ]);
    targetClass =
      found.rows[0]?.id ??
      (
        await sql.query<{ id: string }>('INSERT INTO classes (name) VALUES ($1) RETURNING id', [
          student.className,
        ])
      ).rows[0]?.id ??
      null;
  }
  const values = [
    student.grade,
    student.age,
    student.level?.value ?? null,
    student.level?.system ?? null,
    student.level ? 'known' : null,
    student.interests,
  ];
  const existing = await sql.query<{ id: string }>(
    `SELECT id FROM readers WHERE kind = 'student' AND lower(name) = lower($1) AND class_id IS NOT DISTINCT FROM $2 LIMIT 1`,
    [student.name, targetClass],
  );
  const id = existing.rows[0]?.id;
  if (!id) {
    await sql.query(
      `INSERT INTO readers (name, grade, age, reading_level, reading_level_system, reading_level_source, interests, class_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [student.name, ...values, targetClass],
    );
    return 'imported';
  }
  const updated = await sql.query(
    `UPDATE readers SET grade = coalesce($2, grade), age = coalesce($3, age),
            reading_level = CASE WHEN $4::text IS NULL THEN reading_level ELSE $4 END,
            reading_level_system = CASE WHEN $4::text IS NULL THEN reading_level_system ELSE $5 END,
            reading_level_source = CASE WHEN $4::text IS NULL THEN reading_level_source ELSE $6 END,
            interests = CASE WHEN cardinality($7::text[]) = 0 THEN interests ELSE $7 END, updated_at = now()
      WHERE id = $1 AND (grade, age, reading_level, interests) IS DISTINCT FROM
            (coalesce($2, grade), coalesce($3, age), coalesce($4, reading_level),
             CASE WHEN cardinality($7::text[]) = 0 THEN interests ELSE $7 END)`,
    [id, ...values],
  );
  return (updated.affectedRows ?? 0) > 0 ? 'updated' : 'duplicates';
}

/** A roster row as reader columns; unreadable grades and levels are left out (the parser reported them). */
export function studentRecord(student: ImportedStudent) {
  const grade = student.grade === null ? null : parseGrade(student.grade);
  const level = student.readingLevel === null ? null : parseReadingLevel(student.readingLevel);
  return {
    name: student.name,
    grade,
    age: student.age !== null && student.age >= 2 && student.age <= 120 ? student.age : null,
    level,
    interests: [...new Set(student.interests)],
    className: student.className,
    gradeText: student.grade,
    levelText: student.readingLevel,
  };
}

/** A roster row to write, with its row number for messages. */
export type StudentRecord = ReturnType<typeof studentRecord> & { row: number };
