/**
 * Property tests for the CSV tokenizer and the delimited export parsers: 10,000 mutated files each
 * never make a parser throw, every row stays well-formed, and chunking never changes the result.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { createCalibreParser } from '../../shared/import/calibre';
import { createCsvTokenizer } from '../../shared/import/csv';
import { createGoodreadsParser } from '../../shared/import/goodreads';
import { createLibrarythingParser } from '../../shared/import/librarything';
import { createStorygraphParser } from '../../shared/import/storygraph';
import { CALIBRE, GOODREADS, LIBRARYTHING, STORYGRAPH } from '../support/import-fixtures';
import { RUNS, check, mutated, chunk, run, survivesMutation } from '../support/import-fuzz';

describe('CSV tokenizer properties', () => {
  it('reads back any records written with RFC 4180 quoting, however the text is chunked', () => {
    const field = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('"', ',', '\r\n', '\n', '\r', ' a ', '""'),
    );
    const records = fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { maxLength: 6 });
    fc.assert(
      fc.property(records, fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (rows, cuts, crlf) => {
        const quoteField = (value: string): string =>
          /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
        const text = rows.map((row) => `${row.map(quoteField).join(',')}${crlf ? '\r\n' : '\n'}`).join('');
        const tokenizer = createCsvTokenizer(',');
        const positions = cuts.map((cut) => cut % (text.length + 1)).sort((left, right) => left - right);
        const read = chunk(text, positions).flatMap((piece) => tokenizer.push(piece));
        read.push(...tokenizer.end());
        check(isDeepStrictEqual(read, rows), 'records did not read back');
        check(tokenizer.unterminatedRecord === null, 'no quote is left open');
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on mutated text and gives the same records however it is chunked', () => {
    fc.assert(
      fc.property(mutated(GOODREADS), fc.constantFrom(',', ';', '\t'), ({ text, cuts }, delimiter) => {
        const whole = createCsvTokenizer(delimiter);
        const expected = whole.push(text).concat(whole.end());
        const split = createCsvTokenizer(delimiter);
        const actual = chunk(text, cuts).flatMap((piece) => split.push(piece));
        actual.push(...split.end());
        check(isDeepStrictEqual(actual, expected), 'chunking changed the records');
        check(whole.unterminatedRecord === split.unterminatedRecord, 'chunking changed the open quote');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('delimited parsers never throw on mutated exports', () => {
  it('Goodreads', () => survivesMutation(() => createGoodreadsParser(), GOODREADS));
  it('StoryGraph', () => survivesMutation(() => createStorygraphParser(), STORYGRAPH));
  it('Calibre', () => survivesMutation(() => createCalibreParser(), CALIBRE));
  it('LibraryThing TSV', () => survivesMutation(() => createLibrarythingParser(), LIBRARYTHING));

  it('reads UTF-8 bytes split anywhere as it reads the decoded text', () => {
    fc.assert(
      fc.property(mutated(GOODREADS), ({ text, cuts }) => {
        const bytes = new TextEncoder().encode(text);
        const pieces = [0, ...cuts.map((cut) => cut % (bytes.length + 1)), bytes.length].sort(
          (left, right) => left - right,
        );
        const chunks = pieces.slice(1).map((end, index) => bytes.subarray(pieces[index], end));
        const expected = run(() => createGoodreadsParser(), [new TextDecoder().decode(bytes)]);
        check(
          isDeepStrictEqual(
            run(() => createGoodreadsParser(), chunks),
            expected,
          ),
          'bytes read differently',
        );
      }),
      { numRuns: 1_000 },
    );
  });
});
