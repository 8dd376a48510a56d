import { describe, expect, it } from 'vitest';
import { createMarcParser } from '../../shared/import/marc';
import type { ImportedBook, ParsedRow } from '../../shared/import/types';
import { join, pad, utf8 } from '../support/bytes';

// --- A small MARC 21 (ISO 2709) writer, so fixtures are real records with computed offsets. ---

type Value = string | Uint8Array;
type Field = { tag: string; data: Value } | { tag: string; ind: string; subfields: [string, Value][] };

const bytesOf = (value: Value): Uint8Array => (typeof value === 'string' ? utf8(value) : value);

function control(tag: string, data: Value): Field {
  return { tag, data };
}
function data(tag: string, ind: string, ...subfields: [string, Value][]): Field {
  return { tag, ind, subfields };
}

/** Builds one binary record; `charset` is leader/09 ('a' UTF-8, ' ' MARC-8). */
function marc(fields: Field[], options: { charset?: 'a' | ' '; type?: string } = {}): Uint8Array {
  const bodies = fields.map((field) =>
    'data' in field
      ? join(bytesOf(field.data), Uint8Array.of(0x1e))
      : join(
          utf8(field.ind),
          ...field.subfields.map(([code, value]) => join(Uint8Array.of(0x1f), utf8(code), bytesOf(value))),
          Uint8Array.of(0x1e),
        ),
  );
  let offset = 0;
  const directory = fields
    .map((field, index) => {
      const length = (bodies[index] as Uint8Array).length;
      const entry = `${field.tag}${pad(length, 4)}${pad(offset, 5)}`;
      offset += length;
      return entry;
    })
    .join('');
  const base = 24 + directory.length + 1;
  const length = base + offset + 1;
  const leader = `${pad(length, 5)}n${options.type ?? 'am'} ${options.charset ?? 'a'}22${pad(base, 5)} i 4500`;
  return join(utf8(leader), utf8(directory), Uint8Array.of(0x1e), ...bodies, Uint8Array.of(0x1d));
}

/** A 40-character 008 for books. */
function fixed(
  options: { date1?: string; date2?: string; type?: string; audience?: string; lang?: string } = {},
) {
  const chars = '250101s2005    nyu           000 1 eng d'.split('');
  const put = (at: number, text: string) =>
    text.split('').forEach((char, index) => (chars[at + index] = char));
  put(6, options.type ?? 's');
  put(7, options.date1 ?? '2005');
  put(11, options.date2 ?? '    ');
  put(22, options.audience ?? ' ');
  put(35, options.lang ?? 'eng');
  return control('008', chars.join(''));
}

function parseAll(input: Uint8Array | string): ParsedRow[] {
  const parser = createMarcParser();
  return [...parser.push(input), ...parser.end()];
}

function parseChunks(chunks: (Uint8Array | string)[]): ParsedRow[] {
  const parser = createMarcParser();
  const rows: ParsedRow[] = [];
  for (const chunk of chunks) rows.push(...parser.push(chunk));
  return [...rows, ...parser.end()];
}

function bookOf(row: ParsedRow | undefined): ImportedBook {
  if (row?.kind !== 'book') throw new Error(`expected a book row, got ${JSON.stringify(row)}`);
  return row.book;
}

// --- Fixtures as Follett Destiny / Koha export them. ---

const harryPotter = (): Field[] => [
  control('001', 'ocm37475448'),
  control('003', 'OCoLC'),
  fixed({ date1: '1998', audience: 'c' }),
  data('020', '  ', ['a', '0590353403 (hardcover)']),
  data('020', '  ', ['a', '9780590353427 (pbk.) :'], ['c', '$6.99']),
  data('020', '  ', ['z', '9780000000000']),
  data('035', '  ', ['a', '(OCoLC)ocm37475448']),
  data('100', '1 ', ['a', 'Rowling, J. K.,'], ['e', 'author.']),
  data('245', '10', ['a', "Harry Potter and the sorcerer's stone /"], ['c', 'by J.K. Rowling.']),
  data('250', '  ', ['a', '1st American ed.']),
  data('264', ' 1', ['a', 'New York :'], ['b', 'Arthur A. Levine Books,'], ['c', '1998.']),
  data('300', '  ', ['a', 'xi, 309 pages :'], ['b', 'illustrations ;'], ['c', '24 cm']),
  data('490', '1 ', ['a', 'Harry Potter ;'], ['v', 'bk. 1']),
  data('520', '  ', [
    'a',
    'Rescued from the outrageous neglect of his aunt and uncle, a young boy learns he is a wizard.',
  ]),
  data('521', '8 ', ['a', '880L'], ['b', 'Lexile']),
  data('521', '2 ', ['a', '4-7.']),
  data(
    '526',
    '0 ',
    ['a', 'Accelerated Reader'],
    ['b', 'MG'],
    ['c', '5.5'],
    ['d', '12.0'],
    ['z', 'Quiz no. 24049'],
  ),
  data('650', ' 0', ['a', 'Wizards'], ['v', 'Fiction.']),
  data('650', ' 0', ['a', 'Schools'], ['z', 'England'], ['v', 'Fiction.']),
  data('650', ' 1', ['a', 'Wizards'], ['v', 'Fiction.']),
  data('655', ' 7', ['a', 'Fantasy fiction.'], ['2', 'lcgft']),
  data('700', '1 ', ['a', 'GrandPré, Mary,'], ['e', 'illustrator.']),
  data('830', ' 0', ['a', 'Harry Potter (Series) ;'], ['v', 'bk. 1.']),
  data('856', '42', ['3', 'Cover image'], ['u', 'https://covers.example.org/9780590353427.jpg']),
];

const harryPotterBook: ImportedBook = {
  title: "Harry Potter and the sorcerer's stone",
  authors: ['J. K. Rowling'],
  isbn13: '9780590353427',
  isbn10: '059035342X',
  // The hardcover's ISBN (the other 020) is another edition of the same work.
  alternateIsbns: ['9780590353403'],
  externalIds: {
    marc001: 'ocm37475448',
    marc003: 'OCoLC',
    marc035: '(OCoLC)ocm37475448',
    oclc: '37475448',
    arQuiz: '24049',
  },
  description:
    'Rescued from the outrageous neglect of his aunt and uncle, a young boy learns he is a wizard.',
  subjects: ['Wizards -- Fiction', 'Schools -- England -- Fiction', 'Fantasy fiction'],
  pages: 309,
  language: 'en',
  publisher: 'Arthur A. Levine Books',
  year: 1998,
  series: 'Harry Potter',
  seriesIndex: 1,
  coverUrl: 'https://covers.example.org/9780590353427.jpg',
  readingLevel: { value: '880L', system: 'lexile' },
  interestAgeMin: 9,
  interestAgeMax: 12,
  interestLevel: 'MG',
};

const MARCXML = `<?xml version="1.0" encoding="UTF-8"?>
<collection xmlns="http://www.loc.gov/MARC21/slim" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <record>
    <leader>00000nam a2200000 i 4500</leader>
    <controlfield tag="001">ocm37475448</controlfield>
    <controlfield tag="008">980101s1998    nyu           000 1 eng d</controlfield>
    <datafield tag="020" ind1=" " ind2=" "><subfield code="a">0590353403 (hardcover)</subfield></datafield>
    <datafield tag="100" ind1="1" ind2=" ">
      <subfield code="a">Rowling, J. K.,</subfield>
      <subfield code="e">author.</subfield>
    </datafield>
    <datafield tag="245" ind1="1" ind2="0">
      <subfield code="a">Harry Potter and the sorcerer's stone /</subfield>
      <subfield code="c">by J.K. Rowling.</subfield>
    </datafield>
    <datafield tag="526" ind1="0" ind2=" ">
      <subfield code="a">Accelerated Reader</subfield><subfield code="b">MG</subfield><subfield code="c">5.5</subfield>
    </datafield>
    <datafield tag="650" ind1=" " ind2="0"><subfield code="a">Wizards</subfield><subfield code="v">Fiction.</subfield></datafield>
  </record>
  <record>
    <leader>00000nam a2200000 i 4500</leader>
    <controlfield tag="001">koha-77</controlfield>
    <datafield tag="245" ind1="1" ind2="3"><subfield code="a">El niño &amp; el búho :</subfield><subfield code="b">un cuento /</subfield></datafield>
    <datafield tag="100" ind1="1" ind2=" "><subfield code="a">Peña, Matt de la,</subfield></datafield>
    <datafield tag="041" ind1="0" ind2=" "><subfield code="a">spa</subfield></datafield>
  </record>
</collection>
`;

const MARCXML_PREFIXED = `<?xml version="1.0"?>
<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">
<marc:record>
<marc:leader>00000cam a2200000 a 4500</marc:leader>
<marc:controlfield tag="001">alx-1</marc:controlfield>
<marc:datafield tag="245" ind1="0" ind2="0"><marc:subfield code="a">となりのトトロ /</marc:subfield></marc:datafield>
<marc:datafield tag="020" ind1=" " ind2=" "><marc:subfield code="a">4198607907</marc:subfield></marc:datafield>
<marc:datafield tag="100" ind1="1" ind2=" "><marc:subfield code="a">宮崎, 駿.</marc:subfield></marc:datafield>
<marc:datafield tag="041" ind1="0" ind2=" "><marc:subfield code="a">jpn</marc:subfield></marc:datafield>
</marc:record>
</marc:collection>`;

describe('MARC parser: field mapping', () => {
  it('maps a Follett-style binary record: ISBN choice, authors, title, series, audience and levels', () => {
    const rows = parseAll(marc(harryPotter()));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ row: 1, kind: 'book', reading: null, problems: [] });
    expect(bookOf(rows[0])).toEqual(harryPotterBook);
  });

  it('reads MARCXML with a default namespace, entities and NFC text', () => {
    const rows = parseAll(MARCXML);
    expect(rows.map((row) => row.row)).toEqual([1, 2]);
    expect(bookOf(rows[0])).toMatchObject({
      title: "Harry Potter and the sorcerer's stone",
      authors: ['J. K. Rowling'],
      isbn13: '9780590353403',
      year: 1998,
      readingLevel: { value: '5.5', system: 'atos' },
      interestLevel: 'MG',
      interestAgeMin: 9,
      interestAgeMax: 13,
      subjects: ['Wizards -- Fiction'],
    });
    expect(bookOf(rows[1])).toMatchObject({
      title: 'El niño & el búho',
      subtitle: 'un cuento',
      authors: ['Matt de la Peña'],
      language: 'es',
      externalIds: { marc001: 'koha-77' },
      isbn13: null,
    });
  });

  it('reads MARCXML with a marc: prefix, and Japanese text', () => {
    const rows = parseAll(MARCXML_PREFIXED);
    expect(rows).toHaveLength(1);
    expect(bookOf(rows[0])).toMatchObject({
      title: 'となりのトトロ',
      authors: ['駿 宮崎'],
      isbn13: '9784198607906',
      isbn10: '4198607907',
      language: 'ja',
    });
  });

  it('gives the same book from binary and MARCXML', () => {
    const record = [
      control('001', 'x1'),
      fixed({ audience: 'b' }),
      data('020', '  ', ['a', '9780064400558']),
      data('245', '14', ['a', 'The very hungry caterpillar /'], ['c', 'Eric Carle.']),
      data('100', '1 ', ['a', 'Carle, Eric.']),
    ];
    const xml = `<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 i 4500</leader>
      <controlfield tag="001">x1</controlfield>
      <controlfield tag="008">${(record[1] as { data: string }).data}</controlfield>
      <datafield tag="020" ind1=" " ind2=" "><subfield code="a">9780064400558</subfield></datafield>
      <datafield tag="245" ind1="1" ind2="4"><subfield code="a">The very hungry caterpillar /</subfield><subfield code="c">Eric Carle.</subfield></datafield>
      <datafield tag="100" ind1="1" ind2=" "><subfield code="a">Carle, Eric.</subfield></datafield></record>`;
    const fromBinary = parseAll(marc(record));
    expect(parseAll(xml)).toEqual(fromBinary);
    expect(bookOf(fromBinary[0])).toMatchObject({
      interestAgeMin: 6,
      interestAgeMax: 8,
      interestLevel: 'LG',
    });
  });

  it('composes decomposed UTF-8 (as MARC writes it) into NFC', () => {
    const rows = parseAll(
      marc([
        data('245', '00', ['a', 'Cafe\u0301 con leche /']),
        data('100', '1 ', ['a', 'Nun\u0303ez, José.']),
      ]),
    );
    expect(bookOf(rows[0])).toMatchObject({ title: 'Café con leche', authors: ['José Nuñez'] });
    expect(rows[0]?.problems).toEqual([]);
  });

  it('maps 008/22 audience codes', () => {
    const audience = (code: string) => {
      const book = bookOf(parseAll(marc([fixed({ audience: code }), data('245', '00', ['a', 'A book'])]))[0]);
      return [book.interestAgeMin ?? null, book.interestAgeMax ?? null, book.interestLevel ?? null];
    };
    expect(audience('a')).toEqual([0, 5, 'LG']);
    expect(audience('b')).toEqual([6, 8, 'LG']);
    expect(audience('c')).toEqual([9, 13, 'MG']);
    expect(audience('d')).toEqual([14, 17, 'UG']);
    expect(audience('e')).toEqual([18, null, 'adult']);
    expect(audience('j')).toEqual([5, 13, null]);
    expect(audience('g')).toEqual([null, null, null]);
    expect(audience(' ')).toEqual([null, null, null]);
  });

  it('reads 521 notes: ages, grades, reading grade, Lexile (which wins), guided reading', () => {
    const book = (...fields: Field[]) =>
      bookOf(parseAll(marc([data('245', '00', ['a', 'T']), ...fields]))[0]);
    expect(book(data('521', '1 ', ['a', 'Ages 9-12.']))).toMatchObject({
      interestAgeMin: 9,
      interestAgeMax: 12,
    });
    expect(book(data('521', '1 ', ['a', '009-012.']))).toMatchObject({
      interestAgeMin: 9,
      interestAgeMax: 12,
    });
    expect(book(data('521', '1 ', ['a', 'Ages 8 and up']))).toMatchObject({
      interestAgeMin: 8,
      interestAgeMax: null,
    });
    expect(book(data('521', '2 ', ['a', '4-6']))).toMatchObject({ interestAgeMin: 9, interestAgeMax: 11 });
    expect(book(data('521', '  ', ['a', 'Grades K-3.']))).toMatchObject({
      interestAgeMin: 5,
      interestAgeMax: 8,
    });
    expect(book(data('521', '0 ', ['a', '3.5']))).toMatchObject({
      readingLevel: { value: '3', system: 'grade' },
    });
    expect(
      book(data('521', '0 ', ['a', 'Grades 3-5']), data('521', '8 ', ['a', 'Lexile 680'])),
    ).toMatchObject({
      readingLevel: { value: '680L', system: 'lexile' },
    });
    expect(book(data('521', '8 ', ['a', 'AD520L']))).toMatchObject({
      readingLevel: { value: '520L', system: 'lexile' },
    });
    expect(book(data('521', '8 ', ['a', 'M'], ['b', 'Fountas & Pinnell']))).toMatchObject({
      readingLevel: { value: 'M', system: 'guided_reading' },
    });
    expect(book(data('521', '4 ', ['a', 'Interest level: UG']))).toMatchObject({ interestLevel: 'UG' });
    // Ages from the note beat grades, which beat 008/22.
    expect(
      book(fixed({ audience: 'j' }), data('521', '2 ', ['a', '2-3']), data('521', '1 ', ['a', 'Ages 7-9'])),
    ).toMatchObject({ interestAgeMin: 7, interestAgeMax: 9 });
  });

  it('reads 526 study programs: AR levels and interest bands, Reading Counts as other', () => {
    const book = (...fields: Field[]) =>
      bookOf(parseAll(marc([data('245', '00', ['a', 'T']), ...fields]))[0]);
    expect(
      book(
        fixed({ audience: 'j' }),
        data('526', '0 ', ['a', 'Accelerated Reader AR'], ['b', 'LG'], ['c', '2.9'], ['d', '0.5']),
      ),
    ).toMatchObject({
      readingLevel: { value: '2.9', system: 'atos' },
      interestLevel: 'LG',
      interestAgeMin: 5,
      interestAgeMax: 8,
      externalIds: {},
    });
    expect(book(data('526', '0 ', ['a', 'AR'], ['b', 'MG+'], ['c', '6.8']))).toMatchObject({
      readingLevel: { value: '6.8', system: 'atos' },
      interestLevel: 'MG+',
      interestAgeMin: 11,
      interestAgeMax: null,
    });
    expect(
      book(data('526', '0 ', ['a', 'Reading Counts!'], ['b', 'Upper Grades'], ['c', '7.1'])),
    ).toMatchObject({
      readingLevel: { value: '7.1', system: 'other' },
      interestLevel: 'UG',
    });
    // A Lexile anywhere beats the program's own level.
    expect(
      book(
        data('526', '0 ', ['a', 'Accelerated Reader'], ['c', '4.5']),
        data('521', '8 ', ['a', '690L'], ['b', 'Lexile']),
      ),
    ).toMatchObject({ readingLevel: { value: '690L', system: 'lexile' } });
  });

  it('chooses authors: relators, forenames, corporate bodies, and the 245 $c fallback', () => {
    const authors = (...fields: Field[]) =>
      bookOf(
        parseAll(
          marc([
            data('245', '00', ['a', 'T'], ['c', 'by Jane Doe and John Roe ; illustrated by Al Smith.']),
            ...fields,
          ]),
        )[0],
      ).authors;
    expect(
      authors(
        data('100', '0 ', ['a', 'Avi,'], ['d', '1937-']),
        data('700', '1 ', ['a', 'King, Martin Luther,'], ['c', 'Jr.,'], ['e', 'author.']),
        data('700', '1 ', ['a', 'Smith, Al,'], ['e', 'illustrator.']),
        data('700', '1 ', ['a', 'Roe, John,'], ['4', 'aut']),
        data('700', '1 ', ['a', 'Poe, Edgar Allan.'], ['t', 'Raven.']),
        data('700', '1 ', ['a', 'Seuss,'], ['c', 'Dr.']),
        data('710', '2 ', ['a', 'Scholastic Inc.']),
        data('710', '2 ', ['a', 'National Geographic Society (U.S.)'], ['e', 'author.']),
      ),
    ).toEqual(['Avi', 'Martin Luther King', 'John Roe', 'Seuss', 'National Geographic Society (U.S.)']);
    expect(authors(data('110', '2 ', ['a', 'United States.'], ['b', 'National Park Service.']))).toEqual([
      'United States. National Park Service',
    ]);
    expect(authors(data('100', '1 ', ['a', 'King, Stephen,'], ['d', '1947-']))).toEqual(['Stephen King']);
    expect(authors()).toEqual(['Jane Doe', 'John Roe']);
  });

  it('reads pages, parts of titles, 8XX series, reprint years, languages and cover links', () => {
    const book = bookOf(
      parseAll(
        marc([
          fixed({ type: 'r', date1: '2010', date2: '1962', lang: 'fre' }),
          data('245', '00', ['a', 'Star wars.'], ['n', 'Episode IV,'], ['p', 'A new hope /']),
          data('260', '  ', ['a', 'Paris :'], ['b', '[Gallimard],'], ['c', 'c2010.']),
          data('300', '  ', ['a', '1 online resource (232 unnumbered pages)']),
          data('800', '1 ', ['a', 'Lucas, George.'], ['t', 'Star wars saga ;'], ['v', 'v. 4']),
          data('856', '40', ['u', 'https://example.org/info.html']),
          data('856', '42', ['u', 'https://images.example.org/cover?isbn=1/LC.GIF&client=x']),
        ]),
      )[0],
    );
    expect(book).toMatchObject({
      title: 'Star wars. Episode IV, A new hope',
      pages: 232,
      series: 'Star wars saga',
      seriesIndex: 4,
      year: 1962,
      language: 'fr',
      publisher: 'Gallimard',
      coverUrl: 'https://images.example.org/cover?isbn=1/LC.GIF&client=x',
    });
    const pages = (text: string) =>
      bookOf(parseAll(marc([data('245', '00', ['a', 'T']), data('300', '  ', ['a', text])]))[0]).pages;
    expect(pages('232 p.')).toBe(232);
    expect(pages('x, 232 pages ;')).toBe(232);
    expect(pages('[32] p. :')).toBe(32);
    expect(pages('1 volume (unpaged)')).toBeUndefined();
  });

  it('keeps content advice (520 4_) as warnings rather than the summary', () => {
    const book = bookOf(
      parseAll(
        marc([
          data('245', '00', ['a', 'T']),
          data('520', '4 ', ['a', 'Contains scenes of violence.']),
          data('520', '1 ', ['a', 'A review.']),
          data('520', '  ', ['a', 'The summary.']),
        ]),
      )[0],
    );
    expect(book).toMatchObject({
      description: 'The summary.',
      contentWarnings: ['Contains scenes of violence.'],
    });
  });
});

describe('MARC parser: problems', () => {
  it('reports invalid ISBNs on 020$a and converts a lone ISBN-10', () => {
    const rows = parseAll(
      marc([
        data('020', '  ', ['a', '059035340X (pbk.)']),
        data('020', '  ', ['a', '0316769487 :']),
        data('245', '00', ['a', 'T']),
      ]),
    );
    expect(bookOf(rows[0])).toMatchObject({ isbn13: '9780316769488', isbn10: '0316769487' });
    expect(rows[0]?.problems).toEqual([
      { row: 1, field: '020$a', reason: "'059035340X (pbk.)' is not a valid ISBN; imported without it" },
    ]);
  });

  it('makes a record without title and ISBN invalid, and imports a titleless one by its ISBN', () => {
    const rows = parseAll(
      join(
        marc([control('001', 'a'), data('020', '  ', ['a', '12345'])]),
        marc([control('001', 'b'), data('020', '  ', ['a', '9780064400558'])]),
      ),
    );
    expect(rows[0]).toMatchObject({ row: 1, kind: 'invalid' });
    expect(rows[0]?.problems.map((problem) => problem.field)).toEqual(['020$a', '245']);
    expect(rows[1]).toMatchObject({ row: 2, kind: 'book', book: { title: '', isbn13: '9780064400558' } });
    expect(rows[1]?.problems).toEqual([
      { row: 2, field: '245', reason: 'the record has no title (245 $a); imported it by its ISBN' },
    ]);
  });

  it('decodes MARC-8 (ANSEL diacritics) and notes characters it cannot read once per record', () => {
    const ansel = (...parts: (string | number[])[]) =>
      join(...parts.map((part) => (typeof part === 'string' ? utf8(part) : Uint8Array.from(part))));
    const rows = parseAll(
      join(
        marc(
          [
            data('245', '00', ['a', ansel('Caf', [0xe2], 'e au lait /')]),
            data('100', '1 ', ['a', ansel([0xa2], 'ye, Ol', [0xe8], 'a.')]),
          ],
          {
            charset: ' ',
          },
        ),
        marc(
          [
            data('245', '00', ['a', ansel('Title ', [0x1b, 0x28, 0x4e], 'abc', [0x1b, 0x28, 0x42], ' end')]),
            data('500', '  ', ['a', ansel([0xff])]),
          ],
          { charset: ' ' },
        ),
      ),
    );
    expect(bookOf(rows[0])).toMatchObject({ title: 'Café au lait', authors: ['Olä Øye'] });
    expect(rows[0]?.problems).toEqual([]);
    expect(bookOf(rows[1]).title).toBe('Title \uFFFD end');
    expect(rows[1]?.problems).toEqual([
      { row: 2, field: '245', reason: 'some MARC-8 characters could not be read; they show as �' },
    ]);
  });

  it('reads UTF-8 in a record whose leader/09 wrongly says MARC-8', () => {
    const rows = parseAll(marc([data('245', '00', ['a', 'Ñandú /'])], { charset: ' ' }));
    expect(bookOf(rows[0]).title).toBe('Ñandú');
    expect(rows[0]?.problems).toEqual([]);
  });

  it('replaces invalid UTF-8 with U+FFFD and says so once', () => {
    const rows = parseAll(
      marc([
        data('245', '00', ['a', join(utf8('Bad '), Uint8Array.of(0xc3, 0x28), utf8(' text'))]),
        data('500', '  ', ['a', Uint8Array.of(0xff)]),
      ]),
    );
    expect(bookOf(rows[0]).title).toBe('Bad \uFFFD( text');
    expect(rows[0]?.problems).toEqual([
      { row: 1, field: '245', reason: 'some text is not valid UTF-8; unreadable characters show as �' },
    ]);
  });

  it('reads a truncated final record and reports it', () => {
    const whole = join(
      marc(harryPotter()),
      marc([data('245', '00', ['a', 'Second /']), data('520', '  ', ['a', 'x'.repeat(200)])]),
    );
    const cut = whole.slice(0, whole.length - 150);
    const rows = parseAll(cut);
    expect(rows).toHaveLength(2);
    expect(bookOf(rows[0])).toEqual(harryPotterBook);
    expect(rows[1]).toMatchObject({ row: 2, kind: 'book', book: { title: 'Second' } });
    expect(rows[1]?.problems.map((problem) => problem.field)).toEqual(['record']);
  });

  it('skips junk and blank lines between records, and does not lose the record after a truncated one', () => {
    const first = marc([data('245', '00', ['a', 'One'])]);
    const second = marc([data('245', '00', ['a', 'Two'])]);
    const third = marc([data('245', '00', ['a', 'Three'])]);
    const rows = parseAll(join(first, utf8('\r\n\n'), utf8('garbage!'), second, third.slice(0, 40), first));
    expect(rows.map((row) => (row.kind === 'book' ? row.book.title : row.kind))).toEqual([
      'One',
      'Two',
      'invalid',
      'One',
    ]);
    expect(rows[0]?.problems).toEqual([]);
    expect(rows[1]?.problems).toEqual([
      { row: 2, field: 'record', reason: '8 bytes before this record are not MARC; skipped them' },
    ]);
    expect(rows[2]?.problems.map((problem) => problem.field)).toContain('record');
    expect(rows[3]?.problems).toEqual([]);
  });

  it('reports a damaged leader, and a directory pointing outside the record', () => {
    const damaged = marc([data('245', '00', ['a', 'Leaderless']), data('100', '1 ', ['a', 'Doe, Jane'])]);
    damaged.set(utf8('xx'), 0);
    const outside = marc([data('245', '00', ['a', 'Pointing']), data('650', ' 0', ['a', 'Cats'])]);
    // The second directory entry's start position (5 digits at 24 + 12 + 7) now points far away.
    outside.set(utf8('90000'), 24 + 12 + 7);
    // The same, with a stray field terminator inside 245 so the fields cannot be recovered by position.
    const lost = marc([data('245', '00', ['a', 'Lost'], ['b', '\x1e']), data('650', ' 0', ['a', 'Cats'])]);
    lost.set(utf8('90000'), 24 + 12 + 7);
    const rows = parseAll(join(damaged, outside, lost));
    expect(rows).toHaveLength(3);
    expect(bookOf(rows[0])).toMatchObject({ title: 'Leaderless', authors: ['Jane Doe'] });
    expect(rows[0]?.problems.map((problem) => problem.field)).toEqual(['leader']);
    expect(bookOf(rows[1])).toMatchObject({ title: 'Pointing', subjects: ['Cats'] });
    expect(rows[1]?.problems).toEqual([
      {
        row: 2,
        field: 'directory',
        reason: 'the directory points outside the record for field 650; read the fields in order instead',
      },
    ]);
    expect(bookOf(rows[2]).title).toBe('Lost');
    expect(bookOf(rows[2]).subjects).toBeUndefined();
    expect(rows[2]?.problems).toEqual([
      {
        row: 3,
        field: 'directory',
        reason: 'the directory points outside the record for field 650; skipped it',
      },
    ]);
  });

  it('recovers fields when lengths were counted in characters instead of bytes', () => {
    const record = marc([
      data('245', '00', ['a', 'Ñandú /']),
      data('100', '1 ', ['a', 'Pérez, Ana.']),
      fixed({ audience: 'c' }),
    ]);
    // Rewrite the directory as a character-counting exporter would (each é/Ñ/ú counts 1 instead of 2).
    const text = new TextDecoder().decode(record);
    const entries = [
      ['245', 12, 0],
      ['100', 15, 12],
      ['008', 41, 27],
    ];
    const directory = entries
      .map(([tag, length, start]) => `${tag}${pad(Number(length), 4)}${pad(Number(start), 5)}`)
      .join('');
    const fixedUp = utf8(text.slice(0, 24) + directory + text.slice(24 + directory.length));
    const rows = parseAll(fixedUp);
    expect(bookOf(rows[0])).toMatchObject({ title: 'Ñandú', authors: ['Ana Pérez'], interestLevel: 'MG' });
  });

  it('reports the first well-formedness error with its record number and stops', () => {
    const broken = MARCXML.replace('<subfield code="a">El niño', '<subfield code="a">El <b>niño');
    const rows = parseAll(broken);
    expect(rows.map((row) => [row.row, row.kind])).toEqual([
      [1, 'book'],
      [2, 'invalid'],
    ]);
    expect(rows[1]?.problems[0]).toMatchObject({ row: 2, field: 'xml' });
    expect(rows[1]?.problems[0]?.reason).toMatch(
      /^the XML is not well-formed \(line \d+, column \d+: .+\); stopped reading the file here$/,
    );
    const cut = parseAll(MARCXML.slice(0, MARCXML.indexOf('<controlfield tag="001">koha-77')));
    expect(cut.map((row) => [row.row, row.kind, row.problems[0]?.field])).toEqual([
      [1, 'book', undefined],
      [2, 'invalid', 'xml'],
    ]);
  });

  it('keeps a partly read XML record when it has a title, and tolerates control characters', () => {
    const rows = parseAll(
      `<collection><record><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Half\u0001 /</subfield></datafield><datafield tag="650">`,
    );
    expect(rows).toHaveLength(1);
    expect(bookOf(rows[0]).title).toBe('Half\uFFFD');
    expect(rows[0]?.problems.map((problem) => problem.field)).toEqual(['245', 'xml']);
  });

  it('says when a file holds no MARC at all', () => {
    expect(parseAll('Title,Author\nDune,Frank Herbert\n')).toEqual([
      {
        row: 1,
        kind: 'invalid',
        problems: [
          { row: 1, field: 'file', reason: 'the file has no MARC records (neither binary MARC nor MARCXML)' },
        ],
      },
    ]);
    expect(parseAll('<?xml version="1.0"?><html><body/></html>')[0]?.problems[0]?.field).toBe('file');
    expect(parseAll('')).toEqual([]);
    expect(parseAll('\n\n')).toEqual([]);
  });

  it('decodes MARCXML declared as Windows-1252 and MARCXML in UTF-16', () => {
    const latin = join(
      utf8(
        '<?xml version="1.0" encoding="ISO-8859-1"?><collection><record><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Caf',
      ),
      // Windows-1252's own range 0x80–0x9F too, which Node's TextDecoder reads as Latin-1.
      Uint8Array.of(0xe9, 0x20, 0x93, 0x80, 0x94),
      utf8('</subfield></datafield></record></collection>'),
    );
    expect(bookOf(parseAll(latin)[0]).title).toBe('Café “€”');
    const text =
      '<record><datafield tag="245" ind1="0" ind2="0"><subfield code="a">日本</subfield></datafield></record>';
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let index = 0; index < text.length; index += 1) {
      utf16[2 + index * 2] = text.charCodeAt(index) & 0xff;
      utf16[3 + index * 2] = text.charCodeAt(index) >> 8;
    }
    expect(bookOf(parseChunks([utf16.slice(0, 7), utf16.slice(7)])[0]).title).toBe('日本');
  });
});

describe('MARC parser: streaming', () => {
  const file = join(
    utf8('\uFEFF'),
    marc(harryPotter()),
    marc([data('245', '00', ['a', 'Ñandú 日本 /']), data('100', '1 ', ['a', 'Pérez, Ana.'])]),
    utf8('\n'),
    marc([data('245', '00', ['a', 'Third']), data('020', '  ', ['a', 'bad'])]),
  );

  function randomSplits(bytes: Uint8Array, seed: number): Uint8Array[] {
    let state = seed;
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length;) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      const size = 1 + (state % 97);
      chunks.push(bytes.slice(at, at + size));
      at += size;
    }
    return chunks;
  }

  it('returns the same rows whether fed whole, one byte at a time, or in random splits', () => {
    const whole = parseAll(file);
    expect(whole).toHaveLength(3);
    expect(parseChunks(Array.from(file, (byte) => Uint8Array.of(byte)))).toEqual(whole);
    for (let seed = 1; seed <= 20; seed += 1) expect(parseChunks(randomSplits(file, seed))).toEqual(whole);
    const xml = utf8(MARCXML);
    const xmlWhole = parseAll(xml);
    expect(parseChunks(Array.from(xml, (byte) => Uint8Array.of(byte)))).toEqual(xmlWhole);
    for (let seed = 1; seed <= 20; seed += 1) expect(parseChunks(randomSplits(xml, seed))).toEqual(xmlWhole);
  });

  it('accepts text chunks (even a split surrogate pair) as UTF-8', () => {
    const text = new TextDecoder().decode(file);
    const split = text.indexOf('日') + 1;
    expect(parseChunks([text.slice(0, split), text.slice(split)])).toEqual(parseAll(file));
    const emoji =
      '<record><datafield tag="245" ind1="0" ind2="0"><subfield code="a">📚</subfield></datafield></record>';
    const at = emoji.indexOf('📚') + 1;
    expect(bookOf(parseChunks([emoji.slice(0, at), emoji.slice(at)])[0]).title).toBe('📚');
  });

  it('hands back each record as soon as its last byte arrives', () => {
    const parser = createMarcParser();
    const one = marc([data('245', '00', ['a', 'One'])]);
    const two = marc([data('245', '00', ['a', 'Two'])]);
    expect(parser.push(one.slice(0, 10))).toEqual([]);
    expect(parser.push(one.slice(10)).map((row) => row.row)).toEqual([1]);
    expect(parser.push(two).map((row) => row.row)).toEqual([2]);
    expect(parser.end()).toEqual([]);
    const xml = createMarcParser();
    const [head, tail] = MARCXML.split(
      '<record>\n    <leader>00000nam a2200000 i 4500</leader>\n    <controlfield tag="001">koha',
    );
    expect(xml.push(head ?? '')).toHaveLength(1);
    expect(xml.push(`<record><controlfield tag="001">koha${tail ?? ''}`)).toHaveLength(1);
    expect(xml.end()).toEqual([]);
  });

  it('streams many records with a bounded buffer and never re-scans a long damaged record per byte', () => {
    const record = marc(harryPotter());
    const many = join(...Array.from({ length: 500 }, () => record));
    const started = Date.now();
    const parser = createMarcParser();
    let count = 0;
    for (let at = 0; at < many.length; at += 4096) count += parser.push(many.slice(at, at + 4096)).length;
    count += parser.end().length;
    expect(count).toBe(500);
    // A 90 kB record with no terminator and no leader, fed byte by byte, must stay linear.
    const junk = join(utf8('12345'), new Uint8Array(90_000).fill(0x41));
    const slow = createMarcParser();
    for (let at = 0; at < junk.length; at += 1) slow.push(junk.subarray(at, at + 1));
    expect(slow.end()).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
