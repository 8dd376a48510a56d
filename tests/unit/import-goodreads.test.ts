/** The Goodreads export parser and the Goodreads CSV writer. */
import { describe, expect, it } from 'vitest';
import { createGoodreadsParser } from '../../shared/import/goodreads';
import { toGoodreadsCsv } from '../../shared/import/goodreads-export';
import type { ImportedBook, ImportedReading, ParsedRow, RowParser } from '../../shared/import/types';

function parse(chunks: (string | Uint8Array)[], parser: RowParser = createGoodreadsParser()): ParsedRow[] {
  const rows = chunks.flatMap((chunk) => parser.push(chunk));
  return rows.concat(parser.end());
}

const HEADER =
  'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies';

const CURRENT = [
  `\uFEFF${HEADER}`,
  '2767052,"The Hunger Games (The Hunger Games, #1)",Suzanne Collins,"Collins, Suzanne",,"=""0439023483""","=""9780439023481""",5,4.34,Scholastic Press,Hardcover,374,2008,2008,2023/01/05,2022/12/01,"dystopia, ya","dystopia (#3), ya (#12)",read,"Couldn\'t put it down.<br/><br/>""May the odds…""",,,2,1',
  '11,"Cien años de soledad",Gabriel García Márquez,"García Márquez, Gabriel","Gregory Rabassa",="",="",0,4.11,Harper,Paperback,417,2006,1967,,2020/06/30,"to-read, classics","to-read (#4), classics (#1)",to-read,,,,0,0',
  '7,"Good Omens: The Nice and Accurate Prophecies of Agnes Nutter, Witch",Terry Pratchett,"Pratchett, Terry","Neil Gaiman, Martin Luther King, Jr.","=""0060853980""","=""9780060853983""",3,4.25,William Morrow,Paperback,491,2006,1990,,2019/03/15,,,read,,,,1,0',
  '8,"Piranesi",Susanna Clarke,"Clarke, Susanna",,"=""""","=""""",0,4.2,,Kindle Edition,,2020,,,2021/04/02,"half-read","half-read (#1)",abandoned,"Line one\nline two",,,0,0',
].join('\r\n');

const book = (fields: Partial<ImportedBook> & { title: string }): ImportedBook => ({
  authors: [],
  isbn13: null,
  isbn10: null,
  externalIds: {},
  publisher: null,
  pages: null,
  year: null,
  series: null,
  seriesIndex: null,
  ownedCopies: null,
  ...fields,
});

const reading = (fields: Partial<ImportedReading>): ImportedReading => ({
  shelf: 'read',
  shelves: [],
  rating: null,
  dateRead: null,
  dateAdded: null,
  readCount: null,
  ownedCopies: null,
  review: null,
  ...fields,
});

describe('createGoodreadsParser', () => {
  it('reads the current export: Excel ISBNs, series in titles, shelves, unrated books, custom shelves', () => {
    expect(parse([CURRENT])).toEqual([
      {
        row: 2,
        kind: 'book',
        book: book({
          title: 'The Hunger Games',
          authors: ['Suzanne Collins'],
          isbn13: '9780439023481',
          isbn10: '0439023483',
          externalIds: { goodreads: '2767052' },
          publisher: 'Scholastic Press',
          pages: 374,
          year: 2008,
          series: 'The Hunger Games',
          seriesIndex: 1,
          ownedCopies: 1,
        }),
        reading: reading({
          shelf: 'read',
          shelves: ['dystopia', 'ya'],
          rating: 5,
          dateRead: '2023-01-05',
          dateAdded: '2022-12-01',
          readCount: 2,
          ownedCopies: 1,
          review: 'Couldn\'t put it down.\n\n"May the odds…"',
        }),
        problems: [],
      },
      {
        row: 3,
        kind: 'book',
        book: book({
          title: 'Cien años de soledad',
          authors: ['Gabriel García Márquez', 'Gregory Rabassa'],
          externalIds: { goodreads: '11' },
          publisher: 'Harper',
          pages: 417,
          year: 1967,
          ownedCopies: 0,
        }),
        reading: reading({
          shelf: 'to-read',
          shelves: ['classics'],
          dateAdded: '2020-06-30',
          readCount: 0,
          ownedCopies: 0,
        }),
        problems: [],
      },
      {
        row: 4,
        kind: 'book',
        book: book({
          title: 'Good Omens: The Nice and Accurate Prophecies of Agnes Nutter, Witch',
          authors: ['Terry Pratchett', 'Neil Gaiman', 'Martin Luther King Jr.'],
          isbn13: '9780060853983',
          isbn10: '0060853980',
          externalIds: { goodreads: '7' },
          publisher: 'William Morrow',
          pages: 491,
          year: 1990,
          ownedCopies: 0,
        }),
        // A read book without a read date keeps its rating and stays read.
        reading: reading({ rating: 3, dateAdded: '2019-03-15', readCount: 1, ownedCopies: 0 }),
        problems: [],
      },
      {
        row: 5,
        kind: 'book',
        book: book({
          title: 'Piranesi',
          authors: ['Susanna Clarke'],
          externalIds: { goodreads: '8' },
          year: 2020,
          ownedCopies: 0,
        }),
        reading: reading({
          shelf: 'abandoned',
          shelves: ['half-read'],
          dateAdded: '2021-04-02',
          readCount: 0,
          ownedCopies: 0,
          review: 'Line one\nline two',
        }),
        problems: [],
      },
    ]);
  });

  it('reads the older layout with purchase and condition columns', () => {
    const old = [
      'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Recommended For,Recommended By,Owned Copies,Original Purchase Date,Original Purchase Location,Condition,Condition Description,BCID',
      '5907,"The Hobbit (Middle-earth Universe, #0.5)",J.R.R. Tolkien,"Tolkien, J.R.R.",,"=""0618260307""","=""9780618260300""",4,4.28,Houghton Mifflin,Paperback,366,2002,1937,2015/08/14,2015/07/01,currently-reading,currently-reading (#1),currently-reading,,,,1,Anna,,2,2014/12/25,Powell\'s,good,,',
    ].join('\n');
    const [row] = parse([old]);
    expect(row).toEqual({
      row: 2,
      kind: 'book',
      book: book({
        title: 'The Hobbit',
        authors: ['J.R.R. Tolkien'],
        isbn13: '9780618260300',
        isbn10: '0618260307',
        externalIds: { goodreads: '5907' },
        publisher: 'Houghton Mifflin',
        pages: 366,
        year: 1937,
        series: 'Middle-earth Universe',
        seriesIndex: 0.5,
        ownedCopies: 2,
      }),
      reading: reading({
        shelf: 'currently-reading',
        rating: 4,
        dateRead: '2015-08-14',
        dateAdded: '2015-07-01',
        readCount: 1,
        ownedCopies: 2,
      }),
      problems: [],
    });
  });

  it('reports bad values by column, keeps the book, and rejects rows with neither title nor ISBN', () => {
    const text = [
      'Book Id,Title,Author,ISBN,ISBN13,My Rating,Number of Pages,Original Publication Year,Date Read,Exclusive Shelf',
      '1,Holes,Louis Sachar,="0440414806",="9780440414804",6,two hundred,19x8,2023/02/30,read',
      '2,,,="",="",0,,,,to-read',
      '3,,,="",="9780440414803",0,,,,to-read',
    ].join('\n');
    const rows = parse([text]);
    expect(rows.map((row) => row.kind)).toEqual(['book', 'invalid', 'book']);
    expect(rows[0]?.problems).toEqual([
      { row: 2, field: 'ISBN13', reason: "'9780440414804' is not a valid ISBN-13; imported without it" },
      { row: 2, field: 'Original Publication Year', reason: "'19x8' is not a year; left empty" },
      { row: 2, field: 'My Rating', reason: "'6' is not a rating from 0 to 5; left empty" },
      { row: 2, field: 'Date Read', reason: "'2023/02/30' is not a date (YYYY/MM/DD); left empty" },
      {
        row: 2,
        field: 'Number of Pages',
        reason: "'two hundred' is not a whole number from 1 to 100000; left empty",
      },
    ]);
    // The valid ISBN-10 still gives the book its ISBN-13.
    const first = rows[0];
    expect(first?.kind === 'book' && [first.book.isbn13, first.book.isbn10, first.reading?.rating]).toEqual([
      '9780440414803',
      '0440414806',
      null,
    ]);
    expect(rows[1]).toEqual({
      row: 3,
      kind: 'invalid',
      problems: [{ row: 3, field: 'Title', reason: 'the row has no title and no valid ISBN; skipped' }],
    });
    // No title but a valid ISBN: the title is the ISBN-13, which the importer reads as "title unknown".
    const third = rows[2];
    expect(third?.kind === 'book' && third.book.title).toBe('9780440414803');
  });

  it('reads a file re-saved by Excel: sep= line, semicolons, numeric ISBNs, month/day/year dates', () => {
    const text =
      'sep=;\r\n' +
      'Book Id;Title;Author;ISBN;ISBN13;My Rating;Date Read;Date Added;Exclusive Shelf\r\n' +
      '42;"Le Petit Prince; édition illustrée";Antoine de Saint-Exupéry;156012197;9.78016E+12;4;1/5/2023;25/12/2022;read\r\n';
    const [row, ...rest] = parse([text]);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      // Excel hides the sep= line, so the header is row 1 and the book row 2.
      row: 2,
      kind: 'book',
      // The ISBN-10 lost its leading zero to the spreadsheet; it is restored.
      book: { title: 'Le Petit Prince; édition illustrée', isbn13: '9780156012195', isbn10: '0156012197' },
      reading: { dateRead: '2023-01-05', dateAdded: '2022-12-25', rating: 4 },
      problems: [
        {
          row: 2,
          field: 'ISBN13',
          reason: "'9.78016E+12' was rounded by a spreadsheet; imported without it",
        },
      ],
    });
  });

  it('reports a quote never closed and values beyond the header instead of hanging or dropping rows', () => {
    const text =
      'Title,Author,My Review\n' +
      'Holes,Louis Sachar,Fine,extra,values\n' +
      'Wonder,R. J. Palacio,"Starts a review\nthat never ends\nStargirl,Jerry Spinelli,\n';
    expect(
      parse([text]).map((row) => [row.row, row.kind === 'book' && row.book.title, row.problems]),
    ).toEqual([
      [
        2,
        'Holes',
        [
          {
            row: 2,
            field: 'row',
            reason: 'has 5 fields but the header has 3; the extra values were ignored',
          },
        ],
      ],
      [
        3,
        'Wonder',
        [
          {
            row: 3,
            field: 'My Review',
            reason:
              'a quoted field opened here is never closed; the rest of the file was read as this one value',
          },
        ],
      ],
    ]);
  });

  it('gives the same rows fed one character at a time, in random pieces, or as UTF-8 bytes', () => {
    const whole = parse([CURRENT]);
    expect(parse([...CURRENT])).toEqual(whole);
    let seed = 11;
    for (let round = 0; round < 50; round += 1) {
      const chunks: string[] = [];
      let rest = CURRENT;
      while (rest.length > 0) {
        seed = (seed * 48_271) % 2_147_483_647;
        const size = 1 + (seed % 40);
        chunks.push(rest.slice(0, size));
        rest = rest.slice(size);
      }
      expect(parse(chunks)).toEqual(whole);
    }
    const bytes = new TextEncoder().encode(CURRENT);
    const byteChunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, index) =>
      bytes.subarray(index * 3, index * 3 + 3),
    );
    expect(parse(byteChunks)).toEqual(whole);
  });
});

describe('toGoodreadsCsv', () => {
  it('writes the 24-column layout that reads back to the same books, shelves, ratings and dates', () => {
    const entries = parse([CURRENT]).flatMap((row) =>
      row.kind === 'book' && row.reading ? [{ book: row.book, reading: row.reading }] : [],
    );
    const csv = toGoodreadsCsv(entries);
    expect(csv.split('\r\n')[0]).toBe(HEADER);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain(',0439023483,9780439023481,');
    expect(csv).toContain(',2023/01/05,2022/12/01,');
    const back = parse([csv]);
    expect(back.map((row) => row.kind === 'book' && { book: row.book, reading: row.reading })).toEqual(
      entries.map(({ book, reading }) => ({ book, reading })),
    );
    expect(back.every((row) => row.problems.length === 0)).toBe(true);
  });

  it('writes unrated books as 0, quarter stars as whole stars, and quotes awkward text', () => {
    const csv = toGoodreadsCsv([
      {
        book: book({
          title: 'Say "hi", world',
          authors: ['Ann Leckie', 'Jane Doe'],
          isbn13: '9791032305690',
        }),
        reading: reading({
          shelf: 'currently-reading',
          shelves: ['sf'],
          rating: 4.25,
          review: 'a < b & c\nnext',
        }),
      },
      { book: book({ title: 'Unrated' }), reading: reading({ shelf: 'to-read' }) },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe(
      ',"Say ""hi"", world",Ann Leckie,"Leckie, Ann",Jane Doe,,9791032305690,4,,,,,,,,,"currently-reading, sf","currently-reading (#1), sf (#2)",currently-reading,a &lt; b &amp; c<br/>next,,,0,0',
    );
    expect(lines[2]).toBe(',Unrated,,,,,,0,,,,,,,,,to-read,to-read (#1),to-read,,,,0,0');
    const back = parse([csv]);
    expect(back[0]?.kind === 'book' && back[0].reading).toEqual(
      reading({
        shelf: 'currently-reading',
        shelves: ['sf'],
        rating: 4,
        readCount: 0,
        ownedCopies: 0,
        review: 'a < b & c\nnext',
      }),
    );
  });
});
