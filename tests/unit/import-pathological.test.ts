/**
 * Cells built to make careless patterns backtrack (long runs of spaces, commas, `<a `, `#`, `(`…).
 * Every parser must read them in linear time: a quadratic pattern would take minutes on these and
 * hit the test timeout, while the linear parsers take milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../shared/import/detect';
import { createParser } from '../../shared/import/index';
import type { ImportFormat } from '../../shared/import/types';

const SIZE = 40_000;
const PATTERNS: Record<string, string> = {
  spaces: `${' '.repeat(SIZE)}x`,
  tabs: `${'\t'.repeat(SIZE)}x`,
  commas: `${','.repeat(SIZE)}x`,
  dashes: `${' - '.repeat(SIZE / 3)}x`,
  tags: '<a '.repeat(SIZE / 3),
  entities: '&#'.repeat(SIZE / 2),
  hashes: `${'#1'.repeat(SIZE / 2)})`,
  parentheses: `${'('.repeat(SIZE)}#1)`,
  ands: `${' and'.repeat(SIZE / 4)} `,
  brackets: `[${'['.repeat(SIZE)}`,
  digits: `${'9'.repeat(SIZE)}.`,
  quotes: '"'.repeat(SIZE),
};

const HEADERS: Record<Exclude<ImportFormat, 'marc' | 'isbn' | 'json'>, string[]> = {
  goodreads: [
    'Book Id',
    'Title',
    'Author',
    'Additional Authors',
    'ISBN',
    'ISBN13',
    'My Rating',
    'Number of Pages',
  ],
  storygraph: [
    'Title',
    'Authors',
    'ISBN/UID',
    'Read Status',
    'Dates Read',
    'Star Rating',
    'Content Warnings',
    'Moods',
  ],
  librarything: [
    'Book Id',
    'Title',
    'Primary Author',
    'Secondary Author',
    'Publication',
    'Date',
    'ISBNs',
    'Subjects',
  ],
  calibre: ['title', 'authors', 'identifiers', 'isbn', 'comments', 'pubdate', 'series_index', 'rating'],
  csv: ['Title', 'Author', 'ISBN', 'Description', 'Genre', 'Lexile', 'Year', 'Series #'],
  roster: ['Name', 'Grade', 'Age', 'Reading Level', 'Interests', 'Class'],
};

const quoted = (value: string): string => `"${value.replace(/"/g, '""')}"`;

describe('pathological cells', () => {
  for (const [format, headers] of Object.entries(HEADERS))
    it(`${format}: read in linear time`, () => {
      for (const [name, pattern] of Object.entries(PATTERNS)) {
        const delimiter = format === 'librarything' ? '\t' : ',';
        const text = `${headers.join(delimiter)}\n${headers.map(() => quoted(pattern)).join(delimiter)}\n`;
        const parser = createParser(format as ImportFormat, { delimiter });
        const rows = parser.push(text).concat(parser.end());
        expect(
          rows.map((row) => row.row),
          `${format} ${name}`,
        ).toEqual([2]);
        expect(typeof detectFormat(text.slice(0, 65_536)).ok).toBe('boolean');
      }
    });

  it('ISBN lists, JSON and detection: read in linear time', () => {
    for (const [name, pattern] of Object.entries(PATTERNS)) {
      const isbn = createParser('isbn');
      const listed = isbn.push(`${pattern}\n9780439023481\n`).concat(isbn.end());
      expect(listed.at(-1), name).toMatchObject({ row: 2, kind: 'book' });
      const json = createParser('json');
      const rows = json
        .push(JSON.stringify([{ title: pattern, author: pattern, isbn: pattern }]))
        .concat(json.end());
      expect(rows, name).toHaveLength(1);
      for (const head of [pattern, `[${pattern}`, `{"a": [${'{'.repeat(SIZE)}`, `<record>${pattern}`])
        expect(typeof detectFormat(head.slice(0, 65_536)).ok).toBe('boolean');
    }
    const deep = `${'['.repeat(65_536)}`;
    expect(detectFormat(deep).ok).toBe(false);
  });
});
