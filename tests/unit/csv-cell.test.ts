/** Every CSV Lumin writes defuses formula-leading cells (OWASP CSV injection) through one helper. */
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, unescapeCsvCell } from '../../shared/domain/csv-cell';
import { failedRowsCsv } from '../../shared/import/failed-rows';
import { createGoodreadsParser } from '../../shared/import/goodreads';
import { toGoodreadsCsv } from '../../shared/import/goodreads-export';
import type { ImportedBook, ImportedReading } from '../../shared/import/types';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+1+cmd', "'+1+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
  ])('defuses %j', (input, written) => {
    expect(csvCell(input)).toBe(written);
  });

  it('leaves ordinary text and numbers alone, quoting only what needs it', () => {
    expect(csvCell('The Hobbit')).toBe('The Hobbit');
    expect(csvCell('Say "hi", world')).toBe('"Say ""hi"", world"');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, '=b'])).toBe("a,1,'=b");
  });

  it('reads back what it wrote', () => {
    for (const text of ['=1+1', '-ology', '@home', 'plain'])
      expect(unescapeCsvCell(csvCell(text).replace(/^"|"$/g, ''))).toBe(text);
  });
});

describe('the CSV files Lumin writes', () => {
  it('defuses the failed-rows CSV', () => {
    const csv = failedRowsCsv([{ row: 3, field: 'Title', reason: '=cmd|" /C calc"!A0' }]);
    expect(csv).toBe(`row,field,reason\n3,Title,"'=cmd|"" /C calc""!A0"\n`);
  });

  it('defuses the Goodreads export and reads the titles back unchanged', () => {
    const book = (title: string, author: string): ImportedBook =>
      ({
        title,
        authors: [author],
        isbn10: null,
        isbn13: null,
        externalIds: {},
        publisher: '@evil',
        pages: null,
        year: null,
        series: null,
        seriesIndex: null,
      }) as unknown as ImportedBook;
    const reading = {
      shelf: 'read',
      shelves: [],
      rating: null,
      dateRead: null,
      dateAdded: null,
      review: null,
    } as unknown as ImportedReading;
    const csv = toGoodreadsCsv([
      { book: book('=WEBSERVICE("http://x")', '+Author'), reading },
      { book: book('-Ology', '@Someone'), reading },
    ]);
    for (const line of csv.split('\r\n').slice(1).filter(Boolean))
      for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv).not.toContain('="');
    const parser = createGoodreadsParser();
    const rows = [...parser.push(new TextEncoder().encode(csv)), ...parser.end()];
    const titles = rows.flatMap((row) => (row.kind === 'book' ? [row.book.title] : []));
    expect(titles).toEqual(['=WEBSERVICE("http://x")', '-Ology']);
  });
});
