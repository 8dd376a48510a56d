/** CRUD through the real worker boundary and a real PGlite in a temp directory. */
import { randomUUID } from 'node:crypto';
import { migrationsDir } from '../../workers/db/layout';
import { loadMigrations } from '../../workers/db/migrate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataChange } from '../../shared/contract/events';
import type { Core } from '../../workers/host/core';
import { cleanupDirs, failure, open, value } from '../support/core';

let core: Core;
const changes: DataChange[] = [];

beforeAll(async () => {
  core = await open();
  core.on('data.changed', (change) => changes.push(change));
});
afterAll(async () => {
  await core.close();
  cleanupDirs();
});

describe('books', () => {
  it('adds a book, fills the other ISBN form, and finds it by id, ISBN and title', async () => {
    const book = value(
      await core.api.books.add({
        title: 'Holes',
        authors: ['Louis Sachar'],
        isbn: '0-440-41480-6',
        readingLevel: { value: '660l', system: 'lexile' },
        subjects: ['Friendship', 'Friendship', 'Camps'],
        interestAgeMin: 9,
        interestAgeMax: 14,
      }),
    );
    expect(book.isbn10).toBe('0440414806');
    expect(book.isbn13).toBe('9780440414803');
    expect(book.readingLevel).toEqual({ value: '660L', system: 'lexile', source: 'known' });
    expect(book.subjects).toEqual(['Friendship', 'Camps']);
    expect(changes).toContainEqual({ entity: 'books', op: 'insert', ids: [book.id] });

    expect(value(await core.api.books.get({ id: book.id })).title).toBe('Holes');
    expect(value(await core.api.books.resolve({ ref: '978-0-440-41480-3' })).id).toBe(book.id);
    expect(value(await core.api.books.resolve({ ref: 'holes' })).id).toBe(book.id);
    expect(failure(await core.api.books.resolve({ ref: 'Nothing Like It' })).code).toBe('not_found');
  });

  it('refuses a second book with the same ISBN, naming the holder', async () => {
    const error = failure(await core.api.books.add({ title: 'Holes again', isbn13: '9780440414803' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('"Holes"');
  });

  it('lists with a query, a window and a total', async () => {
    value(
      await core.api.books.addMany({
        books: [
          { title: 'Hatchet', authors: ['Gary Paulsen'], isbn: '0689840926' },
          { title: 'Wonder', authors: ['R. J. Palacio'] },
          { title: 'Wonderstruck', authors: ['Brian Selznick'] },
        ],
      }),
    );
    const page = value(await core.api.books.list({ query: 'wonder', limit: 1 }));
    expect(page.total).toBe(2);
    expect(page.items.map((book) => book.title)).toEqual(['Wonder']);
    expect(value(await core.api.books.list({ query: 'paulsen' })).items[0]?.title).toBe('Hatchet');
    expect(value(await core.api.books.list()).total).toBe(4);
  });

  it('updates and clears fields, and says when two books share a title', async () => {
    const wonder = value(await core.api.books.resolve({ ref: 'Wonder' }));
    const updated = value(
      await core.api.books.update({
        id: wonder.id,
        patch: { pages: 310, description: 'Auggie goes to school.', year: 2012 },
      }),
    );
    expect(updated.pages).toBe(310);
    const cleared = value(await core.api.books.update({ id: wonder.id, patch: { pages: null } }));
    expect(cleared.pages).toBeNull();
    expect(cleared.description).toBe('Auggie goes to school.');
    expect(
      failure(
        await core.api.books.update({ id: wonder.id, patch: { interestAgeMin: 12, interestAgeMax: 8 } }),
      ).code,
    ).toBe('invalid_argument');

    value(await core.api.books.add({ title: 'Wonder', authors: ['Someone Else'] }));
    const ambiguous = failure(await core.api.books.resolve({ ref: 'wonder' }));
    expect(ambiguous.code).toBe('ambiguous');
    expect(ambiguous.details?.candidates).toHaveLength(2);
  });

  it('removes a book', async () => {
    const hatchet = value(await core.api.books.resolve({ ref: 'Hatchet' }));
    expect(value(await core.api.books.remove({ id: hatchet.id }))).toEqual({ id: hatchet.id });
    expect(failure(await core.api.books.get({ id: hatchet.id })).code).toBe('not_found');
    expect(failure(await core.api.books.remove({ id: hatchet.id })).code).toBe('not_found');
  });
});

describe('classes and readers', () => {
  it('creates a class by name when a reader names it, and counts its readers', async () => {
    const ada = value(
      await core.api.readers.add({
        name: 'Ada',
        grade: 4,
        age: 9,
        readingLevel: { value: 'm', system: 'guided_reading' },
        interests: ['space', 'dragons'],
        className: 'Room 4',
      }),
    );
    const sam = value(await core.api.readers.add({ name: 'Sam', grade: 0, className: 'room 4' }));
    expect(sam.classId).toBe(ada.classId);
    const classes = value(await core.api.classes.list());
    expect(classes).toHaveLength(1);
    expect(classes[0]).toMatchObject({ name: 'Room 4', readerCount: 2 });
    expect(failure(await core.api.classes.add({ name: 'ROOM 4' })).code).toBe('conflict');

    const inClass = value(await core.api.readers.list({ classId: ada.classId ?? undefined }));
    expect(inClass.items.map((reader) => reader.name)).toEqual(['Ada', 'Sam']);
  });

  it('allows exactly one self reader', async () => {
    value(await core.api.readers.add({ name: 'Me', kind: 'self' }));
    const error = failure(await core.api.readers.add({ name: 'Also me', kind: 'self' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('self reader');
  });

  it('updates a reader and moves them between classes', async () => {
    const sam = value(await core.api.readers.resolve({ ref: 'sam' }));
    const moved = value(
      await core.api.readers.update({
        id: sam.id,
        patch: { className: 'Room 5', age: 6, interests: ['trucks'] },
      }),
    );
    expect(moved.classId).not.toBe(sam.classId);
    expect(moved.interests).toEqual(['trucks']);
    const removedClass = value(await core.api.classes.list()).find((item) => item.name === 'Room 5');
    value(await core.api.classes.remove({ id: removedClass?.id ?? '' }));
    expect(value(await core.api.readers.get({ id: sam.id })).classId).toBeNull();
  });
});

describe('interactions', () => {
  it('logs idempotently by client id and refuses a different event under the same id', async () => {
    const reader = value(await core.api.readers.resolve({ ref: 'Ada' }));
    const book = value(await core.api.books.resolve({ ref: 'Holes' }));
    const id = randomUUID();
    const rating = { id, readerId: reader.id, bookId: book.id, type: 'rating' as const, value: 4.5 };
    const first = value(await core.api.interactions.log(rating));
    const again = value(await core.api.interactions.log(rating)); // a retry of the same event
    expect(again).toEqual(first);
    expect(
      failure(
        await core.api.interactions.log({ id, readerId: reader.id, bookId: book.id, type: 'thumbs_down' }),
      ).code,
    ).toBe('conflict');
    value(await core.api.interactions.log({ readerId: reader.id, bookId: book.id, type: 'thumbs_up' }));
    const listed = value(await core.api.interactions.list({ readerId: reader.id }));
    expect(listed.total).toBe(2);
    expect(listed.items.map((item) => item.type).sort()).toEqual(['rating', 'thumbs_up']);
  });

  it('names the missing reader or book', async () => {
    const book = value(await core.api.books.resolve({ ref: 'Holes' }));
    const error = failure(
      await core.api.interactions.log({ readerId: randomUUID(), bookId: book.id, type: 'view' }),
    );
    expect(error).toMatchObject({ code: 'not_found', details: { field: 'readerId' } });
  });

  it('keeps interactions off the sync outbox while sync is off', async () => {
    const status = value(await core.api.status.get());
    expect(status.counts.interactions).toBe(2);
    expect(value(await core.api.settings.get({ key: 'sync.enabled' })).value).toBe(false);
  });
});

describe('settings, jobs and status', () => {
  it('validates settings against their schema and keeps defaults', async () => {
    expect(value(await core.api.settings.set({ key: 'mode', value: 'reader' })).value).toBe('reader');
    expect(value(await core.api.settings.list()).mode).toBe('reader');
    expect(failure(await core.api.settings.set({ key: 'mode', value: 'admin' })).message).toMatch(
      /^settings\.set: value:/,
    );
    expect(failure(await core.api.settings.set({ key: 'colour', value: 'red' })).message).toMatch(
      /^settings\.set: key:/,
    );
  });

  it('reports the schema version and counts', async () => {
    const status = value(await core.api.status.get());
    expect(status.schemaVersion).toBe(loadMigrations(migrationsDir()).length);
    expect(status.counts).toMatchObject({ books: 4, readers: 3, embeddings: 0 });
    expect(status.dataDir).toBe(core.dataDir);
  });

  it('lists jobs and refuses to cancel one that does not exist', async () => {
    expect(value(await core.api.jobs.list()).total).toBe(0);
    expect(failure(await core.api.jobs.cancel({ id: randomUUID() })).code).toBe('not_found');
  });
});
