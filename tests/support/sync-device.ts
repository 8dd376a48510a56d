/** Device-side sync test helpers: a small library with valid ISBN-13s and readers with histories. */
import type { Core } from '../../workers/host/core';
import { value } from './core';

/** A valid ISBN-13 from a 12-digit stem. */
export function isbn13(stem: number): string {
  const digits = `978${String(stem).padStart(9, '0')}`;
  const sum = [...digits].reduce(
    (total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 1 : 3),
    0,
  );
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

/** Adds `count` books (with ISBNs) and `readers` readers; returns their ids. */
export async function smallLibrary(
  core: Core,
  count: number,
  readers: number,
): Promise<{ books: string[]; isbns: string[]; readers: string[] }> {
  const isbns = Array.from({ length: count }, (_, index) => isbn13(100_000 + index));
  const added = value(
    await core.api.books.addMany({
      books: isbns.map((isbn, index) => ({
        title: `Sync book ${index}`,
        authors: ['A. Writer'],
        isbn13: isbn,
        // Readers are children: the age gate lets approved books through.
        approvedForChildren: true,
      })),
    }),
  );
  const readerIds: string[] = [];
  for (let index = 0; index < readers; index++)
    readerIds.push(value(await core.api.readers.add({ name: `Student Secret${index}`, grade: 4 })).id);
  return { books: added.ids, isbns, readers: readerIds };
}

/** Logs `finish` interactions: reader r reads books r..r+span (wrapping), so neighbours overlap. */
export async function logHistories(
  core: Core,
  library: { books: string[]; readers: string[] },
  span: number,
  readers = library.readers,
): Promise<number> {
  let logged = 0;
  for (const [r, readerId] of readers.entries())
    for (let offset = 0; offset < span; offset++) {
      const bookId = library.books[(r * 2 + offset) % library.books.length] as string;
      value(await core.api.interactions.log({ readerId, bookId, type: 'finish' }));
      logged += 1;
    }
  return logged;
}
