/**
 * Calibre's CSV catalog (Convert books → Create catalog → CSV). Calibre is an e-book library, not a
 * reading log: a book only gets a reading when the member rated it.
 */
import {
  addProblem,
  bookRow,
  htmlToText,
  multiLine,
  oneLine,
  parseIsoDate,
  quote,
  readDate,
  readRating,
  readSeriesIndex,
  splitList,
  type RowContext,
} from './common';
import { alternateIsbns, readIsbns } from './isbn-cells';
import { createDelimitedParser } from './csv';
import type { ImportedBook, ImportedReading, RowParser } from './types';

/** Options for {@link createCalibreParser}. */
export interface CalibreParserOptions {
  /** `,` in a Calibre catalog; detected when omitted. */
  delimiter?: string | undefined;
}

/**
 * Calibre's "identifiers" cell, `isbn:9780439023481,goodreads:2767052,amazon:0439023483`, as a map
 * with lower-case keys.
 */
export function parseIdentifiers(raw: string): Record<string, string> {
  const identifiers: Record<string, string> = {};
  for (const part of raw.split(',')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const name = part.slice(0, colon).trim().toLowerCase();
    const value = part.slice(colon + 1).trim();
    if (name && value && !(name in identifiers)) identifiers[name] = value;
  }
  return identifiers;
}

/**
 * The year of Calibre's pubdate (`2008-09-14T04:00:00+00:00`). Calibre writes `0101-01-01…` for "no
 * date", which is simply absent, not a problem.
 */
function pubYear(context: RowContext, field: string, raw: string): number | null {
  if (raw.length === 0 || raw.startsWith('0101-01-01')) return null;
  const date = parseIsoDate(raw);
  if (date) return Number(date.slice(0, 4));
  addProblem(context, field, `${quote(raw)} is not a date; left empty`);
  return null;
}

/**
 * Parses a Calibre CSV catalog. Authors are ` & `-separated; identifiers other than the ISBN become
 * external ids (with the Calibre id and uuid); the 0–10 rating is halved to stars; the HTML comments
 * become the description; the first language is kept (Calibre writes ISO 639 codes like `eng`).
 */
export function createCalibreParser(options: CalibreParserOptions = {}): RowParser {
  return createDelimitedParser({
    delimiter: options.delimiter,
    start(header) {
      const columns = {
        id: header.find('id'),
        uuid: header.find('uuid'),
        title: header.find('title'),
        authors: header.find('authors'),
        isbn: header.find('isbn'),
        identifiers: header.find('identifiers'),
        tags: header.find('tags'),
        series: header.find('series'),
        seriesIndex: header.find('series_index'),
        comments: header.find('comments'),
        pubdate: header.find('pubdate'),
        languages: header.find('languages'),
        publisher: header.find('publisher'),
        rating: header.find('rating'),
        cover: header.find('cover'),
        timestamp: header.find('timestamp'),
      };
      return (cells, context) => {
        const cell = cells.value;
        const identifiers = parseIdentifiers(cell(columns.identifiers));
        // The isbn column and the identifiers' isbn name editions of one work when they differ.
        const isbnCells = [
          { field: columns.isbn?.name ?? 'isbn', raw: cell(columns.isbn) },
          { field: columns.identifiers?.name ?? 'identifiers', raw: identifiers.isbn ?? '' },
        ];
        const isbns = readIsbns(context, isbnCells, true);
        const alternates = alternateIsbns(isbnCells, isbns.isbn13);
        const externalIds: Record<string, string> = {};
        for (const [name, value] of Object.entries(identifiers))
          if (name !== 'isbn') externalIds[name] = value;
        if (cell(columns.id)) externalIds.calibre = cell(columns.id);
        if (cell(columns.uuid)) externalIds.calibreUuid = cell(columns.uuid);
        const series = oneLine(cell(columns.series)) || null;
        const seriesIndex = readSeriesIndex(context, ...cells.at(columns.seriesIndex));
        const book: ImportedBook = {
          title: oneLine(cell(columns.title)),
          authors: splitList(cell(columns.authors), /[&\n]/),
          isbn13: isbns.isbn13,
          isbn10: isbns.isbn10,
          ...(alternates.length > 0 ? { alternateIsbns: alternates } : {}),
          externalIds,
          description: multiLine(htmlToText(cell(columns.comments))),
          tags: splitList(cell(columns.tags), /,/),
          language: splitList(cell(columns.languages), /,/)[0] ?? null,
          publisher: oneLine(cell(columns.publisher)) || null,
          year: pubYear(context, ...cells.at(columns.pubdate)),
          series,
          // Calibre writes 1.0 for every book, in a series or not.
          seriesIndex: series ? seriesIndex : null,
          coverUrl: cell(columns.cover) || null,
        };
        const rating = readRating(context, ...cells.at(columns.rating), 10);
        const reading: ImportedReading | null =
          rating === null
            ? null
            : {
                shelf: 'read',
                shelves: [],
                rating,
                dateRead: null,
                dateAdded: readDate(context, ...cells.at(columns.timestamp)),
                readCount: null,
                ownedCopies: null,
                review: null,
              };
        return bookRow(context, book, reading, columns.title?.name ?? 'title');
      };
    },
  });
}
