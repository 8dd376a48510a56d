import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidIsbn10, isValidIsbn13 } from '../../shared/domain/isbn';
import { normaliseLevelValue } from '../../shared/domain/reading-level';
import { createMarcParser } from '../../shared/import/marc';
import type { ParsedRow } from '../../shared/import/types';
import { join, pad, utf8 } from '../support/bytes';

// Property tests: mutated MARC (bit flips, truncations, inserted and deleted bytes) and mutated MARCXML
// never make the parser throw or hang, and what comes out is always a well-formed list of rows.
// Seeds are fixed so a failure reproduces; fast-check prints the counterexample.

/** A minimal ISO 2709 writer (the full one, with fixtures, is in import-marc.test.ts). */
function marc(fields: [string, string][], charset: 'a' | ' ' = 'a'): Uint8Array {
  const bodies = fields.map(([, body]) => join(utf8(body), Uint8Array.of(0x1e)));
  let offset = 0;
  const directory = fields
    .map(([tag], index) => {
      const entry = `${tag}${pad((bodies[index] as Uint8Array).length, 4)}${pad(offset, 5)}`;
      offset += (bodies[index] as Uint8Array).length;
      return entry;
    })
    .join('');
  const base = 24 + directory.length + 1;
  const leader = `${pad(base + offset + 1, 5)}nam ${charset}22${pad(base, 5)} i 4500`;
  return join(utf8(leader), utf8(directory), Uint8Array.of(0x1e), ...bodies, Uint8Array.of(0x1d));
}

const S = '\x1f';
const BINARY_SEED = join(
  marc([
    ['001', 'ocm37475448'],
    ['008', '980101s1998    nyu    c      000 1 eng d'],
    ['020', `  ${S}a0590353403 (hardcover)`],
    ['020', `  ${S}a9780590353427 (pbk.) :${S}c$6.99`],
    ['100', `1 ${S}aRowling, J. K.,${S}eauthor.`],
    ['245', `10${S}aHarry Potter and the sorcerer's stone /${S}cby J.K. Rowling.`],
    ['264', ` 1${S}aNew York :${S}bArthur A. Levine Books,${S}c1998.`],
    ['300', `  ${S}axi, 309 pages :${S}billustrations ;${S}c24 cm`],
    ['490', `1 ${S}aHarry Potter ;${S}vbk. 1`],
    ['521', `8 ${S}a880L${S}bLexile`],
    ['526', `0 ${S}aAccelerated Reader${S}bMG${S}c5.5${S}d12.0`],
    ['650', ` 0${S}aWizards${S}vFiction.`],
    ['856', `42${S}3Cover image${S}uhttps://covers.example.org/1.jpg`],
  ]),
  utf8('\n'),
  marc([
    ['001', 'koha-2'],
    ['245', `10${S}aEl niño y el búho :${S}bun cuento /`],
    ['100', `1 ${S}aPeña, Matt de la.`],
    ['521', `1 ${S}aAges 9-12.`],
  ]),
  marc(
    [
      ['245', `00${S}aCaf\u00e9 /`],
      ['020', `  ${S}anot-an-isbn`],
    ],
    ' ',
  ),
);

const XML_SEED = `<?xml version="1.0" encoding="UTF-8"?>
<collection xmlns="http://www.loc.gov/MARC21/slim">
  <record>
    <leader>00000nam a2200000 i 4500</leader>
    <controlfield tag="001">ocm37475448</controlfield>
    <controlfield tag="008">980101s1998    nyu    c      000 1 eng d</controlfield>
    <datafield tag="020" ind1=" " ind2=" "><subfield code="a">0590353403 (hardcover)</subfield></datafield>
    <datafield tag="100" ind1="1" ind2=" "><subfield code="a">Rowling, J. K.,</subfield></datafield>
    <datafield tag="245" ind1="1" ind2="0"><subfield code="a">Harry Potter &amp; the stone /</subfield></datafield>
    <datafield tag="526" ind1="0" ind2=" "><subfield code="a">AR</subfield><subfield code="c">5.5</subfield></datafield>
  </record>
  <marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">
    <marc:datafield tag="245" ind1="0" ind2="0"><marc:subfield code="a"><![CDATA[となりのトトロ]]></marc:subfield></marc:datafield>
    <marc:datafield tag="521" ind1="2" ind2=" "><marc:subfield code="a">4-6</marc:subfield></marc:datafield>
  </marc:record>
</collection>
`;

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'duplicate'; at: number; count: number }
  | { kind: 'truncate'; at: number };

const XML_TOKENS = [
  '<',
  '>',
  '/',
  '&',
  '"',
  "'",
  '=',
  ' ',
  '<record>',
  '</record>',
  '<datafield tag="245" ind1="0" ind2="0">',
  '</datafield>',
  '<subfield code="a">',
  '</subfield>',
  '<![CDATA[',
  ']]>',
  '&amp;',
  '&nbsp;',
  '&#0;',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '\u0000',
  '\uFEFF',
  'é',
  '📚',
];

const mutation = (tokens: Uint8Array[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({
      kind: fc.constant('set' as const),
      at: fc.nat(),
      byte: fc.oneof(
        fc.constantFrom(0x1d, 0x1e, 0x1f, 0x30, 0x39, 0x20, 0x0a, 0x00, 0xff, 0xc3, 0x3c),
        fc.nat(255),
      ),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes:
        tokens.length > 0
          ? fc.oneof(fc.uint8Array({ maxLength: 24 }), fc.constantFrom(...tokens))
          : fc.uint8Array({ maxLength: 24 }),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 60 }) }),
    fc.record({
      kind: fc.constant('duplicate' as const),
      at: fc.nat(),
      count: fc.integer({ min: 1, max: 80 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );

function mutate(seed: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes: Uint8Array = seed.slice();
  for (const change of mutations) {
    const at = bytes.length === 0 ? 0 : change.at % bytes.length;
    switch (change.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[at] = (bytes[at] as number) ^ (1 << change.bit);
        break;
      case 'set':
        if (bytes.length > 0) bytes[at] = change.byte;
        break;
      case 'insert':
        bytes = join(bytes.slice(0, at), change.bytes, bytes.slice(at));
        break;
      case 'delete':
        bytes = join(bytes.slice(0, at), bytes.slice(at + change.count));
        break;
      case 'duplicate':
        bytes = join(bytes.slice(0, at + change.count), bytes.slice(at));
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
    }
  }
  return bytes;
}

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
