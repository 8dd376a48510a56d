/**
 * One pass over an import file, shared by the preview (which only counts and decides) and the commit
 * (which also writes, inside the caller's transaction). Both make the same decisions, so the commit
 * does what the preview said.
 */
import { createHash } from 'node:crypto';
import type { ImportResult, PreviewRow, ProposedMerge, RowProblem } from '../../../shared/contract/imports';
import type { InteractionType } from '../../../shared/contract/domain';
import { isValidIsbn13 } from '../../../shared/domain/isbn';
import { controlKey, matchKey } from '../../../shared/domain/match-key';
import type { ImportedReading, ImportedStudent, ParsedRow } from '../../../shared/import/types';
import type { Sql } from '../sql';
import type { BookRecord } from '../handlers/books';
import { titleUnknown, validateBook } from './books';
import { type Candidate, Matcher } from './matcher';
import { type AlternateIsbn, type ReadingRecord, studentRecord, writeBatch } from './write';

/** The reader whose history the file is. */
export interface ReaderTarget {
  id: string;
}

/** Totals of a pass. */
export interface RunTotals extends Omit<ImportResult, 'previewId' | 'format' | 'failed'> {
  problems: RowProblem[];
  problemCount: number;
  merges: ProposedMerge[];
  mergeCount: number;
  sample: PreviewRow[];
  toCreate: number;
  toMerge: number;
}

const KEEP = 1000;
const SAMPLE = 20;

/** The interactions a row's reading history stands for, with ids that are the same on every import. */
function interactionsOf(
  readerId: string,
  bookId: string,
  reading: ImportedReading,
): ReadingRecord['interactions'] {
  const at = reading.dateRead ?? reading.dateAdded;
  const events: { type: InteractionType; value: number | null; at: string | null; n: number }[] = [];
  const shelfType: Partial<Record<string, InteractionType>> = {
    'currently-reading': 'checkout',
    'to-read': 'want',
    'did-not-finish': 'return',
  };
  if (reading.shelf === 'read') {
    // One finish per book; how many times it was read is its value (the read count stays in reader_books too).
    events.push({
      type: 'finish',
      value: reading.readCount !== null && reading.readCount > 1 ? reading.readCount : null,
      at,
      n: 1,
    });
  } else {
    const type = shelfType[reading.shelf];
    if (type) events.push({ type, value: null, at: reading.dateAdded, n: 1 });
  }
  if (reading.rating !== null) events.push({ type: 'rating', value: reading.rating, at, n: 1 });
  return events.map((event) => ({
    id: deterministicId(`${readerId}|${bookId}|${event.type}|${event.n}`),
    type: event.type,
    value: event.value,
    occurredAt: event.at,
  }));
}

/** A UUID derived from `text` (SHA-256, version nibble 8 = custom), so re-imports produce the same ids. */
export function deterministicId(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex[16] ?? '0', 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A pass over the rows, batch by batch. */
export class ImportRun {
  readonly matcher: Matcher;
  readonly totals: RunTotals = {
    rows: 0,
    imported: 0,
    updated: 0,
    duplicates: 0,
    books: 0,
    interactions: 0,
    problems: [],
    problemCount: 0,
    merges: [],
    mergeCount: 0,
    sample: [],
    toCreate: 0,
    toMerge: 0,
  };
  private readonly books = new Set<string>();

  constructor(
    private readonly options: {
      write: boolean;
      reader: ReaderTarget | null;
      classId: string | null;
      rejectMerges: ReadonlySet<number>;
    },
  ) {
    this.matcher = new Matcher(options.rejectMerges);
  }

  private problem(problem: RowProblem): void {
    this.totals.problemCount += 1;
    if (this.options.write || this.totals.problems.length < KEEP) this.totals.problems.push(problem);
  }

  /** Processes one batch of parsed rows. */
  async batch(sql: Sql, rows: ParsedRow[]): Promise<void> {
    const created: { bookId: string; record: BookRecord }[] = [];
    const merged: { bookId: string; record: BookRecord; row: number }[] = [];
    const readings: ReadingRecord[] = [];
    const alternates: AlternateIsbn[] = [];
    const students: { row: number; student: ImportedStudent }[] = [];
    const books: { row: ParsedRow & { kind: 'book' }; record: BookRecord; candidate: Candidate }[] = [];

    for (const row of rows) {
      this.totals.rows += 1;
      for (const problem of row.problems) this.problem(problem);
      if (row.kind === 'invalid') {
        this.sample({
          row: row.row,
          kind: 'invalid',
          label: '',
          authors: [],
          isbn13: null,
          shelf: null,
          rating: null,
          action: 'skip',
        });
        continue;
      }
      if (row.kind === 'student') {
        students.push({ row: row.row, student: row.student });
        continue;
      }
      const unknownTitle = titleUnknown(row.book);
      const checked = validateBook(
        unknownTitle ? { ...row.book, title: `ISBN ${row.book.isbn13}` } : row.book,
        row.row,
      );
      for (const problem of checked.problems) this.problem(problem);
      if (!checked.record) continue;
      const title = checked.record.title as string;
      const authors = checked.record.authors as string[];
      const isbn13 = checked.record.isbn13 as string | null;
      books.push({
        row,
        record: checked.record,
        candidate: {
          row: row.row,
          isbn13,
          alternateIsbns: (row.book.alternateIsbns ?? []).filter(
            (isbn) => isbn !== isbn13 && isValidIsbn13(isbn),
          ),
          // An ISBN-only row must never title-match: its placeholder title says nothing.
          matchKey: unknownTitle ? null : matchKey(title, authors),
          controlKey: controlKey(checked.record.external_ids as Record<string, string>),
          title,
          author: authors[0] ?? null,
        },
      });
    }

    await this.matcher.prefetch(
      sql,
      books.map((book) => book.candidate),
    );
    for (const { row, record, candidate } of books) {
      const decision = this.matcher.decide(candidate);
      this.books.add(decision.bookId);
      // Every ISBN of the row that is not the book's own becomes an alternate (the write skips those held).
      for (const isbn of [candidate.isbn13, ...candidate.alternateIsbns])
        if (isbn && (decision.action === 'merge' || isbn !== candidate.isbn13))
          alternates.push({ book_id: decision.bookId, isbn13: isbn });
      if (decision.action === 'create') {
        this.totals.toCreate += 1;
        created.push({ bookId: decision.bookId, record });
        if (titleUnknown(row.book))
          this.problem({
            row: row.row,
            field: 'title',
            reason: `ISBN ${candidate.isbn13} is not in the catalog, so its title is unknown; added as "${candidate.title}"`,
          });
      } else {
        this.totals.toMerge += 1;
        this.totals.mergeCount += 1;
        if (this.totals.merges.length < KEEP) this.totals.merges.push(decision.merge);
        merged.push({ bookId: decision.bookId, record, row: row.row });
      }
      if (row.reading && this.options.reader) {
        const interactions = interactionsOf(this.options.reader.id, decision.bookId, row.reading);
        readings.push({ row: row.row, bookId: decision.bookId, reading: row.reading, interactions });
        if (!this.options.write) this.totals.interactions += interactions.length;
      }
      this.sample({
        row: row.row,
        kind: 'book',
        label: candidate.title,
        authors: record.authors as string[],
        isbn13: candidate.isbn13,
        shelf: row.reading?.shelf ?? null,
        rating: row.reading?.rating ?? null,
        action: decision.action === 'create' ? 'create' : 'merge',
      });
    }
    for (const { row, student } of students)
      this.sample({
        row,
        kind: 'student',
        label: student.name,
        authors: [],
        isbn13: null,
        shelf: null,
        rating: null,
        action: 'create',
      });

    if (!this.options.write) {
      this.totals.toCreate += students.length;
      return;
    }
    const written = await writeBatch(sql, {
      created,
      merged,
      alternates,
      readings,
      students: students.map(({ row, student }) => ({ row, ...studentRecord(student) })),
      readerId: this.options.reader?.id ?? null,
      classId: this.options.classId,
    });
    this.totals.imported += written.imported;
    this.totals.updated += written.updated;
    this.totals.duplicates += written.duplicates;
    this.totals.interactions += written.interactions;
    for (const problem of written.problems) this.problem(problem);
  }

  /** Finishes the pass. */
  finish(): RunTotals {
    this.totals.books = this.books.size;
    return this.totals;
  }

  private sample(row: PreviewRow): void {
    if (this.totals.sample.length < SAMPLE) this.totals.sample.push(row);
  }
}
