/**
 * The property harness shared by the import fuzz tests: mutations of a valid fixture (insertions,
 * deletions, copied slices) cut into random chunks, and the checks every parser's output must pass.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { isValidIsbn10, isValidIsbn13 } from '../../shared/domain/isbn';
import type { ParsedRow, RowParser } from '../../shared/import/types';

export const RUNS = 10_000;

export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

export const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Row numbers ascend; problems name their row, a field and a reason; books and readings are well-formed. */
export function checkRows(rows: ParsedRow[]): void {
  let previous = 0;
  for (const row of rows) {
    check(Number.isInteger(row.row) && row.row > previous, `row numbers must ascend: ${String(row.row)}`);
    previous = row.row;
    for (const problem of row.problems) {
      check(problem.row === row.row, 'a problem names its own row');
      check(typeof problem.field === 'string' && problem.field.length > 0, 'a problem names a field');
      check(typeof problem.reason === 'string' && problem.reason.length > 0, 'a problem gives a reason');
    }
    if (row.kind === 'invalid') check(row.problems.length > 0, 'an invalid row says why');
    if (row.kind === 'student') check(row.student.name.length > 0, 'a student has a name');
    if (row.kind !== 'book') continue;
    const { book, reading } = row;
    check(book.title.length > 0, 'a book has a title');
    check(
      book.authors.every((author) => typeof author === 'string' && author.length > 0),
      'authors are names',
    );
    check(
      book.isbn13 === null || isValidIsbn13(book.isbn13),
      `kept an invalid ISBN-13 ${String(book.isbn13)}`,
    );
    check(
      book.isbn10 === null || isValidIsbn10(book.isbn10),
      `kept an invalid ISBN-10 ${String(book.isbn10)}`,
    );
    check(
      book.pages == null || (Number.isInteger(book.pages) && book.pages > 0),
      'pages are a positive integer',
    );
    check(book.seriesIndex == null || Number.isFinite(book.seriesIndex), 'series index is a number');
    if (!reading) continue;
    check(reading.shelf.length > 0, 'a reading has a shelf');
    check(reading.rating === null || (reading.rating >= 0.25 && reading.rating <= 5), 'ratings are 0.25–5');
    check(reading.dateRead === null || DATE.test(reading.dateRead), 'dates are ISO');
    check(reading.dateAdded === null || DATE.test(reading.dateAdded), 'dates are ISO');
  }
}

export const PIECES = [
  '"',
  '""',
  ',',
  ';',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '=',
  '="',
  '#',
  '[',
  ']',
  '{',
  '}',
  ':',
  '|',
  '&',
  '\uFEFF',
];
export const insertion = fc.oneof(
  fc.constantFrom(...PIECES, '0', '9', 'X', '-', '/', '.', 'é', '📚', '<br/>', '&amp;', ' '),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
export const edit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: insertion,
  copy: fc.nat({ max: 3 }),
});

/** A fixture with a few random edits (insertions, deletions, a copied slice), and random chunk cuts. */
export function mutated(fixture: string): fc.Arbitrary<{ text: string; cuts: number[] }> {
  return fc
    .record({ edits: fc.array(edit, { maxLength: 6 }), cuts: fc.array(fc.nat(), { maxLength: 6 }) })
    .map(({ edits, cuts }) => {
      let text = fixture;
      for (const { at, remove, insert, copy } of edits) {
        const position = at % (text.length + 1);
        const piece = copy === 0 ? text.slice(position, position + 40) : insert;
        text = text.slice(0, position) + piece + text.slice(position + (copy === 0 ? 0 : remove));
      }
      return { text, cuts: cuts.map((cut) => cut % (text.length + 1)).sort((left, right) => left - right) };
    });
}

export function chunk(text: string, cuts: number[]): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}

export function run(make: () => RowParser, chunks: (string | Uint8Array)[]): ParsedRow[] {
  const parser = make();
  return chunks.flatMap((piece) => parser.push(piece)).concat(parser.end());
}

/** The property every parser must keep. */
export function survivesMutation(make: () => RowParser, fixture: string): void {
  fc.assert(
    fc.property(mutated(fixture), ({ text, cuts }) => {
      const whole = run(make, [text]);
      checkRows(whole);
      check(isDeepStrictEqual(run(make, chunk(text, cuts)), whole), 'chunking changed the rows');
    }),
    { numRuns: RUNS },
  );
}
