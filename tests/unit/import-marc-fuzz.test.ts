import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidIsbn10, isValidIsbn13 } from '../../shared/domain/isbn';
import { normaliseLevelValue } from '../../shared/domain/reading-level';
import { createMarcParser } from '../../shared/import/marc';
import type { ParsedRow } from '../../shared/import/types';
import { utf8 } from '../support/bytes';
import { MARC_BINARY as BINARY_SEED, MARC_XML as XML_SEED } from '../support/import-fixtures';
import { XML_TOKENS, mutate, mutation } from '../support/marc-mutations';

// Property tests: mutated MARC (bit flips, truncations, inserted and deleted bytes) and mutated MARCXML
// never make the parser throw or hang, and what comes out is always a well-formed list of rows.
// Seeds are fixed so a failure reproduces; fast-check prints the counterexample.

function parse(chunks: Uint8Array[]): ParsedRow[] {
  const parser = createMarcParser();
  const rows: ParsedRow[] = [];
  for (const chunk of chunks) rows.push(...parser.push(chunk));
  return [...rows, ...parser.end()];
}

const isText = (value: unknown): boolean => typeof value === 'string' && !/[\uD800-\uDFFF]/u.test(value);

/**
 * Everything a consumer relies on: numbering, shapes, checked ISBNs and levels, sane numbers. Plain
 * checks (one `expect` per file) keep 10,000+ runs fast; the message names the broken rule.
 */
function expectWellFormed(rows: ParsedRow[], inputLength: number): void {
  const broken: string[] = [];
  const check = (ok: boolean, rule: string, row: ParsedRow | null): void => {
    if (!ok) broken.push(`${rule}: ${JSON.stringify(row)}`);
  };
  check(rows.length <= inputLength + 1, 'at most one row per byte', null);
  rows.forEach((row, index) => {
    check(row.row === index + 1, 'rows numbered from 1 in order', row);
    check(row.kind === 'book' || row.kind === 'invalid', 'kind is book or invalid', row);
    for (const problem of row.problems) {
      check(problem.row === row.row, 'problem carries its row', row);
      check(problem.field.length > 0, 'problem names a field', row);
      check(isText(problem.reason) && problem.reason.length > 0, 'problem has a reason', row);
    }
    check(JSON.stringify(JSON.parse(JSON.stringify(row))) === JSON.stringify(row), 'row is plain JSON', row);
    if (row.kind === 'invalid') check(row.problems.length > 0, 'an invalid row says why', row);
    if (row.kind !== 'book') return;
    const { book } = row;
    check(row.reading === null, 'MARC has no reading', row);
    check(isText(book.title), 'title is text', row);
    check(book.title !== '' || book.isbn13 !== null, 'a book has a title or an ISBN', row);
    check(
      book.authors.every((author) => isText(author) && author.length > 0),
      'authors are non-empty text',
      row,
    );
    check(book.isbn13 === null || isValidIsbn13(book.isbn13), 'isbn13 is checked', row);
    check(book.isbn10 === null || isValidIsbn10(book.isbn10), 'isbn10 is checked', row);
    check(Object.values(book.externalIds).every(isText), 'ids are text', row);
    check(
      [...(book.subjects ?? []), ...(book.contentWarnings ?? [])].every(
        (item) => isText(item) && item.length > 0,
      ),
      'subjects and warnings are non-empty text',
      row,
    );
    check(
      [book.pages, book.year, book.seriesIndex, book.interestAgeMin, book.interestAgeMax].every(
        (value) => value === undefined || value === null || (Number.isFinite(value) && value >= 0),
      ),
      'numbers are finite and not negative',
      row,
    );
    check(
      typeof book.interestAgeMin !== 'number' ||
        typeof book.interestAgeMax !== 'number' ||
        book.interestAgeMin <= book.interestAgeMax,
      'interest ages are ordered',
      row,
    );
    if (book.readingLevel) {
      const checked = normaliseLevelValue(book.readingLevel.system, book.readingLevel.value);
      check(checked.ok && checked.value === book.readingLevel.value, 'reading level is canonical', row);
    }
    check(
      book.interestLevel === undefined ||
        book.interestLevel === null ||
        ['LG', 'MG', 'MG+', 'UG', 'adult'].includes(book.interestLevel),
      'interest level is known',
      row,
    );
  });
  expect(broken).toEqual([]);
}

/** Splits `bytes` at the given cut points (taken modulo the length). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => (bytes.length === 0 ? 0 : cut % bytes.length)))].sort(
    (a, b) => a - b,
  );
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.slice(from, point));
    from = point;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

const xmlTokens = XML_TOKENS.map(utf8);
let slowest = 0;
const timed = (run: () => ParsedRow[]): ParsedRow[] => {
  const started = performance.now();
  const rows = run();
  slowest = Math.max(slowest, performance.now() - started);
  return rows;
};

describe('MARC parser: property tests', () => {
  it('the seeds parse cleanly', () => {
    expect(parse([BINARY_SEED]).map((row) => row.kind)).toEqual(['book', 'book', 'book']);
    expect(parse([utf8(XML_SEED)]).map((row) => row.kind)).toEqual(['book', 'book']);
  });

  it('never throws on 6,000 mutated binary files, and rows stay well-formed', () => {
    fc.assert(
      fc.property(fc.array(mutation([]), { minLength: 1, maxLength: 6 }), (mutations) => {
        const input = mutate(BINARY_SEED, mutations);
        expectWellFormed(
          timed(() => parse([input])),
          input.length,
        );
      }),
      { numRuns: 6_000, seed: 2709 },
    );
    expect(slowest).toBeLessThan(2_000);
  });

  it('never throws on 4,500 mutated MARCXML files, and rows stay well-formed', () => {
    const seed = utf8(XML_SEED);
    fc.assert(
      fc.property(fc.array(mutation(xmlTokens), { minLength: 1, maxLength: 6 }), (mutations) => {
        const input = mutate(seed, mutations);
        expectWellFormed(
          timed(() => parse([input])),
          input.length,
        );
      }),
      { numRuns: 4_500, seed: 21 },
    );
    expect(slowest).toBeLessThan(2_000);
  });

  it('never throws on arbitrary bytes or text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 3_000 }),
          fc.string({ unit: 'binary', maxLength: 1_000 }).map(utf8),
        ),
        (input) => {
          expectWellFormed(
            timed(() => parse([input])),
            input.length,
          );
        },
      ),
      { numRuns: 1_000, seed: 8 },
    );
  });

  it('gives the same rows for a mutated file however it is split into chunks', () => {
    const seeds = [BINARY_SEED, utf8(XML_SEED)];
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1),
        fc.array(mutation(xmlTokens), { minLength: 0, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (which, mutations, cuts) => {
          const input = mutate(seeds[which] as Uint8Array, mutations);
          // saxes notices some errors (text outside the root) only when the text ends, so the position
          // it reports depends on where a chunk ended; everything else must be equal.
          const unplaced = (rows: ParsedRow[]) =>
            JSON.parse(JSON.stringify(rows).replace(/line \d+, column \d+/g, 'line _, column _')) as unknown;
          expect(unplaced(parse(split(input, cuts)))).toEqual(unplaced(parse([input])));
        },
      ),
      { numRuns: 1_500, seed: 1998 },
    );
  });
});
