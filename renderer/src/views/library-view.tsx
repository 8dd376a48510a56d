/** The library: search, filters, and the books as a grid of covers or a list. */
import { Fragment, useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import type { Book } from '../../../shared/contract/domain';
import { BookCard, BookRow } from '../components/book-card';
import { EmptyState } from '../components/empty-state';
import { ErrorMessage } from '../components/error-message';
import { formatCount } from '../format';
import type { AppStores } from '../stores';
import {
  GRADE_BANDS,
  type GradeBand,
  LIBRARY_PAGE_SIZE,
  type LibraryFilters,
  NO_FILTERS,
} from '../stores/library';

/** How long typing pauses before the search runs. */
const SEARCH_DELAY_MS = 200;

type YesNoFilter = LibraryFilters['owned'];

/** The any/yes/no filters: the field, its label, and what its yes and no say. */
const YES_NO_FILTERS = [
  { key: 'owned', label: 'Owned', yes: 'Owned copies', no: 'Not owned' },
  { key: 'embedded', label: 'Embedded', yes: 'Ready for suggestions', no: 'Not embedded yet' },
] as const satisfies readonly { key: keyof LibraryFilters; label: string; yes: string; no: string }[];

/** The library view. */
export function LibraryView({ stores }: { stores: AppStores }) {
  const library = stores.library;
  const filters = useStore(library, (state) => state.filters);
  const items = useStore(library, (state) => state.items);
  const total = useStore(library, (state) => state.total);
  const offset = useStore(library, (state) => state.offset);
  const loading = useStore(library, (state) => state.loading);
  const loaded = useStore(library, (state) => state.loaded);
  const error = useStore(library, (state) => state.error);
  const layout = useStore(library, (state) => state.layout);
  const bookCount = useStore(stores.status, (state) => state.data?.counts.books ?? null);
  const go = useStore(stores.nav, (state) => state.go);
  const [query, setQuery] = useState(filters.query);
  const [subject, setSubject] = useState(filters.subject);
  const id = useId();
  const actions = library.getState();

  useEffect(() => {
    if (query === filters.query && subject === filters.subject) return;
    const timer = setTimeout(() => void actions.setFilters({ query, subject }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, subject, filters.query, filters.subject, actions]);

  const open = (book: Book) => go({ view: 'book', bookId: book.id });
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const libraryEmpty = bookCount === 0 || (loaded && total === 0 && !filtered);

  return (
    <section aria-labelledby="library-heading" className="screen">
      <header className="screen-header">
        <div>
          <h2 id="library-heading">Library</h2>
          <p className="muted" aria-live="polite">
            {loaded
              ? `${formatCount(total)} ${total === 1 ? 'book' : 'books'}${filtered ? ' match' : ''}`
              : 'Loading…'}
          </p>
        </div>
        <div className="segmented" role="group" aria-label="Layout" hidden={libraryEmpty}>
          <button type="button" aria-pressed={layout === 'grid'} onClick={() => actions.setLayout('grid')}>
            Grid
          </button>
          <button type="button" aria-pressed={layout === 'list'} onClick={() => actions.setLayout('list')}>
            List
          </button>
        </div>
      </header>

      {libraryEmpty ? (
        <EmptyState title="Your library is empty">
          <p>
            Start by importing books: drop a Goodreads export or a catalogue spreadsheet anywhere on this
            window, or go to Import.
          </p>
          <button type="button" onClick={() => go({ view: 'import' })}>
            Import books
          </button>
        </EmptyState>
      ) : (
        <>
          <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
            <label htmlFor={`${id}-query`}>Search</label>
            <input
              id={`${id}-query`}
              type="search"
              placeholder="Title, author or ISBN"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
            <label htmlFor={`${id}-band`}>Level</label>
            <select
              id={`${id}-band`}
              value={filters.band}
              onChange={(event) => void actions.setFilters({ band: event.target.value as GradeBand })}
            >
              {Object.entries(GRADE_BANDS).map(([key, band]) => (
                <option key={key} value={key}>
                  {band.label}
                </option>
              ))}
            </select>
            <label htmlFor={`${id}-subject`}>Subject</label>
            <input
              id={`${id}-subject`}
              placeholder="e.g. Fantasy"
              value={subject}
              onChange={(event) => setSubject(event.target.value)}
            />
            {YES_NO_FILTERS.map((filter) => (
              <Fragment key={filter.key}>
                <label htmlFor={`${id}-${filter.key}`}>{filter.label}</label>
                <select
                  id={`${id}-${filter.key}`}
                  value={filters[filter.key]}
                  onChange={(event) =>
                    void actions.setFilters({ [filter.key]: event.target.value as YesNoFilter })
                  }
                >
                  <option value="any">Any</option>
                  <option value="yes">{filter.yes}</option>
                  <option value="no">{filter.no}</option>
                </select>
              </Fragment>
            ))}
          </form>
          {error && <ErrorMessage what="The library could not be loaded" error={error} />}
          {loaded && items.length === 0 && filtered && (
            <EmptyState title="No book matches">
              <p>Try fewer words or clear a filter.</p>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setQuery('');
                  setSubject('');
                  void actions.setFilters(NO_FILTERS);
                }}
              >
                Clear filters
              </button>
            </EmptyState>
          )}
          {items.length > 0 &&
            (layout === 'grid' ? (
              <ul className="book-grid" aria-label="Books" aria-busy={loading}>
                {items.map((book) => (
                  <BookCard key={book.id} book={book} onOpen={open} />
                ))}
              </ul>
            ) : (
              <div className="table-scroll">
                <table className="book-table" aria-busy={loading}>
                  <caption className="visually-hidden">Books</caption>
                  <thead>
                    <tr>
                      <th scope="col">
                        <span className="visually-hidden">Cover</span>
                      </th>
                      <th scope="col">Title</th>
                      <th scope="col">Authors</th>
                      <th scope="col">Level</th>
                      <th scope="col">Subjects</th>
                      <th scope="col">Owned</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((book) => (
                      <BookRow key={book.id} book={book} onOpen={open} />
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          {total > LIBRARY_PAGE_SIZE && (
            <nav className="pager" aria-label="Pages">
              <button
                type="button"
                className="secondary"
                disabled={offset === 0}
                onClick={() => void actions.setOffset(offset - LIBRARY_PAGE_SIZE)}
              >
                Previous
              </button>
              <span>
                {formatCount(offset + 1)}–{formatCount(Math.min(total, offset + LIBRARY_PAGE_SIZE))} of{' '}
                {formatCount(total)}
              </span>
              <button
                type="button"
                className="secondary"
                disabled={offset + LIBRARY_PAGE_SIZE >= total}
                onClick={() => void actions.setOffset(offset + LIBRARY_PAGE_SIZE)}
              >
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
