/**
 * Helpers every import parser shares: a row's problems, and reading text, dates, numbers and ratings
 * out of cells while recording what was wrong with them (ISBNs: ./isbn-cells; names: ./author-names).
 * Nothing here throws on data, and no pattern here backtracks over a run of characters (a cell may be
 * megabytes of spaces or commas).
 */
import type { ImportedBook, ImportedReading, ParsedRow, RowProblem } from './types';

/** The row being read and the problems found in it so far. */
export interface RowContext {
  row: number;
  problems: RowProblem[];
}

/** Starts a row's context. */
export function rowContext(row: number): RowContext {
  return { row, problems: [] };
}

/** Records a problem with `field` of the current row. */
export function addProblem(context: RowContext, field: string, reason: string): void {
  context.problems.push({ row: context.row, field: field || '(unnamed column)', reason });
}

/** Quotes a value for a problem message, shortened so a huge cell cannot flood the preview. */
export function quote(raw: string): string {
  const text = raw.trim();
  return `'${text.length > 60 ? `${text.slice(0, 57)}…` : text}'`;
}

/** Lower-cased, trimmed, inner whitespace collapsed: how headers and keys are compared. */
export function normaliseName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

/** One line of text: runs of whitespace (embedded newlines included) become one space. */
export function oneLine(raw: string): string {
  // Most cells have no whitespace to collapse; testing first saves building a new string.
  return (/[^\S ]| {2}/.test(raw) ? raw.replace(/\s+/g, ' ') : raw).trim();
}

/** Text that may span lines (reviews): line ends become `\n`, outer whitespace goes; null when empty. */
export function multiLine(raw: string): string | null {
  const text = raw.replace(/\r\n?/g, '\n').trim();
  return text.length > 0 ? text : null;
}

/** Drops LibraryThing's `[…]` wrapper around a whole value. */
export function stripBrackets(raw: string): string {
  const text = raw.trim();
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1).trim() : text;
}

/** Drops the given characters from the end of `text` (a loop: a regex like `[,;]+$` backtracks). */
export function trimEndOf(text: string, characters: string): string {
  let end = text.length;
  while (end > 0 && characters.includes(text[end - 1] as string)) end -= 1;
  return text.slice(0, end);
}

/** Trims each item to one line and drops empty ones and repeats (case-insensitive, first spelling kept). */
export function mergeLists(...lists: string[][]): string[] {
  if (lists.every((list) => list.length === 0)) return [];
  const seen = new Set<string>();
  const result: string[] = [];
  for (const item of lists.flat()) {
    const text = oneLine(item);
    const key = text.toLowerCase();
    if (text.length === 0 || seen.has(key)) continue;
    seen.add(key);
    result.push(text);
  }
  return result;
}

/** Splits on `separator`, then as {@link mergeLists}. */
export function splitList(raw: string, separator: RegExp): string[] {
  return mergeLists(raw.split(separator));
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isoFromParts(year: number, month: number, day: number): string | null {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const limit = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > limit) return null;
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Reads a calendar date as written: `2023/01/05`, `2023-01-05`, `2023-01-05T04:00:00+00:00` (the date
 * part is kept as written: a date is a date, never shifted by a time zone), or `1/5/2023` as Excel
 * writes dates after re-saving an export. A day/month/year order is accepted when the first number is
 * over 12; otherwise month/day/year is assumed, as Excel in the US (where Goodreads exports are most
 * often re-saved) writes it. Returns `undefined` for an empty value and `null` for an unreadable one.
 */
export function parseIsoDate(raw: string): string | null | undefined {
  const text = stripBrackets(raw).trim();
  if (text.length === 0) return undefined;
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$/.exec(text);
  if (ymd) return isoFromParts(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const other = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:\s.*)?$/.exec(text);
  if (other) {
    const first = Number(other[1]);
    const second = Number(other[2]);
    const year = Number(other[3]);
    return first > 12 ? isoFromParts(year, second, first) : isoFromParts(year, first, second);
  }
  return null;
}

/** A date cell as ISO `YYYY-MM-DD`, or null (with a problem when the cell had something unreadable). */
export function readDate(context: RowContext, field: string, raw: string): string | null {
  const date = parseIsoDate(raw);
  if (date === null) addProblem(context, field, `${quote(raw)} is not a date (YYYY/MM/DD); left empty`);
  return date ?? null;
}

/**
 * A whole number in [min, max]: `374`, `1,024`, `374 pages`, `3.0`. Null when empty, or (with a problem)
 * when it is not such a number.
 */
export function readInteger(
  context: RowContext,
  field: string,
  raw: string,
  range: { min: number; max: number },
): number | null {
  const text = stripBrackets(raw).trim();
  if (text.length === 0) return null;
  const match = /^[+]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?(?:\s*(?:p\.?|pp\.?|pages?))?$/i.exec(text);
  const value = match ? Number((match[1] as string).replace(/,/g, '')) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    addProblem(
      context,
      field,
      `${quote(raw)} is not a whole number from ${String(range.min)} to ${String(range.max)}; left empty`,
    );
    return null;
  }
  return value;
}

/** A decimal number (`1.5`, `2`), or null when empty or unreadable (with a problem). */
export function readDecimal(context: RowContext, field: string, raw: string): number | null {
  const text = raw.trim();
  if (text.length === 0) return null;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    addProblem(context, field, `${quote(raw)} is not a number; left empty`);
    return null;
  }
  return Number(text);
}

/** A position in a series (`1`, `2.5`, `#3`), or null when empty or not a number ≥ 0 (with a problem). */
export function readSeriesIndex(context: RowContext, field: string, raw: string): number | null {
  const value = readDecimal(context, field, raw.trim().replace(/^#\s*/, ''));
  if (value === null || value >= 0) return value;
  addProblem(context, field, `${quote(raw)} is not a position in a series; left empty`);
  return null;
}

/**
 * A year: `2008`, `-800` (Goodreads writes ancient works so), or the year of a date, or the only
 * four-digit number in text such as `c2008` or `Sept. 2008`. Null when empty or unreadable (with a problem).
 */
export function readYear(context: RowContext, field: string, raw: string): number | null {
  const text = stripBrackets(raw).trim();
  if (text.length === 0) return null;
  if (/^-?\d{1,4}$/.test(text)) return Number(text);
  const date = parseIsoDate(text);
  if (date) return Number(date.slice(0, 4));
  const years = text.match(/(?<!\d)\d{4}(?!\d)/g);
  if (years && years.length === 1) return Number(years[0]);
  addProblem(context, field, `${quote(raw)} is not a year; left empty`);
  return null;
}

/**
 * A rating on a scale whose top is `outOf` (5 for stars, 10 for Calibre), as 0.25–5 stars. 0 means
 * unrated (Goodreads, Calibre) and gives null, as does an empty cell; anything else out of range is a
 * problem.
 */
export function readRating(context: RowContext, field: string, raw: string, outOf = 5): number | null {
  const text = stripBrackets(raw).trim();
  if (text.length === 0) return null;
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (value === 0) return null;
  const stars = (value * 5) / outOf;
  if (!(stars >= 0.25 && stars <= 5)) {
    addProblem(context, field, `${quote(raw)} is not a rating from 0 to ${String(outOf)}; left empty`);
    return null;
  }
  return Math.round(stars * 100) / 100;
}

/** A Yes/No cell as a copies count: yes → 1, no → 0, empty → null; anything else is a problem. */
export function readOwned(context: RowContext, field: string, raw: string): number | null {
  const text = raw.trim().toLowerCase();
  if (text.length === 0) return null;
  if (['yes', 'y', 'true', '1', 'owned'].includes(text)) return 1;
  if (['no', 'n', 'false', '0'].includes(text)) return 0;
  return readInteger(context, field, raw, { min: 0, max: 100_000 });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * HTML (Calibre comments, Goodreads reviews) as plain text: block tags and `<br>` become line
 * breaks, other tags go, common entities are decoded. Only things shaped like tags are removed, so
 * plain text such as `a < b` survives.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<\s*br\s*\/?\s*>/gi, '\n')
    .replace(/<\s*\/\s*(p|div|li|h[1-6])\s*>/gi, '\n')
    .replace(/<\/?[a-z][a-z0-9]*(\s[^<>]*)?\/?>/gi, '')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (entity: string, name: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith('#')) {
        const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return ENTITIES[lower] ?? entity;
    })
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Finishes a book row. A book with neither a title nor a valid ISBN is `invalid`. A book with an ISBN
 * but no title gets its ISBN-13 as the title: the importer treats a title equal to the ISBN-13 as
 * "title unknown" and looks it up in the catalog first.
 */
export function bookRow(
  context: RowContext,
  book: ImportedBook,
  reading: ImportedReading | null,
  titleField: string,
): ParsedRow {
  if (book.title.length === 0 && book.isbn13 === null) {
    addProblem(context, titleField, 'the row has no title and no valid ISBN; skipped');
    return { row: context.row, kind: 'invalid', problems: context.problems };
  }
  const title = book.title.length > 0 ? book.title : (book.isbn13 as string);
  return { row: context.row, kind: 'book', book: { ...book, title }, reading, problems: context.problems };
}

/**
 * Normalises an exclusive shelf or reading status: `Read`, `currently_reading`, `To Read`,
 * `did not finish` become the standard names; anything else is a custom shelf, kept as written.
 */
export function normaliseShelf(raw: string): string {
  const text = oneLine(raw);
  const key = text.toLowerCase().replace(/[\s_]+/g, '-');
  return ['read', 'currently-reading', 'to-read', 'did-not-finish'].includes(key) ? key : text;
}

/**
 * Reads a status from a generic file, where people write it many ways: `finished`, `reading`,
 * `want to read`, `TBR`, `DNF`, `abandoned`… Unknown values are kept as written.
 */
export function guessShelf(raw: string): string {
  const shelf = normaliseShelf(raw);
  const key = shelf.toLowerCase().replace(/[\s_]+/g, '-');
  if (['finished', 'done', 'completed', 'yes'].includes(key)) return 'read';
  if (['reading', 'in-progress', 'current', 'started'].includes(key)) return 'currently-reading';
  if (['want-to-read', 'tbr', 'to-be-read', 'wishlist', 'want', 'unread', 'no'].includes(key))
    return 'to-read';
  if (['dnf', 'abandoned', 'gave-up'].includes(key)) return 'did-not-finish';
  return shelf;
}
