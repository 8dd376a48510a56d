/** The Calibre CSV catalog parser. */
import { describe, expect, it } from 'vitest';
import { createCalibreParser, parseIdentifiers } from '../../shared/import/calibre';
import type { ParsedRow } from '../../shared/import/types';

function parse(chunks: string[]): ParsedRow[] {
  const parser = createCalibreParser();
  return chunks.flatMap((chunk) => parser.push(chunk)).concat(parser.end());
}

const CATALOG = [
  '\uFEFFauthor_sort,authors,comments,cover,formats,id,identifiers,isbn,languages,library_name,pubdate,publisher,rating,series,series_index,size,tags,timestamp,title,title_sort,uuid',
  '"Pratchett, Terry & Gaiman, Neil",Terry Pratchett & Neil Gaiman,"<div><p>The world will end on <b>Saturday</b>.</p><p>Next Saturday, in fact &amp; before tea.</p></div>",/books/Good Omens (42)/cover.jpg,"epub, mobi",42,"isbn:9780060853983,goodreads:12067,amazon:0060853980",9780060853983,"eng, fra",Calibre Library,2006-11-28T05:00:00+00:00,William Morrow,8,,1.0,1048576,"Fantasy, Humor",2020-01-01T10:00:00+00:00,Good Omens,Good Omens,5f2b2c1e-0a8e-4e3b-9c1f-1d2e3f4a5b6c',
  '"Jemisin, N. K.",N. K. Jemisin,,,,43,"google:abc123,isbn:9780316229296",,eng,Calibre Library,0101-01-01T00:00:00+00:00,Orbit,0,The Broken Earth,1.0,0,,2021-02-02T00:00:00+00:00,The Fifth Season,"Fifth Season, The",uuid-43',
  '"Unknown",Unknown,,,,44,,978-0-00-000000-1,,Calibre Library,sometime,,11,Saga,two,0,,,,,uuid-44',
].join('\r\n');

describe('createCalibreParser', () => {
  it('reads authors, identifiers, HTML comments, pubdate, languages, the 0–10 rating and series', () => {
    const rows = parse([CATALOG]);
    expect(rows[0]).toEqual({
      row: 2,
      kind: 'book',
      book: {
        title: 'Good Omens',
        authors: ['Terry Pratchett', 'Neil Gaiman'],
        isbn13: '9780060853983',
        isbn10: '0060853980',
        externalIds: {
          goodreads: '12067',
          amazon: '0060853980',
          calibre: '42',
          calibreUuid: '5f2b2c1e-0a8e-4e3b-9c1f-1d2e3f4a5b6c',
        },
        description: 'The world will end on Saturday.\nNext Saturday, in fact & before tea.',
        tags: ['Fantasy', 'Humor'],
        language: 'eng',
        publisher: 'William Morrow',
        year: 2006,
        series: null,
        // Calibre writes 1.0 even for a book in no series.
        seriesIndex: null,
        coverUrl: '/books/Good Omens (42)/cover.jpg',
      },
      reading: {
        shelf: 'read',
        shelves: [],
        rating: 4,
        dateRead: null,
        dateAdded: '2020-01-01',
        readCount: null,
        ownedCopies: null,
        review: null,
      },
      problems: [],
    });
    // Unrated books have no reading; Calibre's 0101-01-01 "no date" is no year, not a problem.
    expect(rows[1]).toEqual({
      row: 3,
      kind: 'book',
      book: {
        title: 'The Fifth Season',
        authors: ['N. K. Jemisin'],
        isbn13: '9780316229296',
        isbn10: '0316229296',
        externalIds: { google: 'abc123', calibre: '43', calibreUuid: 'uuid-43' },
        description: null,
        tags: [],
        language: 'eng',
        publisher: 'Orbit',
        year: null,
        series: 'The Broken Earth',
        seriesIndex: 1,
        coverUrl: null,
      },
      reading: null,
      problems: [],
    });
  });

  it('reports a bad ISBN, date, rating and series index, and rejects the row without a title or ISBN', () => {
    const rows = parse([CATALOG]);
    expect(rows[2]).toEqual({
      row: 4,
      kind: 'invalid',
      problems: [
        { row: 4, field: 'isbn', reason: "'978-0-00-000000-1' is not a valid ISBN-13; imported without it" },
        { row: 4, field: 'series_index', reason: "'two' is not a number; left empty" },
        { row: 4, field: 'pubdate', reason: "'sometime' is not a date; left empty" },
        { row: 4, field: 'rating', reason: "'11' is not a rating from 0 to 10; left empty" },
        { row: 4, field: 'title', reason: 'the row has no title and no valid ISBN; skipped' },
      ],
    });
  });

  it('parses the identifiers cell', () => {
    expect(parseIdentifiers('isbn:9780060853983, goodreads:12067,,bad,:x,amazon:B00:1')).toEqual({
      isbn: '9780060853983',
      goodreads: '12067',
      amazon: 'B00:1',
    });
  });

  it('gives the same rows however the file is chunked', () => {
    const whole = parse([CATALOG]);
    expect(parse([...CATALOG])).toEqual(whole);
  });
});
