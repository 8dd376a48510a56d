// @vitest-environment happy-dom
/** Renderer components: covers, the recommendation card, the reader page and the library's empty state. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reader } from '../../shared/contract/domain';
import type { RecommendedItem } from '../../shared/contract/recommend';
import {
  Cover,
  coverSource,
  isDisplayableCover,
  titleHue,
  titleInitials,
} from '../../renderer/src/components/cover';
import { sentence } from '../../renderer/src/components/error-message';
import { ReaderForm } from '../../renderer/src/components/reader-form';
import { RecommendationCard } from '../../renderer/src/components/recommendation-card';
import { createAppStores } from '../../renderer/src/stores';
import { LibraryView } from '../../renderer/src/views/library-view';
import { ReaderView } from '../../renderer/src/views/reader-view';
import { eventually, fakeBridge } from './renderer-views-fake-bridge';

afterEach(cleanup);

const READER_ID = '00000000-0000-4000-8000-000000000001';
const reader: Reader = {
  id: READER_ID,
  kind: 'student',
  name: 'Ada Park',
  grade: 3,
  age: 8,
  readingLevel: { value: '520L', system: 'lexile', source: 'known' },
  interests: ['dragons'],
  notes: null,
  classId: null,
  sync: true,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

function item(bookId: string, position: number, extra: Partial<RecommendedItem> = {}): RecommendedItem {
  return {
    bookId,
    title: `Dragon ${bookId}`,
    authors: ['A. Writer'],
    score: 0.5,
    source: 'personalised',
    proposedBy: 'content',
    exploratory: false,
    pinned: false,
    position,
    recLogId: 10 + position,
    explanation: `Matches your interest in dragons (${bookId})`,
    ...extra,
  };
}

describe('covers', () => {
  it('derive initials and a stable colour from the title, and show inline or cached images only', () => {
    expect(titleInitials('The Hobbit')).toBe('H');
    expect(titleInitials("Charlotte's Web")).toBe('CW');
    expect(titleInitials('1984')).toBe('1');
    expect(titleInitials('   ')).toBe('?');
    expect(titleHue('Matilda')).toBe(titleHue('Matilda'));
    expect(titleHue('Matilda')).not.toBe(titleHue('Holes'));
    expect(isDisplayableCover('data:image/png;base64,AAAA')).toBe(true);
    // An imported file's cover URL is never loaded, https or not (issue 14, finding 3).
    expect(isDisplayableCover('https://covers.example/1.jpg')).toBe(false);
    expect(isDisplayableCover('http://covers.example/1.jpg')).toBe(false);
    expect(coverSource('https://covers.example/1.jpg', null, true)).toBeNull();
    expect(coverSource('https://covers.example/1.jpg', '9780142410318', true)).toBe(
      'lumin-cover://isbn/9780142410318',
    );
    expect(coverSource(null, '9780142410318', false)).toBeNull();
    const { container } = render(<Cover title="The Snowy Day" coverUrl="https://covers.example/1.jpg" />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.cover-placeholder')?.textContent).toBe('SD');
    const inline = render(<Cover title="The Snowy Day" coverUrl="data:image/png;base64,AAAA" />);
    const image = inline.container.querySelector('img');
    expect(image?.getAttribute('src')).toBe('data:image/png;base64,AAAA');
    fireEvent.error(image as HTMLImageElement);
    expect(inline.container.querySelector('.cover-placeholder')?.textContent).toBe('SD');
  });

  it('turn core messages into sentences', () => {
    expect(sentence('books.get: no book x')).toBe('Books.get: no book x.');
    expect(sentence('Done!')).toBe('Done!');
  });
});

describe('recommendation card', () => {
  it('shows the explanation and badges, and sends the buttons’ feedback', () => {
    const seen: string[] = [];
    render(
      <ol>
        <RecommendationCard
          item={item('b1', 0, { exploratory: true })}
          mark={undefined}
          teacher
          onFeedback={(kind) => seen.push(kind)}
          onRecord={(type) => seen.push(type)}
        />
      </ol>,
    );
    expect(
      screen.getByText('Matches your interest in dragons (b1)', { selector: '.rec-explanation' }),
    ).toBeTruthy();
    expect(screen.getByText('Something new')).toBeTruthy();
    expect(screen.getByText('Similar to what they like', { selector: '.source-badge' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Thumbs up: Dragon b1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Thumbs down: Dragon b1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Checked out' }));
    fireEvent.click(screen.getByRole('button', { name: 'Pin' }));
    fireEvent.click(screen.getByRole('button', { name: 'Block' }));
    expect(seen).toEqual(['up', 'down', 'checkout', 'pin', 'block']);
  });

  it('hides the teacher’s tools in reader mode', () => {
    render(
      <ol>
        <RecommendationCard
          item={item('b1', 0)}
          mark="finish"
          teacher={false}
          onFeedback={() => {}}
          onRecord={() => {}}
        />
      </ol>,
    );
    expect(screen.queryByRole('button', { name: 'Pin' })).toBeNull();
    expect(screen.getByText('Finished', { selector: '.mark-badge' })).toBeTruthy();
  });
});

describe('views', () => {
  it('the reader page lists recommendations and drops a disliked book', async () => {
    let served = 0;
    const fake = fakeBridge({
      'readers.get': () => reader,
      'recommend.get': () => ({
        requestId: `r${++served}`,
        readerId: READER_ID,
        source: 'personalised',
        items: served === 1 ? [item('b1', 0), item('b2', 1)] : [item('b2', 0), item('b3', 1)],
        model: null,
        tookMs: 1,
      }),
      'recommend.feedback': () => ({ id: 'i', readerId: READER_ID, bookId: 'b1', type: 'thumbs_down' }),
      'interactions.list': () => ({ items: [], total: 0 }),
    });
    const stores = createAppStores(fake.bridge, { useLocation: false });
    render(<ReaderView stores={stores} readerId={READER_ID} />);
    await eventually(() =>
      expect(screen.getAllByRole('heading', { level: 3, name: /^Dragon/ })).toHaveLength(2),
    );
    expect(screen.getByRole('heading', { level: 2, name: 'Ada Park' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Thumbs down: Dragon b1' }));
    expect(screen.queryByRole('heading', { name: 'Dragon b1' })).toBeNull();
    await eventually(() => expect(screen.getByRole('heading', { name: 'Dragon b3' })).toBeTruthy());
  });

  it('the reader form leaves a student out of sync, and the reader page exports in one call', async () => {
    const fake = fakeBridge({
      'readers.get': () => reader,
      'readers.update': (input) => ({ ...reader, ...(input as { patch: Partial<Reader> }).patch }),
      'readers.export': () => ({ path: null, bytes: 2, data: { reader } }),
      'recommend.get': () => ({
        requestId: 'r',
        readerId: READER_ID,
        source: 'popular',
        items: [],
        model: null,
        tookMs: 1,
      }),
      'interactions.list': () => ({ items: [], total: 0 }),
      'classes.list': () => [],
    });
    const stores = createAppStores(fake.bridge, { useLocation: false });
    render(<ReaderForm stores={stores} reader={reader} />);
    const sync = screen.getByRole('checkbox', { name: /Include in sync/ }) as HTMLInputElement;
    expect(sync.checked).toBe(true);
    fireEvent.click(sync);
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await eventually(() => expect(fake.called('readers.update')).toHaveLength(1));
    expect(fake.called('readers.update')[0]?.input).toMatchObject({ id: READER_ID, patch: { sync: false } });
    cleanup();

    await stores.readerPage.getState().open(READER_ID);
    expect((await stores.readerPage.getState().exportData())?.reader.name).toBe('Ada Park');
    expect(fake.called('readers.export')).toEqual([expect.objectContaining({ input: { id: READER_ID } })]);
  });

  it('the reader page deletes a student after a confirmation that says what goes, then shows the roster', async () => {
    const fake = fakeBridge({
      'readers.get': () => reader,
      'readers.remove': () => ({ id: READER_ID }),
      'recommend.get': () => ({
        requestId: 'r',
        readerId: READER_ID,
        source: 'popular',
        items: [],
        model: null,
        tookMs: 1,
      }),
      'interactions.list': () => ({ items: [], total: 0 }),
    });
    const stores = createAppStores(fake.bridge, { useLocation: false });
    render(<ReaderView stores={stores} readerId={READER_ID} />);
    await eventually(() => expect(screen.getByRole('heading', { level: 2, name: 'Ada Park' })).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Delete student…' }));
    expect(screen.getByRole('heading', { level: 4, name: 'Delete Ada Park?', hidden: true })).toBeTruthy();
    expect(screen.getByText(/copies inside the automatic backups/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Keep', hidden: true }));
    expect(fake.called('readers.remove')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Delete student…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete', hidden: true }));
    await eventually(() => expect(fake.called('readers.remove')).toHaveLength(1));
    expect(fake.called('readers.remove')[0]?.input).toEqual({ id: READER_ID });
    await eventually(() => expect(stores.nav.getState().route).toEqual({ view: 'readers' }));
  });

  it('the empty library teaches the next step', async () => {
    const fake = fakeBridge({
      'books.list': () => ({ items: [], total: 0 }),
      'status.get': () => ({ counts: { books: 0 } }),
    });
    const stores = createAppStores(fake.bridge, { useLocation: false });
    void stores.status.getState().refresh();
    void stores.library.getState().refresh();
    render(<LibraryView stores={stores} />);
    await eventually(() =>
      expect(screen.getByRole('heading', { name: 'Your library is empty' })).toBeTruthy(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Import books' }));
    expect(stores.nav.getState().route).toEqual({ view: 'import' });
  });
});
