/**
 * Any spreadsheet or JSON list of books: columns are mapped to Lumin's fields by their names (see
 * `guessMapping` in ./column-mapping) or by a mapping the person chose in the preview.
 */
import { normaliseLevelValue, parseReadingLevel } from '../domain/reading-level';
import {
  addProblem,
  bookRow,
  guessShelf,
  htmlToText,
  mergeLists,
  multiLine,
  normaliseName,
  oneLine,
  quote,
  readDate,
  readInteger,
  readOwned,
  readRating,
  readSeriesIndex,
  readYear,
  rowContext,
  splitList,
  type RowContext,
} from './common';
import { alternateIsbns, readIsbns } from './isbn-cells';
import { splitAuthors } from './author-names';
import { createDelimitedParser } from './csv';
import { createTextDecoder } from './text-decoding';
import { guessMapping, headerKey } from './column-mapping';
import { type JsonRecord, createJsonRecordStream } from './json-stream';
import { splitSeries } from './goodreads';
import {
  MAPPABLE_FIELDS,
  type ColumnMapping,
  type ImportedBook,
  type ImportedReading,
  type MappableField,
  type ParsedRow,
  type RowParser,
} from './types';

const INTEREST_LEVELS = new Map<string, NonNullable<ImportedBook['interestLevel']>>([
  ['lg', 'LG'],
  ['mg', 'MG'],
  ['mg+', 'MG+'],
  ['ug', 'UG'],
  ['adult', 'adult'],
]);

/** An AR-style interest level (LG, MG, MG+, UG, adult); anything else is a problem on that field. */
function readInterestLevel(context: RowContext, field: string, raw: string): ImportedBook['interestLevel'] {
  const text = raw.trim();
  if (!text) return null;
  const level = INTEREST_LEVELS.get(text.toLowerCase().replace(/\s+/g, ''));
  if (!level) addProblem(context, field, `'${text}' is not an interest level (LG, MG, MG+, UG or adult)`);
  return level ?? null;
}

/** A JSON value as text: strings as they are, numbers printed, lists joined, `{name: …}` objects by name. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return listOf(value).join(', ');
  if (typeof value === 'object' && value !== null) {
    const named = value as Record<string, unknown>;
    const name = named.name ?? named.fl ?? named.title ?? named.value ?? named.code;
    return name === undefined || typeof name === 'object' ? '' : textOf(name);
  }
  return '';
}

/** A JSON value as a list: arrays (flattened) and objects' values item by item, a scalar as one item. */
export function listOf(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value.flatMap((item: unknown) => (Array.isArray(item) ? listOf(item) : [textOf(item)]))
    : typeof value === 'object' && value !== null && textOf(value) === ''
      ? Object.values(value as Record<string, unknown>).flatMap(listOf)
      : [textOf(value)];
  return items.filter((item) => item.length > 0);
}

export { type JsonRecord, jsonRecords } from './json-stream';

/** How many JSON records the mapping is guessed from before rows stream. */
const MAPPING_SAMPLE = 200;

/** The reading-level system a column's name announces, or null when it does not say. */
export function levelSystem(
  column: string,
): Exclude<NonNullable<ImportedBook['readingLevel']>['system'], 'other'> | null {
  const name = headerKey(column);
  if (name.includes('lexile')) return 'lexile';
  if (name.includes('atos') || /^ar|accelerated/.test(name)) return 'atos';
  if (name.includes('guided') || name === 'grl' || name.startsWith('fp') || name.includes('fountas'))
    return 'guided_reading';
  if (name.startsWith('dra')) return 'dra';
  if (name.includes('grade')) return 'grade';
  return null;
}

/**
 * A reading level cell. When the column names its system (Lexile, AR/ATOS, guided reading, DRA,
 * grade), the value is checked and normalised for it (`650` in a Lexile column → `650L`); otherwise
 * the system is inferred from the value, or kept as written as `other`.
 */
export function readLevel(context: RowContext, field: string, raw: string): ImportedBook['readingLevel'] {
  const text = oneLine(raw);
  if (text.length === 0) return null;
  const system = levelSystem(field);
  if (system) {
    const checked = normaliseLevelValue(system, text);
    if (checked.ok) return { value: checked.value, system };
    addProblem(context, field, `${checked.reason}; left empty`);
    return null;
  }
  const inferred = parseReadingLevel(text);
  if (inferred) return { value: inferred.value, system: inferred.system };
  if (text.length > 40) {
    addProblem(context, field, `${quote(text)} is too long for a reading level; left empty`);
    return null;
  }
  return { value: text, system: 'other' };
}

/** A mapped field's value in one record: the column's name, its text, and the list a JSON array holds. */
type FieldValue = { field: string; raw: string; list: string[] | null };

/** Splits a multi-valued cell: on `;` or `|` when it has either, else on commas. */
function splitMulti(value: FieldValue): string[] {
  if (value.list) return mergeLists(value.list);
  return splitList(value.raw, /[;|]/.test(value.raw) ? /[;|]/ : /,/);
}

/** Maps one record through the mapping; `get` reads a mapped field. */
function mapRecord(
  context: RowContext,
  get: (field: MappableField) => FieldValue,
  seriesMapped: boolean,
): ParsedRow {
  const at = (field: MappableField): [string, string] => [get(field).field, get(field).raw];
  const authors = get('authors');
  const isbn = get('isbn');
  const isbnValues = isbn.list ?? isbn.raw.split(/[,;|]/);
  const isbnSources = isbnValues.map((raw) => ({ field: isbn.field, raw }));
  const isbns = readIsbns(context, isbnSources, true);
  const alternates = alternateIsbns(isbnSources, isbns.isbn13);
  const titled = oneLine(get('title').raw);
  // A Goodreads-style "(Series, #1)" suffix is the series only when the file has no series column.
  const split = seriesMapped ? { title: titled, series: null, seriesIndex: null } : splitSeries(titled);
  const seriesIndex = readSeriesIndex(context, ...at('seriesIndex'));
  const book: ImportedBook = {
    title: split.title,
    authors: authors.list ? mergeLists(authors.list) : splitAuthors(authors.raw),
    isbn13: isbns.isbn13,
    isbn10: isbns.isbn10,
    ...(alternates.length > 0 ? { alternateIsbns: alternates } : {}),
    externalIds: {},
    description: multiLine(htmlToText(get('description').raw)),
    subjects: splitMulti(get('subjects')),
    tags: splitMulti(get('tags')),
    pages: readInteger(context, ...at('pages'), { min: 1, max: 100_000 }),
    language: oneLine(get('language').raw) || null,
    publisher: oneLine(get('publisher').raw) || null,
    year: readYear(context, ...at('year')),
    series: oneLine(get('series').raw) || split.series,
    seriesIndex: seriesIndex ?? split.seriesIndex,
    coverUrl: get('coverUrl').raw || null,
    readingLevel: readLevel(context, ...at('readingLevel')),
    ownedCopies: readOwned(context, ...at('ownedCopies')),
  };
  // Audience columns appear in library and teacher lists, rarely elsewhere: set only when present.
  const interestLevel = readInterestLevel(context, ...at('interestLevel'));
  if (interestLevel) book.interestLevel = interestLevel;
  const ageMin = readInteger(context, ...at('interestAgeMin'), { min: 0, max: 120 });
  if (ageMin !== null) book.interestAgeMin = ageMin;
  const ageMax = readInteger(context, ...at('interestAgeMax'), { min: 0, max: 120 });
  if (ageMax !== null) book.interestAgeMax = ageMax;
  const warnings = splitMulti(get('contentWarnings'));
  if (warnings.length > 0) book.contentWarnings = warnings;

  if (
    book.interestAgeMin != null &&
    book.interestAgeMax != null &&
    book.interestAgeMin > book.interestAgeMax
  ) {
    addProblem(
      context,
      get('interestAgeMax').field,
      `the age range ${book.interestAgeMin}–${book.interestAgeMax} is reversed`,
    );
    book.interestAgeMax = null;
  }
  const rating = readRating(context, ...at('rating'));
  const dateRead = readDate(context, ...at('dateRead'));
  const shelf = get('shelf').raw;
  // Only a status, a rating or a read date says anything about the reader; copies alone do not.
  const reading: ImportedReading | null =
    shelf || rating !== null || dateRead
      ? {
          shelf: shelf ? guessShelf(shelf) : 'read',
          shelves: [],
          rating,
          dateRead,
          dateAdded: readDate(context, ...at('dateAdded')),
          readCount: null,
          ownedCopies: book.ownedCopies ?? null,
          review: null,
        }
      : null;
  return bookRow(context, book, reading, get('title').field || 'title');
}

/** Options for the generic parsers. */
export interface GenericParserOptions {
  /** Delimiter for CSV/TSV; detected when omitted. */
  delimiter?: string | undefined;
  /**
   * The mapping to use instead of the guessed one. It replaces the guess entirely (the preview shows
   * the guess and the person edits it): a field it leaves out is not imported.
   */
  mapping?: ColumnMapping | undefined;
}

const missingColumns = (mapping: ColumnMapping, has: (name: string) => boolean): [string, string][] =>
  Object.entries(mapping).filter(([, name]) => name !== undefined && !has(name)) as [string, string][];

/**
 * Parses any CSV/TSV with a header row, streaming. Multi-valued cells: subjects and tags split on `;`
 * or `|` when the cell has either, else on commas; authors always split on `;`, `|`, `&` and ` and `,
 * and on commas unless the cell reads as one `Last, First` name (see `splitAuthors`). A Goodreads-style
 * `(Series, #1)` title suffix becomes the series when no series column is mapped. A reading is made
 * only when the row has a status, a rating or a read date (an unknown status is kept as written).
 */
export function createGenericCsvParser(options: GenericParserOptions = {}): RowParser {
  return createDelimitedParser({
    delimiter: options.delimiter,
    start(header) {
      const mapping = options.mapping ?? guessMapping(header.names);
      const columns = new Map(
        MAPPABLE_FIELDS.map((field) => [field, header.find(mapping[field] ?? '\u0000')]),
      );
      let missing = missingColumns(mapping, (name) => header.find(name) !== null);
      return (cells, context) => {
        for (const [field, name] of missing)
          addProblem(
            context,
            name,
            `the mapping reads ${field} from ${quote(name)}, but the file has no such column`,
          );
        missing = [];
        return mapRecord(
          context,
          (field) => {
            const [name, raw] = cells.at(columns.get(field) ?? null);
            return { field: name, raw, list: null };
          },
          (columns.get('series') ?? null) !== null,
        );
      };
    },
  });
}

/**
 * Parses a JSON list of books (see {@link createJsonRecordStream}) as the CSV parser does, a JSON array
 * being a ready-made list. The records stream; the mapping is guessed from the fields of the first
 * {@link MAPPING_SAMPLE} records, so only those wait.
 */
export function createGenericJsonParser(options: GenericParserOptions = {}): RowParser {
  const decoder = createTextDecoder();
  const stream = createJsonRecordStream();
  let sample: JsonRecord[] | null = [];
  let mapping: ColumnMapping = options.mapping ?? {};
  let missing: [string, string][] = [];
  const toRow = (record: JsonRecord): ParsedRow => {
    const context = rowContext(record.row);
    for (const [field, name] of missing)
      addProblem(
        context,
        name,
        `the mapping reads ${field} from ${quote(name)}, but no record has that field`,
      );
    missing = [];
    const value = record.value;
    if (!value) {
      addProblem(context, record.key || 'record', record.problem ?? 'not a book record; skipped');
      return { row: record.row, kind: 'invalid', problems: context.problems };
    }
    const byName = new Map(Object.keys(value).map((name) => [normaliseName(name), name]));
    return mapRecord(
      context,
      (field) => {
        const name = byName.get(normaliseName(mapping[field] ?? '\u0000')) ?? '';
        const item = name ? value[name] : undefined;
        return { field: name, raw: textOf(item), list: Array.isArray(item) ? listOf(item) : null };
      },
      mapping.series !== undefined,
    );
  };
  const rows = (records: JsonRecord[], final: boolean): ParsedRow[] => {
    if (sample !== null) {
      sample.push(...records);
      if (!final && sample.length < MAPPING_SAMPLE) return [];
      const keys = [
        ...new Set(sample.slice(0, MAPPING_SAMPLE).flatMap((record) => Object.keys(record.value ?? {}))),
      ];
      mapping = options.mapping ?? guessMapping(keys);
      const present = new Set(keys.map(normaliseName));
      missing = missingColumns(mapping, (name) => present.has(normaliseName(name)));
      records = sample;
      sample = null;
    }
    return records.map(toRow);
  };
  return {
    push(chunk) {
      return rows(stream.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk)), false);
    },
    end() {
      const last = stream.push(decoder.end());
      return rows(last.concat(stream.end()), true);
    },
  };
}
