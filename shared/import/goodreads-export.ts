/**
 * Writes books and readings as a Goodreads export, the one CSV layout every reading site imports
 * (Goodreads, StoryGraph, LibraryThing…). Reading it back with `createGoodreadsParser` gives the same
 * books, shelves, ratings and dates.
 */
import { csvLine } from '../domain/csv-cell';
import { toLastFirst } from './author-names';
import { GOODREADS_COLUMNS } from './goodreads';
import type { ImportedBook, ImportedReading } from './types';

/** `2023-01-05` → `2023/01/05`, as Goodreads writes dates. */
const slashDate = (date: string | null): string => (date ? date.replace(/-/g, '/') : '');

/** A number as text, or '' when absent. */
const number = (value: number | null | undefined): string =>
  value === null || value === undefined ? '' : String(value);

/**
 * The title as Goodreads writes it, with the series in parentheses (`Title (Series, #1)`). A series
 * without a position cannot be written so that it reads back, so it is left out.
 */
function titleWithSeries(book: ImportedBook): string {
  if (!book.series || book.seriesIndex === null || book.seriesIndex === undefined) return book.title;
  return `${book.title} (${book.series}, #${String(book.seriesIndex)})`;
}

/** Reviews are HTML in a Goodreads export: escape the text and mark its line breaks. */
function reviewHtml(review: string | null): string {
  if (!review) return '';
  return review
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n?|\n/g, '<br/>');
}

/**
 * Writes the entries as the current 24-column Goodreads CSV: ISBNs Excel-escaped (`="0439023483"`),
 * dates `YYYY/MM/DD`, "My Rating" a whole number of stars (0 when unrated; quarter stars round to the
 * nearest star, at least 1), the year as both "Year Published" and "Original Publication Year", a read
 * count of 1 for read books and 0 otherwise when it is unknown, CRLF line ends. As Goodreads does,
 * "Bookshelves" lists the exclusive shelf too unless it is `read`.
 */
export function toGoodreadsCsv(entries: { book: ImportedBook; reading: ImportedReading }[]): string {
  const lines = [csvLine(GOODREADS_COLUMNS)];
  for (const { book, reading } of entries) {
    const [author = '', ...additional] = book.authors;
    const shelves = reading.shelf === 'read' ? reading.shelves : [reading.shelf, ...reading.shelves];
    const rating = reading.rating === null ? 0 : Math.max(1, Math.min(5, Math.round(reading.rating)));
    const year = number(book.year);
    const values = [
      book.externalIds.goodreads ?? '',
      titleWithSeries(book),
      author,
      author ? toLastFirst(author) : '',
      additional.join(', '),
      // Plain digits, not Goodreads' `="…"`: that is a formula, and every CSV Lumin writes is formula-free.
      book.isbn10 ?? '',
      book.isbn13 ?? '',
      String(rating),
      '',
      book.publisher ?? '',
      '',
      number(book.pages),
      year,
      year,
      slashDate(reading.dateRead),
      slashDate(reading.dateAdded),
      shelves.join(', '),
      shelves.map((shelf, index) => `${shelf} (#${String(index + 1)})`).join(', '),
      reading.shelf,
      reviewHtml(reading.review),
      '',
      '',
      number(reading.readCount ?? (reading.shelf === 'read' ? 1 : 0)),
      number(reading.ownedCopies ?? book.ownedCopies ?? 0),
    ];
    lines.push(csvLine(values));
  }
  return `${lines.join('\r\n')}\r\n`;
}
