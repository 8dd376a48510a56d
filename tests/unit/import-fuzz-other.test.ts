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
import { RUNS, check, checkRows, mutated, chunk, run, survivesMutation } from '../support/import-fuzz';

const LIBRARYTHING_JSON = JSON.stringify({
  '301': {
    books_id: '301',
    title: 'Dune',
    primaryauthor: 'Herbert, Frank',
    authors: [{ lf: 'Herbert, Frank', fl: 'Frank Herbert' }],
    isbn: { '0': '0441172717', '2': '9780441172719' },
    date: '1965',
    pages: '535 ',
    subject: [['Arrakis', 'Fiction']],
    tags: ['sf'],
    collections: ['Your library'],
    rating: 4.5,
    entrydate: '2018-05-06',
    datefinished: '2019-01-02',
  },
  '302': { books_id: '302', title: 'Le Petit Prince', isbn: ['9782070612758'], collections: ['To read'] },
});
const GENERIC_CSV = [
  'Book Title;Author(s);ISBN-13;Genre;AR Level;Stars;Series;Series #;Date Finished;Status;Copies',
  'Wonder;R. J. Palacio;978-0-375-86902-0;Realistic fiction|Friendship;4.8;5;;;2024-03-01;finished;2',
  '"Harry Potter à l\'école";Rowling, J. K.;9782070584628;Fantasy;5.5;;Harry Potter;1;;want to read;1',
].join('\r\n');
const GENERIC_JSON = JSON.stringify([
  {
    title: 'Matilda',
    authors: ['Roald Dahl'],
    isbn: '9780142410370',
    tags: ['classic'],
    lexile: '840L',
    rating: 4,
  },
  {
    title: 'Esio Trot',
    authors: 'Dahl, Roald',
    pages: 64,
    series: 'Dahl',
    seriesIndex: '#2',
    status: 'reading',
  },
]);
const ROSTER = [
  'First Name,Last Name,Grade,Age,Lexile,Interests,Homeroom',
  'Amélie,Dubois,3rd,8,650,"dragons, soccer; space",Room 12',
  '"Nguyen, Minh",,K,5,BR100L,,Room 4',
].join('\r\n');
const ISBN_LIST = '# shelf 3\r\n978-0-439-02348-1\r\n\r\n0439023483 # dup\r\n080442957x\r9791032305690\n';

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
