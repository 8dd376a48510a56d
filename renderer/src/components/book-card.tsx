/** A book in the library: a card in the grid, or a row in the list. */
import type { Book } from '../../../shared/contract/domain';
import { formatLevel } from '../format';
import { Cover } from './cover';
import { RouteLink } from './route-link';

/** A book card (grid) that opens the book page. */
export function BookCard({ book, onOpen }: { book: Book; onOpen: (book: Book) => void }) {
  return (
    <li className="book-card">
      <RouteLink route={{ view: 'book', bookId: book.id }} onOpen={() => onOpen(book)}>
        <Cover title={book.title} coverUrl={book.coverUrl} isbn13={book.isbn13} />
        <span className="book-card-title">{book.title}</span>
        <span className="book-card-authors">{book.authors.join(', ') || 'Unknown author'}</span>
        {book.readingLevel && <span className="book-card-level">{formatLevel(book.readingLevel)}</span>}
      </RouteLink>
    </li>
  );
}

/** A book row (list). */
export function BookRow({ book, onOpen }: { book: Book; onOpen: (book: Book) => void }) {
  return (
    <tr>
      <td className="cover-cell">
        <Cover title={book.title} coverUrl={book.coverUrl} isbn13={book.isbn13} size="small" />
      </td>
      <th scope="row">
        <RouteLink route={{ view: 'book', bookId: book.id }} onOpen={() => onOpen(book)}>
          {book.title}
        </RouteLink>
      </th>
      <td>{book.authors.join(', ') || '—'}</td>
      <td>{formatLevel(book.readingLevel)}</td>
      <td>{book.subjects.slice(0, 3).join(', ') || '—'}</td>
      <td>{book.ownedCopies > 0 ? book.ownedCopies : '—'}</td>
    </tr>
  );
}
