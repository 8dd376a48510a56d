/**
 * Property tests for the JSON, generic, roster and ISBN-list parsers and for detection: 10,000 mutated
 * files each never make a parser throw, every row stays well-formed, and chunking never changes the
 * result. (The helpers repeat those of import-fuzz-delimited.test.ts: a test file cannot import another.)
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { isValidIsbn10, isValidIsbn13 } from '../../shared/domain/isbn';
import { detectFormat } from '../../shared/import/detect';
import { createGenericCsvParser, createGenericJsonParser } from '../../shared/import/generic';
import { createIsbnListParser } from '../../shared/import/isbn-list';
import { createLibrarythingParser } from '../../shared/import/librarything';
import { createRosterParser } from '../../shared/import/roster';
import type { ParsedRow, RowParser } from '../../shared/import/types';

const RUNS = 10_000;

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Row numbers ascend; problems name their row, a field and a reason; books and readings are well-formed. */
function checkRows(rows: ParsedRow[]): void {
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

const PIECES = [
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
const insertion = fc.oneof(
  fc.constantFrom(...PIECES, '0', '9', 'X', '-', '/', '.', 'é', '📚', '<br/>', '&amp;', ' '),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const edit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: insertion,
  copy: fc.nat({ max: 3 }),
});

/** A fixture with a few random edits (insertions, deletions, a copied slice), and random chunk cuts. */
function mutated(fixture: string): fc.Arbitrary<{ text: string; cuts: number[] }> {
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

function chunk(text: string, cuts: number[]): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}

function run(make: () => RowParser, chunks: (string | Uint8Array)[]): ParsedRow[] {
  const parser = make();
  return chunks.flatMap((piece) => parser.push(piece)).concat(parser.end());
}

/** The property every parser must keep. */
function survivesMutation(make: () => RowParser, fixture: string): void {
  fc.assert(
    fc.property(mutated(fixture), ({ text, cuts }) => {
      const whole = run(make, [text]);
      checkRows(whole);
      check(isDeepStrictEqual(run(make, chunk(text, cuts)), whole), 'chunking changed the rows');
    }),
    { numRuns: RUNS },
  );
}

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
