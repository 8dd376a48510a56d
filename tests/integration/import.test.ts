/** Imports through the real core: preview, commit, re-import, merges, problems, export round trip. */
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../shared/contract/events';
import { goodreadsExport } from '../../bench/fixtures/goodreads';
import { cleanupDirs, failure, open, tempDir, value } from '../support/core';

afterAll(cleanupDirs);

function file(name: string, text: string | Uint8Array): string {
  const path = join(tempDir('lumin-import-'), name);
  writeFileSync(path, text);
  return path;
}

describe('import', () => {
  it('previews, commits, and changes nothing on a re-import of the same file', async () => {
    const core = await open();
    const path = file('goodreads_library_export.csv', goodreadsExport(60));
    const progress: ImportProgress[] = [];
    core.on('import.progress', (event) => progress.push(event));

    const preview = value(await core.api.imports.preview({ path, readerName: 'Ada' }));
    expect(preview).toMatchObject({
      format: 'goodreads',
      rows: 60,
      toCreate: 60,
      toMerge: 0,
      problemCount: 0,
    });
    expect(preview.reader).toEqual({ id: null, name: 'Ada', created: true });
    expect(preview.interactions).toBeGreaterThan(60);
    expect(value(await core.api.status.get()).counts.books).toBe(0); // a preview writes nothing

    const result = value(await core.api.imports.commit({ previewId: preview.previewId }));
    expect(result).toMatchObject({
      format: 'goodreads',
      rows: 60,
      imported: 60,
      updated: 0,
      duplicates: 0,
      books: 60,
      failed: [],
    });
    expect(result.interactions).toBe(preview.interactions);
    expect(progress.some((event) => event.phase === 'commit' && event.done === 60)).toBe(true);

    const ada = value(await core.api.readers.resolve({ ref: 'Ada' }));
    const fifth = value(await core.api.books.list({ query: 'of Book 5', limit: 20 })).items.find((book) =>
      book.title.endsWith('of Book 5'),
    );
    // "The … of Book 5 (The … Chronicles, #6)": the series note leaves the title for the series fields.
    expect(fifth).toMatchObject({ seriesIndex: 6, year: 1985, pages: 105 });
    expect(fifth?.series).toMatch(/^The \S+ Chronicles$/);
    expect(fifth?.isbn13).toMatch(/^978\d{10}$/);
    const counts = value(await core.api.status.get()).counts;

    const again = value(await core.api.imports.preview({ path, readerId: ada.id }));
    expect(again).toMatchObject({ toCreate: 0, toMerge: 60 });
    const second = value(await core.api.imports.commit({ previewId: again.previewId }));
    expect(second).toMatchObject({ imported: 0, updated: 0, duplicates: 60, interactions: 0 });
    expect(value(await core.api.status.get()).counts).toEqual(counts);
    await core.close();
  });

  it('reports bad rows by row, field and reason, imports the rest, and with strict writes nothing', async () => {
    const core = await open();
    const text = [
      'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies',
      '1,Holes,Louis Sachar,"Sachar, Louis",,"=""0440414806""","=""9780440414804""",5,4.0,Yearling,Paperback,233,2000,1998,2021/05/01,2021/04/01,,,read,,,,1,0',
      '2,,,,,"=""""","=""""",0,0,,,,,,,2021/04/01,,,to-read,,,,0,0',
      '3,Hatchet,Gary Paulsen,"Paulsen, Gary",,"=""0689840926""","=""9780689840920""",4,3.9,Atheneum,Paperback,195,2000,1987,,2021/04/02,,,read,,,,1,0',
    ].join('\n');
    const path = file('library.csv', text);
    const strict = value(await core.api.imports.preview({ path }));
    expect(strict.problemCount).toBeGreaterThanOrEqual(2);
    const refused = failure(await core.api.imports.commit({ previewId: strict.previewId, strict: true }));
    expect(refused.code).toBe('invalid_argument');
    expect(value(await core.api.status.get()).counts.books).toBe(0);

    const preview = value(await core.api.imports.preview({ path }));
    const result = value(await core.api.imports.commit({ previewId: preview.previewId }));
    expect(result.imported).toBe(2);
    expect(result.failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, field: expect.stringMatching(/ISBN13/i) }),
        expect.objectContaining({ row: 3 }),
      ]),
    );
    const holes = value(await core.api.books.resolve({ ref: 'Holes' }));
    expect(holes.isbn13).toBe('9780440414803'); // the valid ISBN-10 supplied the ISBN-13
    await core.close();
  });

  it('refuses a file it cannot read, writing nothing', async () => {
    const core = await open();
    const junk = file(
      'photo.csv',
      Uint8Array.from({ length: 4096 }, (_, index) => (index * 131 + 7) % 256),
    );
    const error = failure(await core.api.imports.preview({ path: junk }));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain('cannot be read as any format');
    expect(failure(await core.api.imports.preview({ path: file('empty.csv', '') })).code).toBe(
      'invalid_argument',
    );
    expect(failure(await core.api.imports.preview({ path: join(tempDir(), 'missing.csv') })).code).toBe(
      'not_found',
    );
    expect(value(await core.api.status.get()).counts.books).toBe(0);
    await core.close();
  });

  it('merges by ISBN and proposes title-and-author merges the user may reject', async () => {
    const core = await open();
    value(await core.api.books.add({ title: 'Hatchet', authors: ['Gary Paulsen'] }));
    value(await core.api.books.add({ title: 'Holes', authors: ['Louis Sachar'], isbn: '9780440414803' }));
    const path = file(
      'list.csv',
      'Title,Author,ISBN,Pages\n"Hatchet: A Novel",Gary Paulsen,,195\nHoles,"Sachar, Louis",0440414806,233\nHoles (again),Louis Sachar,978-0-440-41480-3,\n',
    );
    const preview = value(await core.api.imports.preview({ path }));
    expect(preview.format).toBe('csv');
    expect(preview.merges.map((merge) => [merge.row, merge.by])).toEqual([
      [2, 'title_author'],
      [3, 'isbn'],
      [4, 'isbn'],
    ]);
    const result = value(await core.api.imports.commit({ previewId: preview.previewId, rejectMerges: [2] }));
    expect(result.imported).toBe(1); // the rejected merge became its own book
    expect(value(await core.api.books.list({ query: 'hatchet' })).total).toBe(2);
    expect(value(await core.api.books.resolve({ ref: 'Holes' })).pages).toBe(233); // the merge filled in what was missing
    await core.close();
  });

  it('imports a roster into a class, once', async () => {
    const core = await open();
    const path = file(
      'roster.csv',
      'Name,Grade,Age,Reading Level,Interests\nAda Lovelace,4,9,650L,"space, dragons"\nSam Lee,K,5,C,trucks\n',
    );
    const preview = value(await core.api.imports.preview({ path, className: 'Room 4' }));
    expect(preview.format).toBe('roster');
    expect(value(await core.api.imports.commit({ previewId: preview.previewId })).imported).toBe(2);
    const readers = value(await core.api.readers.list()).items;
    expect(readers.map((reader) => [reader.name, reader.grade, reader.readingLevel?.value])).toEqual([
      ['Ada Lovelace', 4, '650L'],
      ['Sam Lee', 0, 'C'],
    ]);
    expect(value(await core.api.classes.list())[0]).toMatchObject({ name: 'Room 4', readerCount: 2 });
    const again = value(await core.api.imports.preview({ path, className: 'Room 4' }));
    expect(value(await core.api.imports.commit({ previewId: again.previewId }))).toMatchObject({
      imported: 0,
      duplicates: 2,
    });
    await core.close();
  });

  it('refuses to commit a file that changed since its preview, and can cancel a commit', async () => {
    const core = await open();
    const path = file('big.csv', goodreadsExport(20_000));
    const preview = value(await core.api.imports.preview({ path, readerName: 'Sam' }));
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(failure(await core.api.imports.commit({ previewId: preview.previewId })).code).toBe('conflict');

    const fresh = value(await core.api.imports.preview({ path, readerName: 'Sam' }));
    let cancelled = false;
    core.on('import.progress', (event) => {
      if (event.phase === 'commit' && !cancelled) {
        cancelled = true;
        void core.api.imports.cancel({ previewId: fresh.previewId });
      }
    });
    const error = failure(await core.api.imports.commit({ previewId: fresh.previewId }));
    expect(error.code).toBe('cancelled');
    expect(value(await core.api.status.get()).counts).toMatchObject({
      books: 0,
      readers: 0,
      interactions: 0,
    });
    await core.close();
  });

  it('exports a reader as Goodreads CSV that imports back to the same books, shelves and ratings', async () => {
    const source = await open();
    const path = file('goodreads.csv', goodreadsExport(40, 7));
    const preview = value(await source.api.imports.preview({ path, readerName: 'Ada' }));
    value(await source.api.imports.commit({ previewId: preview.previewId }));
    const ada = value(await source.api.readers.resolve({ ref: 'Ada' }));
    const out = join(tempDir(), 'ada.csv');
    expect(value(await source.api.imports.export({ readerId: ada.id, format: 'goodreads', out })).books).toBe(
      40,
    );
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toMatch(/^Book Id,Title,Author/);

    const target = await open();
    const back = value(await target.api.imports.preview({ path: out, readerName: 'Ada' }));
    expect(back.format).toBe('goodreads');
    value(await target.api.imports.commit({ previewId: back.previewId }));
    const shelf = async (core: typeof source) => {
      const reader = value(await core.api.readers.resolve({ ref: 'Ada' }));
      const items = value(await core.api.interactions.list({ readerId: reader.id, limit: 10_000 })).items;
      const books = value(await core.api.books.list({ limit: 10_000 })).items;
      const byId = new Map(books.map((book) => [book.id, book.isbn13]));
      return {
        books: books.map((book) => [book.title, book.isbn13, book.series, book.seriesIndex]).sort(),
        events: items
          .map((item) => [byId.get(item.bookId), item.type, item.value, item.occurredAt.slice(0, 10)])
          .sort(),
      };
    };
    expect(await shelf(target)).toEqual(await shelf(source));
    await source.close();
    await target.close();
  });
});
