/**
 * One book per work, through the real core: editions merge into one book that keeps the other
 * editions' ISBNs as alternates (found by imports and `books.resolve`), every ISBN a record lists maps
 * to one book, and a record with neither ISBN nor author matches on its catalogue record, else on its
 * exact normalised title, so a re-import creates nothing. Preview and commit decide alike throughout.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Core } from '../../workers/host/core';
import { cleanupDirs, failure, open, value } from '../support/core';
import { type XmlRecord, goodreadsCsv, importFile, marcXml } from '../support/import-files';

afterAll(cleanupDirs);

/** Previews and commits `path`; checks the commit created what the preview said. */
async function importOnce(core: Core, path: string, readerName?: string) {
  const preview = value(await core.api.imports.preview({ path, ...(readerName ? { readerName } : {}) }));
  const result = value(await core.api.imports.commit({ previewId: preview.previewId }));
  expect(result.imported).toBe(preview.toCreate);
  return { preview, result };
}

const HOLES_PAPERBACK = '9780440414803';
const HOLES_HARDCOVER = '9780374332655';

describe('one book per work', () => {
  it('merges another edition (same title and first author) and keeps its ISBN as an alternate', async () => {
    const core = await open();
    const first = goodreadsCsv([
      { id: '1', title: 'Holes', author: 'Louis Sachar', isbn13: HOLES_PAPERBACK },
    ]);
    await importOnce(core, importFile('first.csv', first), 'Ada');
    const hardcover = goodreadsCsv([
      { id: '2', title: 'Holes', author: 'Louis Sachar', isbn13: HOLES_HARDCOVER },
    ]);
    const { preview, result } = await importOnce(core, importFile('second.csv', hardcover), 'Ada');
    expect(preview.merges).toMatchObject([{ row: 2, by: 'title_author' }]);
    expect(result).toMatchObject({ imported: 0, updated: 1 });

    const book = value(await core.api.books.resolve({ ref: HOLES_HARDCOVER }));
    expect(book).toMatchObject({ isbn13: HOLES_PAPERBACK, alternateIsbns: [HOLES_HARDCOVER] });
    expect(value(await core.api.books.get({ id: book.id })).alternateIsbns).toEqual([HOLES_HARDCOVER]);
    const listed = value(await core.api.books.list({ query: HOLES_HARDCOVER }));
    expect(listed.items.map((item) => item.id)).toEqual([book.id]);
    expect(value(await core.api.status.get()).counts.books).toBe(1);

    // The hardcover's ISBN now finds the book even where title and author would not.
    const other = goodreadsCsv([{ id: '3', title: 'Holes', author: 'L. Sachar', isbn13: HOLES_HARDCOVER }]);
    const third = await importOnce(core, importFile('third.csv', other), 'Ada');
    expect(third.preview.merges).toMatchObject([{ row: 2, by: 'isbn', bookId: book.id }]);
    expect(third.result).toMatchObject({ imported: 0, interactions: 0 });

    // An ISBN belongs to one book: adding the hardcover as a book of its own is refused.
    const clash = failure(await core.api.books.add({ title: 'Holes', isbn13: HOLES_HARDCOVER }));
    expect(clash).toMatchObject({ code: 'conflict', details: { existingId: book.id } });
    await core.close();
  });

  it('maps every ISBN a MARC record lists (020 repeated) to one book', async () => {
    const core = await open();
    const record: XmlRecord = {
      control: [['001', 'hp1']],
      data: [
        ['020', [['a', '9780590353427 (pbk.)']]],
        ['020', [['a', '0590353403 (hardcover)']]],
        ['020', [['a', '9780747532699 (UK)']]],
        ['100', [['a', 'Rowling, J. K.']]],
        ['245', [['a', "Harry Potter and the sorcerer's stone /"]]],
      ],
    };
    await importOnce(core, importFile('catalog.xml', marcXml([record])));
    const book = value(await core.api.books.resolve({ ref: '9780747532699' }));
    expect(book.isbn13).toBe('9780590353427');
    expect(book.alternateIsbns).toEqual(['9780590353403', '9780747532699']);

    // A reader's UK edition, under its UK title, is the same book.
    const history = goodreadsCsv([
      {
        id: '9',
        title: "Harry Potter and the Philosopher's Stone",
        author: 'J.K. Rowling',
        isbn13: '9780747532699',
      },
    ]);
    const { preview, result } = await importOnce(core, importFile('history.csv', history), 'Ben');
    expect(preview.merges).toMatchObject([{ by: 'isbn', bookId: book.id }]);
    expect(result.imported).toBe(0);
    const ben = value(await core.api.readers.resolve({ ref: 'Ben' }));
    const read = value(await core.api.interactions.list({ readerId: ben.id }));
    expect(read.items.map((item) => item.bookId)).toContain(book.id);
    await core.close();
  });

  it('matches a record with neither ISBN nor author on its control number, else on its exact title', async () => {
    const core = await open();
    const titleOnly = (title: string, control: [string, string][]): XmlRecord => ({
      control,
      data: [['245', [['a', title]]]],
    });
    const catalog: XmlRecord[] = [
      titleOnly('Poems /', [
        ['001', 'b100'],
        ['003', 'XyLib'],
      ]),
      // Another catalogue record with the same title is another book.
      titleOnly('Poems /', [
        ['001', 'b200'],
        ['003', 'XyLib'],
      ]),
      // No control number, and a title that normalises to nothing but itself.
      titleOnly('(Untitled)', []),
      { data: [['035', [['a', '(Sirsi) a555']]], ...titleOnly('Songs', []).data] },
    ];
    const path = importFile('catalog.xml', marcXml(catalog));
    expect((await importOnce(core, path)).result.imported).toBe(4);
    const again = await importOnce(core, path);
    expect(again.result).toMatchObject({ imported: 0, duplicates: 4 });

    // The catalogue corrected two titles: the records are still the same books.
    const correctedRecords: XmlRecord[] = [
      titleOnly('Poems, collected /', [
        ['001', 'b100'],
        ['003', 'XyLib'],
      ]),
      { data: [['035', [['a', '(Sirsi)  a555']]], ...titleOnly('Songs for children', []).data] },
    ];
    const corrected = marcXml(correctedRecords);
    const third = await importOnce(core, importFile('corrected.xml', corrected));
    expect(third.preview.merges.map((merge) => merge.by)).toEqual(['control_number', 'control_number']);
    expect(third.result.imported).toBe(0);
    expect(value(await core.api.status.get()).counts.books).toBe(4);
    await core.close();
  });
});
