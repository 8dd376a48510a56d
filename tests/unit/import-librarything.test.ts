/** The LibraryThing TSV and JSON export parsers. */
import { describe, expect, it } from 'vitest';
import { createLibrarythingParser } from '../../shared/import/librarything';
import type { ParsedRow } from '../../shared/import/types';

function parse(chunks: string[]): ParsedRow[] {
  const parser = createLibrarythingParser();
  return chunks.flatMap((chunk) => parser.push(chunk)).concat(parser.end());
}

const TSV = [
  [
    'Book Id',
    'Title',
    'Sort Character',
    'Primary Author',
    'Primary Author Role',
    'Secondary Author(s)',
    'Publication',
    'Date',
    'Review',
    'Rating',
    'Summary',
    'Page Count',
    'Date Started',
    'Date Read',
    'Tags',
    'Collections',
    'Language 1',
    'LC Classification',
    'ISBN',
    'ISBNs',
    'Subjects',
    'Dewey Decimal',
    'Entry Date',
    'OCLC',
    'Work id',
  ],
  [
    '201',
    'The Left Hand of Darkness',
    '5',
    'Le Guin, Ursula K.',
    'Author',
    'Miéville, China|Jemisin, N. K.',
    'Ace (1987), Edition: Reissue, 304 pages',
    '1969',
    'Still <i>astonishing</i>.',
    '4.5',
    'Le Guin, Ursula K.: The Left Hand of Darkness (1969)',
    '304',
    '[2020-04-01]',
    '[2020-04-20]',
    'sf, gender, classics',
    'Your library, Favourites',
    'English',
    'PS3562.E42 L4',
    '[0441478123]',
    '9780441478125, 0441478123',
    'Science fiction|Androgyny -- Fiction|Gethen (Imaginary place) -- Fiction',
    '813.54',
    '[2019-12-24]',
    '1234567',
    '8883',
  ],
  [
    '202',
    'Der Steppenwolf',
    '5',
    'Hesse, Hermann',
    '',
    '',
    'Suhrkamp (1974)',
    '1927',
    '',
    '',
    'A man torn between his human and wolfish natures.',
    '',
    '',
    '',
    '',
    'Wishlist',
    'German',
    '',
    '[3518366750]',
    '',
    '',
    '',
    '2021-01-02',
    '',
    '',
  ],
  [
    '203',
    'Beloved',
    '',
    'Morrison, Toni',
    '',
    '',
    '',
    'c1987',
    '',
    '3',
    '',
    '324 p.',
    '',
    '',
    '',
    'Read but unowned, To read',
    'English',
    '',
    '[1400033411]',
    '',
    '',
    '',
    '2020-02-02',
    '',
    '',
  ],
  [
    '204',
    'Unknown pages',
    '',
    'Doe, Jane',
    '',
    '',
    '',
    'n.d.',
    '',
    '9',
    '',
    'many',
    '',
    '',
    '',
    'Currently reading',
    '',
    '',
    '[123]',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
]
  .map((cells) => cells.join('\t'))
  .join('\n');

describe('createLibrarythingParser (TSV)', () => {
  it('flips names, drops [] wrappers, splits subjects on |, and maps collections to shelves', () => {
    const rows = parse([TSV]);
    expect(rows[0]).toEqual({
      row: 2,
      kind: 'book',
      book: {
        title: 'The Left Hand of Darkness',
        authors: ['Ursula K. Le Guin', 'China Miéville', 'N. K. Jemisin'],
        isbn13: '9780441478125',
        isbn10: '0441478123',
        externalIds: { librarything: '201', librarythingWork: '8883', oclc: '1234567' },
        // The auto-generated citation is not a description.
        description: null,
        subjects: ['Science fiction', 'Androgyny -- Fiction', 'Gethen (Imaginary place) -- Fiction'],
        tags: ['sf', 'gender', 'classics'],
        pages: 304,
        language: 'English',
        publisher: 'Ace',
        year: 1969,
        ownedCopies: 1,
      },
      reading: {
        shelf: 'read',
        shelves: ['Favourites', 'sf', 'gender', 'classics'],
        rating: 4.5,
        dateRead: '2020-04-20',
        dateAdded: '2019-12-24',
        readCount: null,
        ownedCopies: 1,
        review: 'Still astonishing.',
      },
      problems: [],
    });
    expect(rows[1]).toMatchObject({
      row: 3,
      book: {
        title: 'Der Steppenwolf',
        authors: ['Hermann Hesse'],
        isbn13: '9783518366752',
        description: 'A man torn between his human and wolfish natures.',
        publisher: 'Suhrkamp',
        year: 1927,
        ownedCopies: 0,
      },
      reading: { shelf: 'to-read', shelves: ['Wishlist'], dateAdded: '2021-01-02', ownedCopies: 0 },
      problems: [],
    });
    expect(rows[2]).toMatchObject({
      row: 4,
      book: { title: 'Beloved', authors: ['Toni Morrison'], year: 1987, pages: 324, ownedCopies: 0 },
      reading: { shelf: 'read', rating: 3 },
      problems: [],
    });
  });

  it('reports bad values and keeps the book', () => {
    const rows = parse([TSV]);
    expect(rows[3]).toMatchObject({
      row: 5,
      kind: 'book',
      book: { title: 'Unknown pages', isbn13: null, year: null, pages: null },
      reading: { shelf: 'currently-reading', rating: null },
      problems: [
        { row: 5, field: 'ISBN', reason: "'123' is not an ISBN; imported without it" },
        { row: 5, field: 'Rating', reason: "'9' is not a rating from 0 to 5; left empty" },
        { row: 5, field: 'Page Count', reason: "'many' is not a whole number from 1 to 100000; left empty" },
        { row: 5, field: 'Date', reason: "'n.d.' is not a year; left empty" },
      ],
    });
  });

  it('gives the same rows however the file is chunked', () => {
    const whole = parse([TSV]);
    expect(parse([...TSV])).toEqual(whole);
    for (let cut = 0; cut < TSV.length; cut += 13)
      expect(parse([TSV.slice(0, cut), TSV.slice(cut)])).toEqual(whole);
  });
});

const JSON_EXPORT = JSON.stringify(
  {
    '301': {
      books_id: '301',
      title: 'Dune',
      sortcharacter: '1',
      primaryauthor: 'Herbert, Frank',
      primaryauthorrole: 'Author',
      authors: [{ lf: 'Herbert, Frank', fl: 'Frank Herbert', role: 'Author' }],
      format: [{ code: '1', text: 'Paperback' }],
      date: '1965',
      publication: 'Ace (1990), Mass Market Paperback',
      language: ['English'],
      isbn: { '0': '0441172717', '2': '9780441172719' },
      pages: '535 ',
      genre: ['Science Fiction and Fantasy'],
      subject: [['Arrakis (Imaginary place)', 'Fiction'], ['Science fiction']],
      tags: ['sf', 'ecology'],
      collections: ['Your library', 'Currently reading'],
      rating: 5,
      review: 'Spice.<br>Must flow.',
      entrydate: '2018-05-06',
      datestarted: '2024-01-01',
      workcode: '9991',
    },
    '302': {
      books_id: '302',
      title: 'Le Petit Prince',
      authors: [{ lf: 'Saint-Exupéry, Antoine de', fl: 'Antoine de Saint-Exupéry' }],
      isbn: ['9782070612758'],
      date: '1943',
      collections: ['To read'],
      rating: 'x',
      datefinished: '2024-13-01',
    },
    '303': 'not a book',
  },
  null,
  2,
);

describe('createLibrarythingParser (JSON)', () => {
  it('reads the JSON export keyed by book id, record numbers from 1', () => {
    const rows = parse([JSON_EXPORT]);
    expect(rows[0]).toEqual({
      row: 1,
      kind: 'book',
      book: {
        title: 'Dune',
        authors: ['Frank Herbert'],
        isbn13: '9780441172719',
        isbn10: '0441172717',
        externalIds: { librarything: '301', librarythingWork: '9991' },
        description: null,
        subjects: ['Science Fiction and Fantasy', 'Arrakis (Imaginary place) -- Fiction', 'Science fiction'],
        tags: ['sf', 'ecology'],
        pages: 535,
        language: 'English',
        publisher: 'Ace',
        year: 1965,
        ownedCopies: 1,
      },
      reading: {
        shelf: 'currently-reading',
        shelves: ['sf', 'ecology'],
        rating: 5,
        dateRead: null,
        dateAdded: '2018-05-06',
        readCount: null,
        ownedCopies: 1,
        review: 'Spice.\nMust flow.',
      },
      problems: [],
    });
    expect(rows[1]).toMatchObject({
      row: 2,
      kind: 'book',
      book: {
        title: 'Le Petit Prince',
        authors: ['Antoine de Saint-Exupéry'],
        isbn13: '9782070612758',
        year: 1943,
      },
      reading: { shelf: 'to-read', rating: null, dateRead: null },
      problems: [
        { row: 2, field: 'datefinished', reason: "'2024-13-01' is not a date (YYYY/MM/DD); left empty" },
        { row: 2, field: 'rating', reason: "'x' is not a rating from 0 to 5; left empty" },
      ],
    });
    expect(rows[2]).toEqual({
      row: 3,
      kind: 'invalid',
      problems: [{ row: 3, field: '303', reason: 'record 3 is not an object; skipped' }],
    });
  });

  it('reports a broken JSON file as one invalid row, and reads nothing from an empty one', () => {
    const [row, ...rest] = parse(['{"1": {"title": "Dune"']);
    expect(rest).toEqual([]);
    expect(row?.kind).toBe('invalid');
    expect(row?.problems[0]?.reason).toMatch(/^the file is not valid JSON \(.+\); nothing imported$/);
    expect(parse(['  \n'])).toEqual([]);
  });

  it('gives the same rows however the JSON is chunked', () => {
    const whole = parse([JSON_EXPORT]);
    for (let cut = 0; cut < JSON_EXPORT.length; cut += 17)
      expect(parse([JSON_EXPORT.slice(0, cut), JSON_EXPORT.slice(cut)])).toEqual(whole);
  });
});
