/**
 * `readers.export`: everything about one reader (profile, class, interactions, feedback, pins and
 * blocks, served lists with their explanations) as the versioned document of
 * shared/contract/reader-export.ts, written atomically; the file round-trips through the schema.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readerExportSchema } from '../../shared/contract/reader-export';
import { cleanupDirs, failure, open, tempDir, value } from '../support/core';

afterAll(cleanupDirs);

describe('readers.export', () => {
  it('writes everything about one reader, and the file round-trips through the schema', async () => {
    const core = await open();
    const { api } = core;
    try {
      const added = value(
        await api.books.addMany({
          books: Array.from({ length: 12 }, (_, index) => ({
            title: `Export book ${index}`,
            authors: ['A. Writer'],
            subjects: ['Adventure'],
            approvedForChildren: true,
            readingLevel: { value: `${820 + index * 5}L`, system: 'lexile' as const },
          })),
        }),
      );
      const reader = value(
        await api.readers.add({
          name: 'Mira Okonkwo',
          grade: 5,
          age: 10,
          notes: 'Prefers audiobooks',
          interests: ['volcanoes', 'chess'],
          className: 'Room 12',
        }),
      );
      const other = value(await api.readers.add({ name: 'Someone Else', grade: 5 }));
      const [first, second, third, fourth] = added.ids as [string, string, string, string];
      value(await api.interactions.log({ readerId: reader.id, bookId: first, type: 'finish' }));
      value(await api.interactions.log({ readerId: reader.id, bookId: second, type: 'rating', value: 4 }));
      value(await api.interactions.log({ readerId: other.id, bookId: first, type: 'finish' }));
      const served = value(await api.recommend.get({ readerId: reader.id, k: 5 }));
      expect(served.items.length).toBeGreaterThan(0);
      const item = served.items[0];
      value(
        await api.recommend.feedback({ readerId: reader.id, bookId: item?.bookId as string, kind: 'up' }),
      );
      value(await api.recommend.feedback({ readerId: reader.id, bookId: third, kind: 'pin' }));
      value(await api.recommend.feedback({ readerId: reader.id, bookId: fourth, kind: 'block' }));

      const out = join(tempDir('lumin-export-'), 'mira.json');
      const written = value(await api.readers.export({ id: reader.id, out }));
      expect(written.path).toBe(out);
      const text = readFileSync(out, 'utf8');
      expect(Buffer.byteLength(text)).toBe(written.bytes);
      const document = readerExportSchema.parse(JSON.parse(text));
      expect(document).toEqual(written.data);
      expect(document.format).toBe('lumin.reader-export');
      expect(document.version).toBe(1);
      expect(document.reader).toMatchObject({
        id: reader.id,
        name: 'Mira Okonkwo',
        notes: 'Prefers audiobooks',
        interests: ['volcanoes', 'chess'],
        sync: true,
      });
      expect(document.class?.name).toBe('Room 12');
      expect(document.interactions.map((event) => event.type)).toEqual([
        'finish',
        'rating',
        'thumbs_up',
        'pin',
        'block',
      ]);
      expect(document.interactions.every((event) => event.book.title.startsWith('Export book'))).toBe(true);
      expect(document.feedback.map((event) => event.type)).toEqual(['thumbs_up']);
      expect(document.feedback[0]?.recLogId).toBe(item?.recLogId);
      expect(document.pins.map((pin) => pin.book.id)).toEqual([third]);
      expect(document.blocks.map((block) => block.book.id)).toEqual([fourth]);
      const list = document.servedLists.find((entry) => entry.requestId === served.requestId);
      expect(list?.items.map((entry) => entry.book?.id)).toEqual(served.items.map((entry) => entry.bookId));
      expect(list?.items[0]?.explanation).toBe(item?.explanation);
      // Nothing of another reader.
      expect(text).not.toContain(other.id);
      expect(text).not.toContain('Someone Else');

      // Without `out` the document comes back only; an unknown reader is `not_found`.
      expect(value(await api.readers.export({ id: reader.id })).path).toBeNull();
      expect(failure(await api.readers.export({ id: randomUUID() })).code).toBe('not_found');
      // A schema of another version is refused (readers of the file check it first).
      expect(readerExportSchema.safeParse({ ...document, version: 2 }).success).toBe(false);
    } finally {
      await core.close();
    }
  }, 120_000);
});
