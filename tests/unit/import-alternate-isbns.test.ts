/**
 * Rows that list several ISBNs of one work give one ISBN and the others as alternates, with no problem
 * for the difference: MARC's repeated 020 (see import-marc.test.ts), LibraryThing's "ISBNs", Calibre's
 * isbn column against its identifiers, a generic file's ISBN list cell.
 */
import { describe, expect, it } from 'vitest';
import { createCalibreParser } from '../../shared/import/calibre';
import { createGenericCsvParser } from '../../shared/import/generic';
import { createLibrarythingParser } from '../../shared/import/librarything';
import type { ParsedRow, RowParser } from '../../shared/import/types';
import { run } from '../support/import-fuzz';

function only(make: () => RowParser, text: string): ParsedRow & { kind: 'book' } {
  const rows = run(make, [text]);
  expect(rows).toHaveLength(1);
  const row = rows[0] as ParsedRow;
  if (row.kind !== 'book') throw new Error(`expected a book row, got ${row.kind}`);
  return row;
}

const CASES: [string, () => RowParser, string][] = [
  [
    'LibraryThing: the ISBN, and every other edition in "ISBNs"',
    () => createLibrarythingParser(),
    [
      'Book Id\tTitle\tPrimary Author\tISBN\tISBNs',
      '1\tHoles\tSachar, Louis\t[0440414806]\t9780440414803, 0440414806, 0374332657',
    ].join('\n'),
  ],
  [
    'Calibre: an isbn column and an identifiers isbn that differ',
    () => createCalibreParser(),
    [
      'authors,id,identifiers,isbn,title',
      'Louis Sachar,4,"isbn:9780374332655,goodreads:38709",9780440414803,Holes',
    ].join('\n'),
  ],
  [
    'generic CSV: a cell listing several ISBNs',
    () => createGenericCsvParser(),
    ['Title,Author,ISBN', 'Holes,Louis Sachar,"9780440414803; 0374332657"'].join('\n'),
  ],
];

describe('alternate ISBNs', () => {
  it.each(CASES)('%s', (_name, make, text) => {
    const row = only(make, text);
    expect(row.book).toMatchObject({ isbn13: '9780440414803', alternateIsbns: ['9780374332655'] });
    expect(row.problems).toEqual([]);
  });
});
