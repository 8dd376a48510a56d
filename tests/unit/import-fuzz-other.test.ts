/**
 * Property tests for the JSON, generic, roster and ISBN-list parsers and for detection: 10,000 mutated
 * files each never make a parser throw, every row stays well-formed, and chunking never changes the
 * result. (The helpers repeat those of import-fuzz-delimited.test.ts: a test file cannot import another.)
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { detectFormat } from '../../shared/import/detect';
import { createGenericCsvParser, createGenericJsonParser } from '../../shared/import/generic';
import { createIsbnListParser } from '../../shared/import/isbn-list';
import { createLibrarythingParser } from '../../shared/import/librarything';
import { createRosterParser } from '../../shared/import/roster';
import { GENERIC_CSV, GENERIC_JSON, ISBN_LIST, LIBRARYTHING_JSON, ROSTER } from '../support/import-fixtures';
import { RUNS, check, checkRows, mutated, chunk, run, survivesMutation } from '../support/import-fuzz';

describe('other parsers never throw on mutated files', () => {
  it('LibraryThing JSON', () => survivesMutation(() => createLibrarythingParser(), LIBRARYTHING_JSON));
  it('generic CSV', () => survivesMutation(() => createGenericCsvParser(), GENERIC_CSV));
  it('generic JSON', () => survivesMutation(() => createGenericJsonParser(), GENERIC_JSON));
  it('roster', () => survivesMutation(() => createRosterParser(), ROSTER));
  it('ISBN list', () => survivesMutation(() => createIsbnListParser(), ISBN_LIST));
});

describe('JSON parsers never throw on records of any shape', () => {
  const keys = [
    ...[
      'title',
      'authors',
      'author',
      'isbn',
      'ean',
      'pages',
      'date',
      'rating',
      'tags',
      'collections',
      'subject',
    ],
    ...[
      'genre',
      'language',
      'books_id',
      'primaryauthor',
      'entrydate',
      'datefinished',
      'lexile',
      'status',
      'series',
    ],
  ];
  const record = fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });
  const file = fc.oneof(
    fc.array(fc.oneof(record, fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 4 }), record, { maxKeys: 5 }),
  );
  for (const [name, make] of [
    ['LibraryThing JSON', () => createLibrarythingParser()],
    ['generic JSON', () => createGenericJsonParser()],
  ] as const)
    it(name, () => {
      fc.assert(
        fc.property(file, fc.array(fc.nat(), { maxLength: 4 }), (data, cuts) => {
          const text = JSON.stringify(data);
          const whole = run(make, [text]);
          checkRows(whole);
          const positions = cuts.map((cut) => cut % (text.length + 1)).sort((left, right) => left - right);
          check(isDeepStrictEqual(run(make, chunk(text, positions)), whole), 'chunking changed the rows');
        }),
        { numRuns: 1_500 },
      );
    });
});

describe('detectFormat never throws', () => {
  const fixtures = [
    LIBRARYTHING_JSON,
    GENERIC_CSV,
    GENERIC_JSON,
    ROSTER,
    ISBN_LIST,
    '00714cam a2200205 a 4500',
  ];
  it('on mutated heads of every format, as text or bytes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures).chain((fixture) => mutated(fixture)),
        fc.boolean(),
        ({ text }, asBytes) => {
          const detection = detectFormat(asBytes ? new TextEncoder().encode(text) : text);
          check(detection.ok || detection.reason.length > 0, 'a failed detection says why');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const detection = detectFormat(bytes);
        check(detection.ok || detection.reason.length > 0, 'a failed detection says why');
      }),
      { numRuns: RUNS },
    );
  });
});
