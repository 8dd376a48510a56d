/** The renderer's stores over a bridge with canned answers: navigation, library, reader page, import, group. */
import { describe, expect, it } from 'vitest';
import type { Book, Interaction, Reader } from '../../shared/contract/domain';
import type { ImportPreview, ImportResult } from '../../shared/contract/imports';
import type { RecommendedItem, Recommendations } from '../../shared/contract/recommend';
import { createAppStores } from '../../renderer/src/stores';
import { createGroupStore } from '../../renderer/src/stores/group';
import {
  type ImportFile,
  type ImportFiles,
  createImportStore,
  headerColumns,
} from '../../renderer/src/stores/imports';
import { failedRowsCsv } from '../../shared/import/failed-rows';
import { createLibraryStore, listInput, NO_FILTERS } from '../../renderer/src/stores/library';
import { createNavStore, parseHash, routeHash, sectionOf } from '../../renderer/src/stores/nav';
import { createReaderPageStore } from '../../renderer/src/stores/reader-page';
import { eventually, fakeBridge } from './renderer-views-fake-bridge';

const READER_ID = '00000000-0000-4000-8000-000000000001';

function book(id: string, title: string): Book {
  return {
    id,
    isbn10: null,
    isbn13: null,
    externalIds: {},
    title,
    subtitle: null,
    authors: ['A. Writer'],
    description: null,
    subjects: [],
    tags: [],
    pages: null,
    language: null,
    publisher: null,
    year: null,
    series: null,
    seriesIndex: null,
    coverUrl: null,
    readingLevel: null,
    interestLevel: null,
    interestAgeMin: null,
    interestAgeMax: null,
    contentWarnings: [],
    ownedCopies: 0,
    approvedForChildren: false,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

function item(bookId: string, position: number): RecommendedItem {
  return {
    bookId,
    title: `Book ${bookId}`,
    authors: ['A. Writer'],
    score: 1 - position / 10,
    source: 'personalised',
    proposedBy: 'content',
    exploratory: false,
    pinned: false,
    position,
    recLogId: 100 + position,
    explanation: `Because of ${bookId}`,
  };
}

function list(requestId: string, bookIds: string[]): Recommendations {
  return {
    requestId,
    readerId: READER_ID,
    source: 'personalised',
    items: bookIds.map(item),
    model: 'lumin-glove-100d',
    tookMs: 3,
  };
}

const reader: Reader = {
  id: READER_ID,
  kind: 'student',
  name: 'Ada Park',
  grade: 3,
  age: 8,
  readingLevel: null,
  interests: ['dragons'],
  notes: null,
  classId: null,
  sync: true,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('navigation', () => {
  it('reads and writes routes as hashes, unknown hashes falling back to the library', () => {
    expect(parseHash('#/reader/abc')).toEqual({ view: 'reader', readerId: 'abc' });
    expect(parseHash('#/book/b%201')).toEqual({ view: 'book', bookId: 'b 1' });
    expect(parseHash('#/group')).toEqual({ view: 'group' });
    expect(parseHash('#/nowhere')).toEqual({ view: 'library' });
    expect(parseHash('')).toEqual({ view: 'library' });
    expect(routeHash({ view: 'book', bookId: 'b 1' })).toBe('#/book/b%201');
    expect(sectionOf({ view: 'reader', readerId: 'x' })).toBe('readers');
    expect(sectionOf({ view: 'book', bookId: 'x' })).toBe('library');
  });

  it('starts from the location and records each move in it', () => {
    const place = { hash: '#/import', setHash: (hash: string) => (place.hash = hash) };
    const nav = createNavStore(place);
    expect(nav.getState().route).toEqual({ view: 'import' });
    nav.getState().go({ view: 'reader', readerId: 'r1' });
    expect(place.hash).toBe('#/reader/r1');
  });
});

describe('library', () => {
  it('turns filters into books.list input', () => {
    expect(listInput(NO_FILTERS, 0)).toEqual({ limit: 60, offset: 0 });
    expect(
      listInput({ query: ' owl ', subject: 'Nature', band: 'middle', owned: 'yes', embedded: 'no' }, 60),
    ).toEqual({
      limit: 60,
      offset: 60,
      query: 'owl',
      subject: 'Nature',
      gradeMin: 3,
      gradeMax: 5.99,
      owned: true,
      embedded: false,
    });
  });

  it('keeps the answer to the newest search when an older one arrives later', async () => {
    const releases: (() => void)[] = [];
    const fake = fakeBridge({
      'books.list': (input) => {
        const query = (input as { query?: string }).query ?? '';
        return { items: [book(`id-${query}`, query)], total: 1 };
      },
    });
    // Delay the first call's answer until after the second's.
    const slow = {
      ...fake.bridge,
      books: {
        ...fake.bridge.books,
        list: async (input?: Parameters<typeof fake.bridge.books.list>[0]) => {
          if (input?.query === 'old') await new Promise<void>((resolve) => releases.push(resolve));
          return fake.bridge.books.list(input);
        },
      },
    };
    const library = createLibraryStore(slow);
    const older = library.getState().setFilters({ query: 'old' });
    await library.getState().setFilters({ query: 'new' });
    releases.forEach((release) => release());
    await older;
    expect(library.getState().items.map((entry) => entry.title)).toEqual(['new']);
    expect(library.getState().loaded).toBe(true);
  });
});

describe('reader page', () => {
  it('loads the reader, the list and the history together', async () => {
    const history: Interaction[] = [
      {
        id: 'i1',
        readerId: READER_ID,
        bookId: 'b9',
        type: 'finish',
        value: null,
        occurredAt: '2026-12-01T00:00:00.000Z',
        recLogId: null,
      },
    ];
    const fake = fakeBridge({
      'readers.get': () => reader,
      'recommend.get': () => list('r1', ['b1', 'b2']),
      'interactions.list': () => ({ items: history, total: 1 }),
      'books.get': () => book('b9', 'Matilda'),
    });
    const page = createReaderPageStore(fake.bridge);
    await page.getState().open(READER_ID);
    const state = page.getState();
    expect(state.reader?.name).toBe('Ada Park');
    expect(state.recommendations?.items.map((entry) => entry.bookId)).toEqual(['b1', 'b2']);
    expect(state.history?.[0]?.title).toBe('Matilda');
  });

  it('takes a disliked book off at once, then shows the list served after the feedback', async () => {
    let answerFeedback: () => void = () => undefined;
    const fake = fakeBridge({
      'readers.get': () => reader,
      'recommend.get': () => list('r2', ['b2', 'b3', 'b4']),
      'interactions.list': () => ({ items: [], total: 0 }),
    });
    const bridge = {
      ...fake.bridge,
      recommend: {
        ...fake.bridge.recommend,
        feedback: async (input: Parameters<typeof fake.bridge.recommend.feedback>[0]) => {
          await new Promise<void>((resolve) => (answerFeedback = resolve));
          return {
            ok: true as const,
            value: {
              id: 'x',
              ...input,
              type: 'thumbs_down',
              value: null,
              occurredAt: '',
              recLogId: 100,
            } as Interaction,
          };
        },
      },
    };
    const page = createReaderPageStore(bridge);
    await page.getState().open(READER_ID);
    page.setState({ recommendations: list('r1', ['b1', 'b2', 'b3']) });
    const pending = page.getState().feedback(item('b1', 0), 'down');
    // Before the core has answered, the book is gone.
    expect(page.getState().recommendations?.items.map((entry) => entry.bookId)).toEqual(['b2', 'b3']);
    answerFeedback();
    await pending;
    expect(page.getState().recommendations?.requestId).toBe('r2');
    expect(page.getState().notice).toBe('Removed; thumbs down recorded: Book b1');
  });

  it('puts the book back and says why when the core refuses the feedback', async () => {
    const fake = fakeBridge({
      'readers.get': () => reader,
      'recommend.get': () => list('r1', ['b1', 'b2']),
      'interactions.list': () => ({ items: [], total: 0 }),
      'recommend.feedback': () => ({
        ok: false,
        error: { name: 'LuminError', code: 'not_found', message: 'no book b1' },
      }),
    });
    const page = createReaderPageStore(fake.bridge);
    await page.getState().open(READER_ID);
    await page.getState().feedback(item('b1', 0), 'dismiss');
    expect(page.getState().recommendations?.items.map((entry) => entry.bookId)).toEqual(['b1', 'b2']);
    expect(page.getState().actionError?.message).toBe('no book b1');
  });

  it('records a checkout with the impression it followed', async () => {
    const fake = fakeBridge({
      'readers.get': () => reader,
      'recommend.get': () => list('r1', ['b1', 'b2']),
      'interactions.list': () => ({ items: [], total: 0 }),
      'interactions.log': (input) => ({ id: 'i', value: null, occurredAt: '', ...(input as object) }),
    });
    const page = createReaderPageStore(fake.bridge);
    await page.getState().open(READER_ID);
    await page.getState().record(item('b2', 1), 'checkout');
    expect(fake.called('interactions.log')[0]?.input).toEqual({
      readerId: READER_ID,
      bookId: 'b2',
      type: 'checkout',
      recLogId: 101,
    });
    expect(page.getState().marks['b2']).toBe('checkout');
  });
});

describe('import', () => {
  it('encodes bytes, reads header columns and writes failed rows as CSV', () => {
    expect(headerColumns(new TextEncoder().encode('\uFEFF"Title";Author;ISBN\n1;2;3'))).toEqual([
      'Title',
      'Author',
      'ISBN',
    ]);
    expect(failedRowsCsv([{ row: 4, field: 'ISBN13', reason: 'not valid, "X" at the end' }])).toBe(
      'row,field,reason\n4,ISBN13,"not valid, ""X"" at the end"\n',
    );
  });

  /** A desktop host whose open dialog and drops answer with handles, recording what the page gave it. */
  const fakeFiles = (answer: { handle: string; name: string } | null) => {
    const dropped: unknown[] = [];
    const files: ImportFiles = {
      chooseImportFile: async () => answer,
      importDroppedFile: async (file) => {
        dropped.push(file);
        return answer
          ? { ok: true, value: answer }
          : { ok: false, error: { name: 'LuminError', code: 'invalid_argument', message: 'not a file' } };
      },
    };
    return { files, dropped };
  };
  /** A dropped File: a name, a size and a slice of its start. */
  const droppedFile = (name: string, text: string): ImportFile & { reads: number[][] } => {
    const bytes = new TextEncoder().encode(text);
    const reads: number[][] = [];
    return {
      name,
      size: bytes.length,
      reads,
      slice: (start, end) => {
        reads.push([start, end]);
        return { arrayBuffer: async () => bytes.slice(start, end).buffer as ArrayBuffer };
      },
    };
  };
  const handle = 'lumin-file:0123456789abcdef0123456789abcdef';

  it('a dropped file goes to the core as a handle, previews, commits with progress and queues embedding', async () => {
    const preview = {
      previewId: '00000000-0000-4000-8000-0000000000aa',
      rows: 3,
      format: 'goodreads',
    } as ImportPreview;
    const result = {
      previewId: preview.previewId,
      imported: 3,
      updated: 0,
      failed: [],
      rows: 3,
    } as unknown as ImportResult;
    let finishCommit: () => void = () => undefined;
    const fake = fakeBridge({
      'imports.preview': () => preview,
      'embeddings.run': () => ({ id: 'job' }),
    });
    const bridge = {
      ...fake.bridge,
      imports: {
        ...fake.bridge.imports,
        commit: async () => {
          await new Promise<void>((resolve) => (finishCommit = resolve));
          return { ok: true as const, value: result };
        },
      },
    };
    const { files, dropped } = fakeFiles({ handle, name: 'books.csv' });
    const store = createImportStore(bridge, files);
    const stop = store.getState().listen();
    const file = droppedFile('books.csv', 'Title\nMatilda');
    await store.getState().drop(file);
    // The host got the File (to find its path); the core only the handle; no call carried the bytes.
    expect(dropped).toEqual([file]);
    expect(fake.called('imports.preview')[0]?.input).toEqual({ file: handle });
    expect(JSON.stringify(fake.calls)).not.toContain('Matilda');
    expect(store.getState().step).toBe('preview');
    expect(store.getState().fileName).toBe('books.csv');
    expect(store.getState().columns).toEqual(['Title']);
    expect(file.reads).toEqual([[0, 64 * 1024]]);

    const committing = store.getState().commit();
    fake.emit('import.progress', { previewId: preview.previewId, phase: 'commit', done: 2, total: 3 });
    expect(store.getState().progress).toEqual({ done: 2, total: 3 });
    finishCommit();
    await committing;
    expect(store.getState().step).toBe('done');
    await eventually(() => expect(fake.called('embeddings.run')).toHaveLength(1));
    stop();
  });

  it('the open dialog previews the chosen file by handle; cancelling it does nothing', async () => {
    const fake = fakeBridge({ 'imports.preview': () => ({ previewId: 'p', rows: 1 }) as ImportPreview });
    const cancelled = createImportStore(fake.bridge, fakeFiles(null).files);
    await cancelled.getState().choose();
    expect(cancelled.getState().step).toBe('idle');
    expect(fake.calls).toHaveLength(0);

    const store = createImportStore(fake.bridge, fakeFiles({ handle, name: 'roster.csv' }).files);
    await store.getState().choose();
    expect(fake.called('imports.preview')[0]?.input).toEqual({ file: handle });
    expect(store.getState().fileName).toBe('roster.csv');
    await store.getState().setOptions({ className: 'Room 4' });
    expect(fake.called('imports.preview')[1]?.input).toEqual({ file: handle, className: 'Room 4' });
  });

  it('a drop the host cannot find on disk, or no desktop host, is an error without a core call', async () => {
    const fake = fakeBridge({});
    const store = createImportStore(fake.bridge, fakeFiles(null).files);
    await store.getState().drop(droppedFile('made-up.csv', 'Title\nX'));
    expect(store.getState().error?.message).toBe('not a file');
    const browser = createImportStore(fake.bridge, null);
    await browser.getState().drop(droppedFile('books.csv', 'Title\nX'));
    expect(browser.getState().error?.message).toMatch(/desktop app/);
    await browser.getState().choose();
    expect(browser.getState().error?.message).toMatch(/desktop app/);
    expect(fake.calls).toHaveLength(0);
  });

  it('says an empty file is empty without calling the core', async () => {
    const fake = fakeBridge({});
    const store = createImportStore(fake.bridge, fakeFiles({ handle, name: 'empty.csv' }).files);
    await store.getState().drop(droppedFile('empty.csv', ''));
    expect(store.getState().error?.message).toBe('empty.csv is empty.');
    expect(fake.calls).toHaveLength(0);
  });
});

describe('group picks', () => {
  it('asks for two or more readers, then calls recommend.group', async () => {
    const fake = fakeBridge({ 'recommend.group': () => list('g1', ['b1']) });
    const group = createGroupStore(fake.bridge);
    group.getState().toggle('a');
    await group.getState().run();
    expect(group.getState().error?.message).toMatch(/at least two readers/);
    group.getState().toggle('b');
    await group.getState().run();
    expect(fake.called('recommend.group')[0]?.input).toEqual({ readerIds: ['a', 'b'], k: 10 });
    expect(group.getState().result?.requestId).toBe('g1');
    group.getState().toggle('a');
    expect(group.getState().selected).toEqual(['b']);
  });
});

describe('app stores', () => {
  it('refresh the library on a book change and the open reader’s history on their interactions', async () => {
    const fake = fakeBridge({
      'status.get': () => ({ counts: {} }),
      'readers.list': () => ({ items: [], total: 0 }),
      'classes.list': () => [],
      'books.list': () => ({ items: [], total: 0 }),
      'readers.get': () => reader,
      'recommend.get': () => list('r1', []),
      'interactions.list': () => ({ items: [], total: 0 }),
    });
    const stores = createAppStores(fake.bridge, { useLocation: false });
    const stop = stores.start();
    await eventually(() => expect(fake.called('books.list')).toHaveLength(1));
    fake.emit('data.changed', { entity: 'books', op: 'insert', ids: [] });
    await eventually(() => expect(fake.called('books.list')).toHaveLength(2));
    await stores.readerPage.getState().open(READER_ID);
    fake.emit('data.changed', { entity: 'interactions', op: 'insert', ids: [], readerIds: [READER_ID] });
    await eventually(() => expect(fake.called('interactions.list')).toHaveLength(2));
    stop();
  });
});
