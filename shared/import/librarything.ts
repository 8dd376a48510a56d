/**
 * LibraryThing exports: the tab-separated file ("Export as TSV") and the JSON file ("Export as
 * JSON"). Both are read into one shape and mapped to books the same way. The parser tells them apart
 * by the first character of the file, so one format name covers both.
 */
import {
  addProblem,
  bookRow,
  htmlToText,
  mergeLists,
  multiLine,
  oneLine,
  readDate,
  readInteger,
  readRating,
  readYear,
  rowContext,
  splitList,
  stripBrackets,
  type RowContext,
} from './common';
import { alternateIsbns, readIsbns, type IsbnSource } from './isbn-cells';
import { flipName } from './author-names';
import { createDelimitedParser } from './csv';
import { createTextDecoder } from './text-decoding';
import { listOf, textOf } from './generic';
import { type JsonRecord, createJsonRecordStream } from './json-stream';
import type { ImportedReading, ParsedRow, RowParser } from './types';

/** One LibraryThing book, whichever export it came from; each value with the field name the file uses. */
interface LibraryThingBook {
  id: string;
  title: string;
  /** Names as written (last-name-first or not). */
  authors: string[];
  publication: string;
  date: [string, string];
  isbns: IsbnSource[];
  /** Further ISBNs, read only when `isbns` gave no valid one. */
  otherIsbns: IsbnSource[];
  pages: [string, string];
  subjects: string[];
  tags: string[];
  collections: string[];
  rating: [string, string];
  review: string;
  summary: string;
  language: string;
  dateRead: [string, string];
  entryDate: [string, string];
  copies: [string, string];
  ids: Record<string, string>;
}

const SPECIAL_COLLECTIONS = ['your library', 'currently reading', 'read but unowned', 'to read', 'wishlist'];

/**
 * Maps LibraryThing's collections to a shelf. LibraryThing has no read status, only collections:
 * "Currently reading" → `currently-reading`; "Read but unowned" or a finished date → `read`; "To read"
 * or "Wishlist" → `to-read` (a wishlist book is not owned; `wishlist` stays among the shelves so the
 * reader can tell). A book with nothing saying otherwise (plain "Your library") counts as `read`:
 * people catalog the books they own and have mostly read, and keeping it off the to-read list avoids
 * recommending a book the reader already has. Other collections become shelves.
 */
function readingOf(book: LibraryThingBook, context: RowContext, copies: number | null): ImportedReading {
  const collections = new Set(book.collections.map((name) => name.toLowerCase()));
  const dateRead = readDate(context, ...book.dateRead);
  const shelf = collections.has('currently reading')
    ? 'currently-reading'
    : collections.has('read but unowned') || dateRead
      ? 'read'
      : collections.has('to read') || collections.has('wishlist')
        ? 'to-read'
        : 'read';
  const unowned = collections.has('read but unowned') || collections.has('wishlist');
  const ownedCopies = copies ?? (unowned ? 0 : collections.has('your library') ? 1 : null);
  const otherCollections = book.collections.filter(
    (name) => !SPECIAL_COLLECTIONS.includes(name.toLowerCase()) || name.toLowerCase() === 'wishlist',
  );
  return {
    shelf,
    shelves: mergeLists(otherCollections, book.tags),
    rating: readRating(context, ...book.rating),
    dateRead,
    dateAdded: readDate(context, ...book.entryDate),
    readCount: null,
    ownedCopies,
    review: book.review ? multiLine(htmlToText(book.review)) : null,
  };
}

/** Maps one LibraryThing book to a row. */
function toRow(book: LibraryThingBook, context: RowContext): ParsedRow {
  let isbns = readIsbns(context, book.isbns, true);
  if (isbns.isbn13 === null) isbns = readIsbns(context, book.otherIsbns, true);
  const alternates = alternateIsbns([...book.isbns, ...book.otherIsbns], isbns.isbn13);
  const title = oneLine(book.title);
  const summary = oneLine(book.summary);
  // LibraryThing fills "Summary" with a citation ("Collins, Suzanne: The Hunger Games (2008)") unless
  // the member wrote one; only a real summary is a description.
  const citation = summary.includes(title) && /\(\d{4}\)$/.test(summary);
  const copies = readInteger(context, ...book.copies, { min: 0, max: 100_000 });
  const reading = readingOf(book, context, copies);
  const publisher = oneLine(book.publication.split(/\s\(|,/)[0] ?? '');
  return bookRow(
    context,
    {
      title,
      authors: mergeLists(book.authors.map(flipName)),
      isbn13: isbns.isbn13,
      isbn10: isbns.isbn10,
      ...(alternates.length > 0 ? { alternateIsbns: alternates } : {}),
      externalIds: Object.fromEntries(Object.entries(book.ids).filter(([, value]) => value.length > 0)),
      description: summary && !citation ? summary : null,
      subjects: book.subjects,
      tags: book.tags,
      pages: readInteger(context, ...book.pages, { min: 1, max: 100_000 }),
      language: book.language || null,
      publisher: publisher || null,
      year: readYear(context, ...book.date),
      ownedCopies: reading.ownedCopies,
    },
    reading,
    'Title',
  );
}

/** The TSV export, columns found by name (the export has changed its column set over the years). */
function createTsvParser(delimiter: string | undefined): RowParser {
  return createDelimitedParser({
    delimiter,
    start(header) {
      const find = header.find;
      const columns = {
        id: find('Book Id', 'Book ID'),
        title: find('Title'),
        primary: find('Primary Author', 'Author (Last, First)', 'Author'),
        secondary: find('Secondary Author(s)', 'Secondary Author', 'Other Authors'),
        publication: find('Publication'),
        date: find('Date', 'Publication Date'),
        isbn: find('ISBN'),
        isbns: find('ISBNs'),
        pages: find('Page Count', 'Pages'),
        subjects: find('Subjects'),
        tags: find('Tags'),
        collections: find('Collections'),
        rating: find('Rating'),
        review: find('Review'),
        summary: find('Summary'),
        language: find('Language 1', 'Languages', 'Language'),
        dateRead: find('Date Read'),
        entryDate: find('Entry Date', 'Date Entered'),
        copies: find('Copies'),
        work: find('Work id', 'Work ID'),
        oclc: find('OCLC'),
        lccn: find('LCCN'),
      };
      return (cells, context) => {
        const value = (column: typeof columns.id): string => stripBrackets(cells.value(column));
        const at = (column: typeof columns.id): [string, string] => [column?.name ?? '', value(column)];
        return toRow(
          {
            id: value(columns.id),
            title: value(columns.title),
            authors: [value(columns.primary), ...splitList(value(columns.secondary), /[|;]/)].filter(Boolean),
            publication: value(columns.publication),
            date: at(columns.date),
            isbns: [{ field: columns.isbn?.name ?? 'ISBN', raw: value(columns.isbn) }],
            otherIsbns: splitList(value(columns.isbns), /[,;\s]+/).map((raw) => ({
              field: columns.isbns?.name ?? 'ISBNs',
              raw,
            })),
            pages: at(columns.pages),
            // A subject heading's parts are `--`-joined; headings are separated by `|` or line breaks.
            subjects: splitList(cells.value(columns.subjects), /[|\n]/),
            tags: splitList(value(columns.tags), /,/),
            collections: splitList(value(columns.collections), /,/),
            rating: at(columns.rating),
            review: cells.value(columns.review),
            summary: value(columns.summary),
            language: oneLine(value(columns.language).split(',')[0] ?? ''),
            dateRead: at(columns.dateRead),
            entryDate: at(columns.entryDate),
            copies: at(columns.copies),
            ids: {
              librarything: value(columns.id),
              librarythingWork: value(columns.work),
              oclc: value(columns.oclc),
              lccn: value(columns.lccn),
            },
          },
          context,
        );
      };
    },
  });
}

/** Reads one JSON book object; `key` is its key in the export (the book id). */
function fromJson(key: string, entry: Record<string, unknown>): LibraryThingBook {
  const text = (name: string): string => textOf(entry[name]);
  const at = (name: string): [string, string] => [name, text(name)];
  const authors = Array.isArray(entry.authors)
    ? entry.authors.map((author: unknown) => {
        if (typeof author !== 'object' || author === null) return textOf(author);
        const names = author as Record<string, unknown>;
        return textOf(names.fl) || textOf(names.lf);
      })
    : [];
  const subjects = Array.isArray(entry.subject)
    ? entry.subject.map((heading: unknown) =>
        Array.isArray(heading) ? listOf(heading).join(' -- ') : textOf(heading),
      )
    : listOf(entry.subject);
  return {
    id: text('books_id') || key,
    title: text('title'),
    authors: (authors.some(Boolean) ? authors : [text('primaryauthor')]).filter(Boolean),
    publication: text('publication'),
    date: at('date'),
    isbns: listOf(entry.isbn).map((raw) => ({ field: 'isbn', raw })),
    otherIsbns: listOf(entry.ean).map((raw) => ({ field: 'ean', raw })),
    pages: at('pages'),
    subjects: mergeLists(listOf(entry.genre), subjects.map(oneLine).filter(Boolean)),
    tags: mergeLists(listOf(entry.tags)),
    collections: mergeLists(listOf(entry.collections)),
    rating: at('rating'),
    review: text('review'),
    summary: text('summary'),
    language: listOf(entry.language)[0] ?? '',
    dateRead: at('datefinished'),
    entryDate: at('entrydate'),
    copies: at('copies'),
    ids: {
      librarything: text('books_id') || key,
      librarythingWork: text('workcode'),
      oclc: text('oclc'),
      lccn: text('lccn'),
    },
  };
}

/** The JSON export: an object keyed by book id, read by the streaming JSON reader. */
function createJsonParser(): RowParser {
  const stream = createJsonRecordStream();
  const rows = (records: JsonRecord[]): ParsedRow[] =>
    records.map(({ row, key, value, problem }) => {
      const context = rowContext(row);
      if (!value) {
        addProblem(context, key || 'record', problem ?? 'not a book record; skipped');
        return { row, kind: 'invalid', problems: context.problems };
      }
      return toRow(fromJson(key, value), context);
    });
  return {
    push(chunk) {
      return rows(stream.push(chunk as string));
    },
    end() {
      return rows(stream.end());
    },
  };
}

/** Options for {@link createLibrarythingParser}. */
export interface LibrarythingParserOptions {
  /** For the TSV export: tab, or detected when omitted. */
  delimiter?: string | undefined;
}

/**
 * Parses a LibraryThing export, TSV or JSON (told apart by the first non-blank character: `{`/`[` is
 * JSON). Names written last-name-first are flipped; `[…]` wrappers are dropped; subjects split on `|`.
 */
export function createLibrarythingParser(options: LibrarythingParserOptions = {}): RowParser {
  const decoder = createTextDecoder();
  let inner: RowParser | null = null;
  let waiting = '';
  const route = (text: string, final: boolean): ParsedRow[] => {
    if (!inner) {
      waiting += text;
      const first = /\S/.exec(waiting.replace(/^\uFEFF/, ''))?.[0];
      if (first === undefined && !final) return [];
      inner =
        first === '{' || first === '[' ? createJsonParser() : createTsvParser(options.delimiter ?? undefined);
      text = waiting;
      waiting = '';
    }
    const rows = text.length > 0 ? inner.push(text) : [];
    return final ? rows.concat(inner.end()) : rows;
  };
  return {
    push(chunk) {
      return route(typeof chunk === 'string' ? chunk : decoder.decode(chunk), false);
    },
    end() {
      return route(decoder.end(), true);
    },
  };
}
