/**
 * From a parsed row's book to a validated book record. The contract's zod schema checks it (loaded on
 * the first import only: the db worker does not pay zod's start-up cost otherwise); a field the schema
 * refuses becomes a row problem and is left out, and the rest of the book still imports.
 */
import type { RowProblem } from '../../../shared/contract/imports';
import type * as SchemasModule from '../../../shared/contract/schemas';
import type { BookInput } from '../../../shared/contract/schemas';
import type { ImportedBook } from '../../../shared/import/types';
import { type BookRecord, toRecord } from '../handlers/books';

type Schemas = typeof SchemasModule;
let schemas: Schemas | null = null;

/** Loads the validation schemas (once). */
export async function loadSchemas(): Promise<void> {
  schemas ??= await import('../../../shared/contract/schemas');
}

/** True when the row knows only the ISBN (an ISBN list puts it in the title; MARC may have no 245). */
export function titleUnknown(book: ImportedBook): boolean {
  return book.isbn13 !== null && (book.title === book.isbn13 || book.title.trim() === '');
}

const NOT_NULL = new Set(['authors', 'externalIds', 'subjects', 'tags', 'contentWarnings', 'ownedCopies']);

function toInput(book: ImportedBook): BookInput {
  const input: Record<string, unknown> = {
    title: book.title,
    authors: book.authors,
    isbn13: book.isbn13,
    isbn10: book.isbn13 ? null : book.isbn10,
    externalIds: book.externalIds,
    subtitle: book.subtitle,
    description: book.description,
    subjects: book.subjects,
    tags: book.tags,
    pages: book.pages,
    language: book.language,
    publisher: book.publisher,
    year: book.year,
    series: book.series,
    seriesIndex: book.seriesIndex,
    coverUrl: book.coverUrl,
    readingLevel: book.readingLevel ? { ...book.readingLevel, source: 'known' } : book.readingLevel,
    interestAgeMin: book.interestAgeMin,
    interestAgeMax: book.interestAgeMax,
    interestLevel: book.interestLevel,
    contentWarnings: book.contentWarnings,
    ownedCopies: book.ownedCopies,
  };
  // Lists and counts are "absent", not null, in the contract.
  for (const key of Object.keys(input))
    if (input[key] === undefined || (input[key] === null && NOT_NULL.has(key))) delete input[key];
  return input as BookInput;
}

/**
 * Validates `book` from file row `row`. Returns the record (or null when even the title is unusable)
 * and the problems found; fields that fail are dropped one by one until the rest validates.
 */
export function validateBook(
  book: ImportedBook,
  row: number,
): { record: BookRecord | null; problems: RowProblem[] } {
  if (!schemas) throw new Error('validateBook before loadSchemas');
  const problems: RowProblem[] = [];
  const input = toInput(book) as Record<string, unknown>;
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const parsed = schemas.bookInputSchema.safeParse(input);
    if (parsed.success) return { record: toRecord(parsed.data, `row ${row}`), problems };
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'title');
    if (field === 'title' || !(field in input)) {
      problems.push({
        row,
        field: 'title',
        reason: `the book has no usable title (${issue?.message ?? 'invalid'}); row skipped`,
      });
      return { record: null, problems };
    }
    problems.push({ row, field, reason: `${issue?.message ?? 'invalid'}; imported without it` });
    delete input[field];
  }
  return { record: null, problems };
}
