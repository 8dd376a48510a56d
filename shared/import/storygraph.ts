/**
 * The StoryGraph export CSV. Its "ISBN/UID" column holds an ISBN when the edition has one and
 * StoryGraph's own id otherwise; ratings come in quarter stars; moods, pace and the reader's tags
 * describe the book and become its tags.
 */
import {
  addProblem,
  bookRow,
  mergeLists,
  multiLine,
  normaliseShelf,
  oneLine,
  parseIsoDate,
  quote,
  readDate,
  readInteger,
  readOwned,
  readRating,
  splitList,
  type RowContext,
} from './common';
import { isIsbnShaped, readIsbns } from './isbn-cells';
import { splitFullNames } from './author-names';
import { createDelimitedParser } from './csv';
import type { ImportedBook, ImportedReading, RowParser } from './types';

/** Options for {@link createStorygraphParser}. */
export interface StorygraphParserOptions {
  /** `,` in a StoryGraph export; detected when omitted. */
  delimiter?: string | undefined;
}

/**
 * The last date in "Dates Read", which lists readings as `2023/01/05-2023/01/20, 2024/02/01-…`
 * (a reading may lack its start or end). Used when "Last Date Read" is empty.
 */
function lastDateRead(context: RowContext, field: string, raw: string): string | null {
  const dates = raw.split(/[,;]|-(?=\s*\d{4}[/-])/).map((part) => part.trim());
  let last: string | null = null;
  for (const part of dates) {
    const date = parseIsoDate(part);
    if (date === null) {
      addProblem(context, field, `${quote(part)} is not a date (YYYY/MM/DD); ignored`);
    } else if (date !== undefined && (last === null || date > last)) last = date;
  }
  return last;
}

/**
 * Content warnings as StoryGraph writes them, `Graphic: Violence, Death; Moderate: Grief`: the
 * warnings without their severity (the severity is not part of Lumin's model).
 */
function contentWarnings(raw: string): string[] {
  return splitList(
    raw
      .split(';')
      .map((part) => part.replace(/^\s*(graphic|moderate|minor)\s*:/i, ''))
      .join(','),
    /,/,
  );
}

/**
 * Parses a StoryGraph export. "Read Status" becomes the shelf (`paused` stays a custom shelf);
 * "ISBN/UID" that is not shaped like an ISBN is kept as `externalIds.storygraph`, while an ISBN-shaped
 * value with a wrong check digit is a problem; moods, pace (`fast-paced`) and tags become book tags,
 * and the reader's own tags are also the reading's shelves; "Owned?" Yes/No becomes 1/0 copies.
 */
export function createStorygraphParser(options: StorygraphParserOptions = {}): RowParser {
  return createDelimitedParser({
    delimiter: options.delimiter,
    start(header) {
      const columns = {
        title: header.find('Title'),
        authors: header.find('Authors', 'Author'),
        isbn: header.find('ISBN/UID', 'ISBN'),
        status: header.find('Read Status'),
        dateAdded: header.find('Date Added'),
        lastDateRead: header.find('Last Date Read'),
        datesRead: header.find('Dates Read'),
        readCount: header.find('Read Count'),
        moods: header.find('Moods'),
        pace: header.find('Pace'),
        rating: header.find('Star Rating'),
        review: header.find('Review'),
        warnings: header.find('Content Warnings'),
        tags: header.find('Tags'),
        owned: header.find('Owned?', 'Owned'),
      };
      return (cells, context) => {
        const cell = cells.value;
        const id = cell(columns.isbn);
        const isbnField = columns.isbn?.name ?? 'ISBN/UID';
        const isbns = isIsbnShaped(id)
          ? readIsbns(context, [{ field: isbnField, raw: id }])
          : { isbn10: null, isbn13: null };
        const ownedCopies = readOwned(context, ...cells.at(columns.owned));
        const userTags = splitList(cell(columns.tags), /[,;]/);
        const pace = oneLine(cell(columns.pace)).toLowerCase();
        const book: ImportedBook = {
          title: oneLine(cell(columns.title)),
          authors: splitFullNames(cell(columns.authors)),
          isbn13: isbns.isbn13,
          isbn10: isbns.isbn10,
          externalIds: id && !isIsbnShaped(id) ? { storygraph: oneLine(id) } : {},
          tags: mergeLists(
            splitList(cell(columns.moods), /[,;]/),
            pace ? [pace.endsWith('paced') ? pace : `${pace}-paced`] : [],
            userTags,
          ),
          contentWarnings: contentWarnings(cell(columns.warnings)),
          ownedCopies,
        };
        const status = cell(columns.status);
        const dateRead =
          readDate(context, ...cells.at(columns.lastDateRead)) ??
          lastDateRead(context, ...cells.at(columns.datesRead));
        const rating = readRating(context, ...cells.at(columns.rating));
        const reading: ImportedReading = {
          shelf: status ? normaliseShelf(status) : dateRead || rating !== null ? 'read' : 'to-read',
          shelves: userTags,
          rating,
          dateRead,
          dateAdded: readDate(context, ...cells.at(columns.dateAdded)),
          readCount: readInteger(context, ...cells.at(columns.readCount), { min: 0, max: 100_000 }),
          ownedCopies,
          review: multiLine(cell(columns.review)),
        };
        return bookRow(context, book, reading, columns.title?.name ?? 'Title');
      };
    },
  });
}
