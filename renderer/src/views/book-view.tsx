/** A book's page: its details and the books closest to it by content. */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Book } from '../../../shared/contract/domain';
import type { SimilarBook } from '../../../shared/contract/embeddings';
import type { LuminErrorShape } from '../../../shared/contract/errors';
import { BookCard } from '../components/book-card';
import { Cover } from '../components/cover';
import { ErrorMessage } from '../components/error-message';
import { formatLevel } from '../format';
import type { AppStores } from '../stores';
import { thrownToError } from '../stores/query';

/** Similar books shown. */
const SIMILAR_COUNT = 8;

/** The book page. */
export function BookView({ stores, bookId }: { stores: AppStores; bookId: string }) {
  const go = useStore(stores.nav, (state) => state.go);
  const [book, setBook] = useState<Book | null>(null);
  const [error, setError] = useState<LuminErrorShape | null>(null);
  const [similar, setSimilar] = useState<SimilarBook[] | null>(null);
  const [similarError, setSimilarError] = useState<LuminErrorShape | null>(null);

  useEffect(() => {
    let current = true;
    setBook(null);
    setError(null);
    setSimilar(null);
    setSimilarError(null);
    const lumin = window.lumin;
    lumin.books
      .get({ id: bookId })
      .then((result) => {
        if (!current) return;
        if (result.ok) setBook(result.value);
        else setError(result.error);
      })
      .catch((thrown: unknown) => current && setError(thrownToError('books.get', thrown)));
    lumin.embeddings
      .similar({ id: bookId, k: SIMILAR_COUNT })
      .then((result) => {
        if (!current) return;
        if (result.ok) setSimilar(result.value);
        else setSimilarError(result.error);
      })
      .catch((thrown: unknown) => current && setSimilarError(thrownToError('embeddings.similar', thrown)));
    return () => {
      current = false;
    };
  }, [bookId]);

  const back = (
    <p className="breadcrumb">
      <a
        href="#/library"
        onClick={(event) => {
          event.preventDefault();
          go({ view: 'library' });
        }}
      >
        Library
      </a>
    </p>
  );
  if (error)
    return (
      <section aria-labelledby="book-heading" className="screen">
        {back}
        <h2 id="book-heading">Book not found</h2>
        <ErrorMessage what="This book could not be loaded" error={error} />
      </section>
    );
  if (!book)
    return (
      <section aria-labelledby="book-heading" className="screen" aria-busy="true">
        {back}
        <h2 id="book-heading">Loading…</h2>
      </section>
    );

  const facts: [string, string][] = [
    ['Authors', book.authors.join(', ') || '—'],
    ['Reading level', formatLevel(book.readingLevel)],
    ['Interest level', book.interestLevel ?? '—'],
    [
      'Ages',
      book.interestAgeMin !== null || book.interestAgeMax !== null
        ? `${book.interestAgeMin ?? '?'}–${book.interestAgeMax ?? '?'}`
        : '—',
    ],
    ['Subjects', book.subjects.join(', ') || '—'],
    ['Year', book.year !== null ? String(book.year) : '—'],
    ['Pages', book.pages !== null ? String(book.pages) : '—'],
    ['ISBN', book.isbn13 ?? book.isbn10 ?? '—'],
    ['Copies owned', String(book.ownedCopies)],
  ];
  return (
    <section aria-labelledby="book-heading" className="screen">
      {back}
      <div className="book-page">
        <Cover title={book.title} coverUrl={book.coverUrl} isbn13={book.isbn13} size="large" />
        <div>
          <h2 id="book-heading">{book.title}</h2>
          {book.subtitle && <p className="subtitle">{book.subtitle}</p>}
          <dl className="facts">
            {facts.map(([term, value]) => (
              <div key={term}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {book.description && <p className="description">{book.description}</p>}
        </div>
      </div>
      <section aria-labelledby="similar-heading">
        <h3 id="similar-heading" className="section-title">
          Similar books
        </h3>
        {similarError &&
          (similarError.code === 'not_found' ? (
            <p className="muted">
              Lumin has not read this book’s description yet. Similar books appear once the background pass
              that follows an import has reached it (see Jobs).
            </p>
          ) : (
            <ErrorMessage what="Similar books could not be found" error={similarError} />
          ))}
        {similar?.length === 0 && <p className="muted">No other book is close to this one yet.</p>}
        {similar && similar.length > 0 && (
          <ul className="book-grid" aria-label="Similar books">
            {similar.map((entry) => (
              <BookCard
                key={entry.book.id}
                book={entry.book}
                onOpen={(next) => go({ view: 'book', bookId: next.id })}
              />
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
