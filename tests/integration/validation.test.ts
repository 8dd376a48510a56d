/** Boundary validation: malformed arguments get an error with a code and a field, and write nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../shared/contract/api';
import type { Core } from '../../workers/host/core';
import { cleanupDirs, failure, open, value } from '../support/core';

let core: Core;
beforeAll(async () => {
  core = await open();
});
afterAll(async () => {
  await core.close();
  cleanupDirs();
});

async function counts() {
  return value(await core.api.status.get()).counts;
}

describe('boundary validation', () => {
  const malformed: [MethodName, unknown, string][] = [
    ['books.add', { title: '   ' }, 'books.add: title: must not be empty'],
    ['books.add', { title: 'X', isbn13: '9780440414804' }, 'books.add: isbn13: is not a valid ISBN-13'],
    ['books.add', { title: 'X', pages: -3 }, 'books.add: pages:'],
    [
      'books.add',
      { title: 'X', readingLevel: { value: 'purple', system: 'lexile' } },
      'books.add: readingLevel.value:',
    ],
    ['books.add', { title: 'X', colour: 'red' }, 'books.add: (input): Unrecognized key'],
    ['books.add', 'Holes', 'books.add: (input):'],
    ['books.get', { id: 'not-a-uuid' }, 'books.get: id: must be a UUID'],
    ['readers.add', { name: 'Kid', age: 400 }, 'readers.add: age:'],
    [
      'readers.add',
      { name: 'Kid', classId: '5d1b0f2e-4a6f-4c6b-9d53-0a7f0e2c1b11', className: 'Room 1' },
      'readers.add: className: give classId or className',
    ],
    [
      'interactions.log',
      { readerId: 'x', bookId: 'y', type: 'love' },
      'interactions.log: readerId: must be a UUID',
    ],
    ['settings.set', { key: 'backup.keep', value: 0 }, 'settings.set: value:'],
  ];

  it.each(malformed)(
    '%s %j is refused with invalid_argument naming the field',
    async (method, input, message) => {
      const before = await counts();
      const error = failure(await core.invoke(method, input));
      expect(error.name).toBe('LuminError');
      expect(error.code).toBe('invalid_argument');
      expect(error.message.startsWith(message)).toBe(true);
      expect(await counts()).toEqual(before);
    },
  );

  it('refuses an unknown method', async () => {
    const error = failure(await core.invoke('books.drop' as MethodName, {}));
    expect(error.code).toBe('unknown_method');
  });

  it('writes none of a batch when one row is bad, and names the row', async () => {
    const books = Array.from({ length: 50 }, (_, index) => ({ title: `Book ${index}` }));
    books[37] = { title: '' };
    const error = failure(await core.api.books.addMany({ books }));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/^books\.addMany: books\[37\]\.title: must not be empty/);
    expect((await counts()).books).toBe(0);
  });

  it('writes none of a batch when a row repeats an ISBN, and names both rows', async () => {
    const error = failure(
      await core.api.books.addMany({
        books: [
          { title: 'A', isbn: '0689840926' },
          { title: 'B' },
          { title: 'C', isbn: '978-0-689-84092-0' },
        ],
      }),
    );
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('books[2]: ISBN 9780689840920 repeats books[0]');
    expect((await counts()).books).toBe(0);
  });

  it('returns errors that survive structured clone and JSON unchanged', async () => {
    const error = failure(await core.api.books.get({ id: 'nope' }));
    expect(JSON.parse(JSON.stringify(error))).toEqual(error);
    expect(structuredClone(error)).toEqual(error);
  });
});
