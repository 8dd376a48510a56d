/**
 * A plain list of ISBNs, one a line, as a barcode scanner or a quick note produces it.
 */
import { normaliseIsbn } from '../domain/isbn';
import { addProblem, quote, rowContext, trimEndOf } from './common';
import { createTextDecoder } from './text-decoding';
import { IMPORT_LIMITS, ImportLimitError, formatCount } from './limits';
import type { ParsedRow, RowParser } from './types';

/** Reads one line (1-based `line`) of an ISBN list; null for a blank or comment line. */
function readLine(text: string, line: number): ParsedRow | null {
  // Everything after `#` is a comment; a scanner may add a tab or a comma after the code.
  const value = trimEndOf((text.split('#')[0] ?? '').trim(), ',;\t').trim();
  if (value.length === 0) return null;
  const context = rowContext(line);
  const isbns = normaliseIsbn(value);
  if (!isbns) {
    addProblem(
      context,
      'ISBN',
      `line ${String(line)}: ${quote(value)} is not a valid ISBN-10 or ISBN-13; skipped`,
    );
    return { row: line, kind: 'invalid', problems: context.problems };
  }
  return {
    row: line,
    kind: 'book',
    book: { title: isbns.isbn13, authors: [], isbn13: isbns.isbn13, isbn10: isbns.isbn10, externalIds: {} },
    reading: null,
    problems: [],
  };
}

/**
 * Parses an ISBN list: one ISBN-10 or ISBN-13 a line, with or without hyphens and spaces; blank lines
 * and `#` comments are ignored; rows are numbered by line. The file has no titles, so each book's
 * title is its ISBN-13: the importer treats a title equal to the ISBN-13 as "title unknown" and looks
 * the ISBN up in the catalog first. An invalid ISBN is an `invalid` row whose problem names the line.
 */
export function createIsbnListParser(): RowParser {
  const decoder = createTextDecoder();
  let parts: string[] = [];
  let line = 0;
  let afterCarriageReturn = false;
  let atStart = true;
  let lineLength = 0;
  const keep = (piece: string): void => {
    parts.push(piece);
    lineLength += piece.length;
    if (lineLength > IMPORT_LIMITS.lineCharacters)
      throw new ImportLimitError(
        line + 1,
        'lineCharacters',
        `line ${String(line + 1)} is longer than the limit of ${formatCount(IMPORT_LIMITS.lineCharacters)} characters`,
      );
  };
  const finishLine = (rows: ParsedRow[]): void => {
    line += 1;
    const row = readLine(parts.join(''), line);
    parts = [];
    lineLength = 0;
    if (row) rows.push(row);
  };
  // Scans by hand rather than splitting, so a line end split across chunks ("\r" | "\n") counts once.
  const read = (text: string, final: boolean): ParsedRow[] => {
    const rows: ParsedRow[] = [];
    let start = 0;
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    for (let index = start; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        if (code === 0x0a) {
          start = index + 1;
          continue;
        }
      }
      if (code === 0x0d || code === 0x0a) {
        keep(text.slice(start, index));
        finishLine(rows);
        start = index + 1;
        afterCarriageReturn = code === 0x0d;
      }
    }
    if (start < text.length) keep(text.slice(start));
    if (final && parts.some((part) => part.length > 0)) finishLine(rows);
    return rows;
  };
  return {
    push(chunk) {
      return read(typeof chunk === 'string' ? chunk : decoder.decode(chunk), false);
    },
    end() {
      return read(decoder.end(), true);
    },
  };
}
