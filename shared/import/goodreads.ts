/**
 * Goodreads "Export Library" CSV: the current 24-column layout and the older one with purchase and
 * condition columns. Columns are found by name, so either layout (or a re-saved file missing a few
 * columns) reads the same way.
 */
import { unescapeCsvCell } from '../domain/csv-cell';
import {
  bookRow,
  htmlToText,
  mergeLists,
  multiLine,
  normaliseShelf,
  oneLine,
  readDate,
  readInteger,
  readRating,
  readYear,
  splitList,
} from './common';
import { flipName, splitFullNames } from './author-names';
import { readIsbns } from './isbn-cells';
import { createDelimitedParser } from './csv';
import type { ImportedBook, ImportedReading, RowParser } from './types';

/** The header Goodreads writes today, in order (the exporter writes exactly this). */
export const GOODREADS_COLUMNS = [
  'Book Id',
  'Title',
  'Author',
  'Author l-f',
  'Additional Authors',
  'ISBN',
  'ISBN13',
  'My Rating',
  'Average Rating',
  'Publisher',
  'Binding',
  'Number of Pages',
  'Year Published',
  'Original Publication Year',
  'Date Read',
  'Date Added',
  'Bookshelves',
  'Bookshelves with positions',
  'Exclusive Shelf',
  'My Review',
  'Spoiler',
  'Private Notes',
  'Read Count',
  'Owned Copies',
] as const;

/** Options for {@link createGoodreadsParser}. */
export interface GoodreadsParserOptions {
  /** `,` in a Goodreads export; a re-saved file may use `;`. Detected when omitted. */
  delimiter?: string | undefined;
}

/**
 * Parses a Goodreads export. The series Goodreads puts in the title (`Title (Series, #1)`) moves to
 * `series`/`seriesIndex`; "My Rating" 0 means unrated; the exclusive shelf is kept as written when it
 * is a custom one; an empty exclusive shelf is `read` when the row has a read date or a rating, else
 * `to-read`.
 */
export function createGoodreadsParser(options: GoodreadsParserOptions = {}): RowParser {
  return createDelimitedParser({
    delimiter: options.delimiter,
    start(header) {
      const columns = {
        id: header.find('Book Id'),
        title: header.find('Title'),
        author: header.find('Author'),
        authorLastFirst: header.find('Author l-f'),
        additional: header.find('Additional Authors'),
        isbn: header.find('ISBN'),
        isbn13: header.find('ISBN13'),
        rating: header.find('My Rating'),
        publisher: header.find('Publisher'),
        pages: header.find('Number of Pages'),
        year: header.find('Year Published'),
        originalYear: header.find('Original Publication Year'),
        dateRead: header.find('Date Read'),
        dateAdded: header.find('Date Added'),
        shelves: header.find('Bookshelves'),
        exclusive: header.find('Exclusive Shelf'),
        review: header.find('My Review'),
        readCount: header.find('Read Count'),
        owned: header.find('Owned Copies'),
      };
      return (cells, context) => {
        // Lumin's own exports defuse formula-leading cells (shared/domain/csv-cell.ts): undo that.
        const cell = (column: Parameters<typeof cells.value>[0]) => unescapeCsvCell(cells.value(column));
        const { title, series, seriesIndex } = splitSeries(oneLine(cell(columns.title)));
        const author = oneLine(cell(columns.author)) || flipName(cell(columns.authorLastFirst));
        const authors = mergeLists(author ? [author] : [], splitFullNames(cell(columns.additional)));
        const isbns = readIsbns(context, [
          { field: columns.isbn13?.name ?? 'ISBN13', raw: cell(columns.isbn13) },
          { field: columns.isbn?.name ?? 'ISBN', raw: cell(columns.isbn) },
        ]);
        const originalYear = readYear(context, ...cells.at(columns.originalYear));
        const editionYear = readYear(context, ...cells.at(columns.year));
        const ownedCopies = readInteger(context, ...cells.at(columns.owned), {
          min: 0,
          max: 100_000,
        });
        const rating = readRating(context, ...cells.at(columns.rating));
        const dateRead = readDate(context, ...cells.at(columns.dateRead));
        const exclusive = cell(columns.exclusive);
        const shelf = exclusive
          ? normaliseShelf(exclusive)
          : dateRead || rating !== null
            ? 'read'
            : 'to-read';
        const reviewText = cell(columns.review);
        const book: ImportedBook = {
          title,
          authors,
          isbn13: isbns.isbn13,
          isbn10: isbns.isbn10,
          externalIds: cell(columns.id) ? { goodreads: cell(columns.id) } : {},
          publisher: oneLine(cell(columns.publisher)) || null,
          pages: readInteger(context, ...cells.at(columns.pages), { min: 1, max: 100_000 }),
          year: originalYear ?? editionYear,
          series,
          seriesIndex,
          ownedCopies,
        };
        const reading: ImportedReading = {
          shelf,
          // Goodreads lists to-read and currently-reading among the shelves too: they are the exclusive one.
          shelves: splitList(cell(columns.shelves), /,/).filter(
            (name) => normaliseShelf(name).toLowerCase() !== shelf.toLowerCase(),
          ),
          rating,
          dateRead,
          dateAdded: readDate(context, ...cells.at(columns.dateAdded)),
          readCount: readInteger(context, ...cells.at(columns.readCount), {
            min: 0,
            max: 100_000,
          }),
          ownedCopies,
          review: reviewText ? multiLine(htmlToText(reviewText)) : null,
        };
        return bookRow(context, book, reading, columns.title?.name ?? 'Title');
      };
    },
  });
}

/**
 * Takes a Goodreads-style series off the end of a title: `The Hunger Games (The Hunger Games, #1)` →
 * title `The Hunger Games`, series `The Hunger Games`, index 1. Only a trailing parenthesis with `#`
 * counts (a plain parenthesis may be part of the title); with several series (`A, #1; B, #3`) the
 * first wins; an omnibus `#1-3` gives its first number.
 */
export function splitSeries(title: string): {
  title: string;
  series: string | null;
  seriesIndex: number | null;
} {
  const none = { title, series: null, seriesIndex: null };
  const text = title.trimEnd();
  const open = text.lastIndexOf('(');
  // A series note is short; longer parentheses are not worth matching (and cannot make the pattern slow).
  if (!text.endsWith(')') || open <= 0 || text.length - open > 300) return none;
  const inner = text.slice(open + 1, -1);
  const base = text.slice(0, open).trim();
  const series = /^(.*?),?\s*#\s*(\d+(?:\.\d+)?)(?:\s*-\s*\d+(?:\.\d+)?)?$/.exec(
    inner.split(';')[0]?.trim() ?? '',
  );
  if (!base || inner.includes(')') || !series || !series[1]?.trim()) return none;
  return { title: base, series: oneLine(series[1]), seriesIndex: Number(series[2]) };
}
