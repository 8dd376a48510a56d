/** Format detection from a file's head, by content. */
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../shared/import/detect';
import { createParser } from '../../shared/import/index';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const GOODREADS =
  'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies\r\n' +
  '2767052,"The Hunger Games (The Hunger Games, #1)",Suzanne Collins,"Collins, Suzanne",,"=""0439023483""","=""9780439023481""",4,4.33,Scholastic,Hardcover,374,2008,2008,,2022/12/01,,,read,,,,1,0\r\n';
const STORYGRAPH =
  'Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count,Moods,Pace,Character- or Plot-Driven?,Strong Character Development?,Loveable Characters?,Diverse Characters?,Flawed Characters?,Star Rating,Review,Content Warnings,Content Warning Description,Tags,Owned?\nPiranesi,Susanna Clarke,,9781635575996,hardcover,read,2021/03/01,,,1,,,,,,,,4.25,,,,,No\n';
const LIBRARYTHING_TSV =
  'Book Id\tTitle\tSort Character\tPrimary Author\tPrimary Author Role\tSecondary Author\tPublication\tDate\tISBNs\tCollections\n201\tDune\t1\tHerbert, Frank\tAuthor\t\tAce (1990)\t1965\t9780441172719\tYour library\n';
const CALIBRE =
  'author_sort,authors,comments,cover,formats,id,identifiers,isbn,languages,library_name,pubdate,publisher,rating,series,series_index,size,tags,timestamp,title,title_sort,uuid\n"Jemisin, N. K.",N. K. Jemisin,,,,43,isbn:9780316229296,,eng,Calibre Library,2015-08-04T00:00:00+00:00,Orbit,8,The Broken Earth,1.0,0,,2021-02-02T00:00:00+00:00,The Fifth Season,"Fifth Season, The",uuid-43\n';
const MARC_LEADER = '00714cam a2200205 a 4500';

describe('detectFormat', () => {
  it('recognises each export by its header, whatever the file is called', () => {
    expect(detectFormat(GOODREADS)).toEqual({ ok: true, format: 'goodreads', delimiter: ',' });
    expect(detectFormat(bytes(`\uFEFF${GOODREADS}`))).toEqual({
      ok: true,
      format: 'goodreads',
      delimiter: ',',
    });
    expect(detectFormat(GOODREADS.replace(/,/g, ';'))).toEqual({
      ok: true,
      format: 'goodreads',
      delimiter: ';',
    });
    expect(detectFormat(`sep=;\r\n${GOODREADS.replace(/,/g, ';')}`)).toEqual({
      ok: true,
      format: 'goodreads',
      delimiter: ';',
    });
    expect(detectFormat(STORYGRAPH)).toEqual({ ok: true, format: 'storygraph', delimiter: ',' });
    expect(detectFormat(LIBRARYTHING_TSV)).toEqual({ ok: true, format: 'librarything', delimiter: '\t' });
    expect(detectFormat(CALIBRE)).toEqual({ ok: true, format: 'calibre', delimiter: ',' });
  });

  it('recognises rosters, ISBN lists and generic spreadsheets with their guessed mapping', () => {
    expect(detectFormat('First Name,Last Name,Grade,Lexile\nAmélie,Dubois,3,650L\n')).toEqual({
      ok: true,
      format: 'roster',
      delimiter: ',',
    });
    expect(detectFormat('# scanned\n978-0-439-02348-1\n0439023483\n\n12345\n')).toEqual({
      ok: true,
      format: 'isbn',
    });
    expect(detectFormat('Titel;Autor;EAN\n"Der Process";Kafka;9783596294312\n')).toEqual({
      ok: true,
      format: 'csv',
      delimiter: ';',
      mapping: { title: 'Titel', authors: 'Autor', isbn: 'EAN' },
    });
    expect(detectFormat('ISBN\n9780439023481\n')).toEqual({
      ok: true,
      format: 'csv',
      delimiter: ',',
      mapping: { isbn: 'ISBN' },
    });
  });

  it('recognises LibraryThing and generic JSON, also from a head cut off mid-file', () => {
    const libraryThing = JSON.stringify({
      '201': { books_id: '201', title: 'Dune', primaryauthor: 'Herbert, Frank' },
    });
    expect(detectFormat(libraryThing)).toEqual({ ok: true, format: 'librarything' });
    const list = JSON.stringify([{ name: 'Matilda', writer: 'Roald Dahl', stars: 5 }]);
    expect(detectFormat(bytes(list))).toEqual({
      ok: true,
      format: 'json',
      mapping: { title: 'name', authors: 'writer', rating: 'stars' },
    });
    const long = JSON.stringify(
      Array.from({ length: 2000 }, (_, index) => ({
        title: `Book ${String(index)}`,
        isbn: '9780439023481',
        notes: '{[',
      })),
    );
    expect(long.length).toBeGreaterThan(65_536);
    expect(detectFormat(long.slice(0, 65_536))).toEqual({
      ok: true,
      format: 'json',
      mapping: { title: 'title', isbn: 'isbn' },
    });
    const wrapped = `{"exported": "2024", "books": [{"title": "Hatchet", "author": "Gary Paulsen"}, {"title": "Brian's Win`;
    expect(detectFormat(wrapped.padEnd(70_000, ' '))).toEqual({
      ok: true,
      format: 'json',
      mapping: { title: 'title', authors: 'author' },
    });
  });

  it('reads UTF-16 text with a byte order mark (Excel "Unicode Text")', () => {
    const roster = 'Name\tGrade\tLexile\r\nZoë Ødegaard\t3\t650L\r\n';
    const littleEndian = new Uint8Array(2 + roster.length * 2);
    const bigEndian = new Uint8Array(2 + roster.length * 2);
    littleEndian.set([0xff, 0xfe]);
    bigEndian.set([0xfe, 0xff]);
    for (let index = 0; index < roster.length; index += 1) {
      const code = roster.charCodeAt(index);
      littleEndian.set([code & 0xff, code >> 8], 2 + index * 2);
      bigEndian.set([code >> 8, code & 0xff], 2 + index * 2);
    }
    expect(detectFormat(littleEndian)).toEqual({ ok: true, format: 'roster', delimiter: '\t' });
    expect(detectFormat(bigEndian)).toEqual({ ok: true, format: 'roster', delimiter: '\t' });
    const parser = createParser('roster');
    const rows = Array.from(littleEndian, (byte) => parser.push(new Uint8Array([byte]))).flat();
    expect(rows.concat(parser.end())).toEqual([
      {
        row: 2,
        kind: 'student',
        student: {
          name: 'Zoë Ødegaard',
          grade: '3',
          age: null,
          readingLevel: '650L',
          interests: [],
          className: null,
        },
        problems: [],
      },
    ]);
  });

  it('recognises binary MARC21 by its leader and MARCXML by its elements', () => {
    const record = `${MARC_LEADER}001001300000\u001e`;
    expect(detectFormat(bytes(record))).toEqual({ ok: true, format: 'marc' });
    expect(detectFormat(record)).toEqual({ ok: true, format: 'marc' });
    expect(
      detectFormat(
        '<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000cam</leader></record></collection>',
      ),
    ).toEqual({ ok: true, format: 'marc' });
    expect(
      detectFormat(
        '<marc:record><marc:datafield tag="245" ind1="1" ind2="0"><marc:subfield code="a">Dune</marc:subfield>',
      ),
    ).toEqual({ ok: true, format: 'marc' });
  });

  it('says why a file cannot be read', () => {
    expect(detectFormat('')).toEqual({ ok: false, reason: 'the file is empty' });
    expect(detectFormat(new Uint8Array())).toEqual({ ok: false, reason: 'the file is empty' });
    expect(detectFormat(bytes('\uFEFF  \r\n\t\n'))).toEqual({ ok: false, reason: 'the file is empty' });
    const junk = Uint8Array.from({ length: 500 }, (_, index) => (index * 37 + 11) % 256);
    expect(detectFormat(junk)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('looks like binary data (not MARC21)'),
    });
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    expect(detectFormat(xlsx)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Excel workbook (.xlsx)'),
    });
    expect(detectFormat('<html><body>Hello</body></html>')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not MARCXML'),
    });
    expect(detectFormat('Colour,Size,Price\nred,M,10\n')).toEqual({
      ok: false,
      reason:
        "no usable columns: the first row has 'Colour', 'Size', 'Price'; Lumin needs a column for the title or the ISBN (or a class roster's names)",
    });
    expect(detectFormat('{"title": "Dune",')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not valid JSON'),
    });
    expect(detectFormat('[{"colour": "red"}]')).toEqual({
      ok: false,
      reason: "the JSON records have no title or ISBN field (found 'colour')",
    });
  });
});
