/**
 * What every import parser produces. Parsers are pure and streaming: they take text (or bytes, for
 * MARC) in chunks and return the rows completed so far, so a 50 MB file never sits in memory whole.
 * They never throw on bad data: a row they cannot use comes back with its problems, and a file they
 * cannot read at all is reported by `detectFormat`.
 */

/** Every format Lumin imports. */
export const IMPORT_FORMATS = [
  'goodreads',
  'storygraph',
  'librarything',
  'calibre',
  'marc',
  'isbn',
  'csv',
  'json',
  'roster',
] as const;
/** One of {@link IMPORT_FORMATS}. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A problem with one row, as the preview lists it. */
export interface RowProblem {
  /**
   * Where a person finds the row: the spreadsheet row for CSV/TSV (the header is row 1, so the first
   * book is row 2), the line for ISBN lists, the record number (from 1) for MARC and JSON.
   */
  row: number;
  /** The column or field as the file names it (e.g. `ISBN13`, `My Rating`, `020$a`). */
  field: string;
  /** One sentence: what is wrong and what Lumin did (e.g. "not a valid ISBN-13; imported without it"). */
  reason: string;
}

/** A book as one row describes it. Strings are trimmed; absent values are omitted or null. */
export interface ImportedBook {
  title: string;
  subtitle?: string | null;
  authors: string[];
  /** Checked ISBN-13 (check digit valid), or null. An invalid ISBN is a RowProblem, never kept. */
  isbn13: string | null;
  /** Checked ISBN-10, or null. */
  isbn10: string | null;
  /**
   * Checked ISBN-13s of other editions the row lists besides `isbn13` (MARC 020 repeated, LibraryThing
   * "ISBNs", several ISBNs in one cell): the importer keeps them as the book's alternates.
   */
  alternateIsbns?: string[];
  /**
   * Other ids, e.g. `{ goodreads: '123', librarything: '9', calibre: '4', marc001: 'ocm1' }`; MARC also
   * gives `marc003` (the agency of 001) and `marc035` (the first 035 $a), its control number.
   */
  externalIds: Record<string, string>;
  description?: string | null;
  subjects?: string[];
  tags?: string[];
  pages?: number | null;
  language?: string | null;
  publisher?: string | null;
  /** Year of first publication when the file has it (Goodreads "Original Publication Year"), else the edition's. */
  year?: number | null;
  series?: string | null;
  seriesIndex?: number | null;
  coverUrl?: string | null;
  /** A reading level as written in the file, with its system when the file says it (MARC 521/526). */
  readingLevel?: {
    value: string;
    system: 'lexile' | 'atos' | 'guided_reading' | 'dra' | 'grade' | 'other';
  } | null;
  /** Interest band from MARC 008/22 or 521 (e.g. ages 9–12). */
  interestAgeMin?: number | null;
  interestAgeMax?: number | null;
  interestLevel?: 'LG' | 'MG' | 'MG+' | 'UG' | 'adult' | null;
  contentWarnings?: string[];
  ownedCopies?: number | null;
}

/** What the row says about the user's reading of the book (Goodreads shelves, StoryGraph status…). */
export interface ImportedReading {
  /**
   * The exclusive shelf, normalised: `read`, `currently-reading`, `to-read`, `did-not-finish`, or a
   * custom exclusive shelf name as the file writes it.
   */
  shelf: string;
  /** Every other shelf or tag the row puts the book on. */
  shelves: string[];
  /** 0.5–5 (StoryGraph has quarter stars), or null when unrated (Goodreads "My Rating" 0). */
  rating: number | null;
  /** ISO date `YYYY-MM-DD` (no time zone shift: a date is a date), or null. */
  dateRead: string | null;
  /** ISO date `YYYY-MM-DD`, or null. */
  dateAdded: string | null;
  /** How many times read, or null. */
  readCount: number | null;
  /** Copies owned, or null when the file does not say. */
  ownedCopies: number | null;
  /** The review text, or null. */
  review: string | null;
}

/** A student from a class roster. */
export interface ImportedStudent {
  name: string;
  /** As written (`K`, `3rd`, `Grade 4`); the importer parses it with shared/domain/reading-level. */
  grade: string | null;
  age: number | null;
  /** As written (`650L`, `M`, `4.5`). */
  readingLevel: string | null;
  interests: string[];
  /** Class name from the roster, when it has a column for it. */
  className: string | null;
}

/** One parsed row. */
export type ParsedRow =
  | { row: number; kind: 'book'; book: ImportedBook; reading: ImportedReading | null; problems: RowProblem[] }
  | { row: number; kind: 'student'; student: ImportedStudent; problems: RowProblem[] }
  /** A row that cannot be used at all (no title and no valid ISBN, say); its problems say why. */
  | { row: number; kind: 'invalid'; problems: RowProblem[] };

/** A streaming parser for one format. */
export interface RowParser {
  /** Feeds the next chunk; returns the rows it completed. */
  push(chunk: string | Uint8Array): ParsedRow[];
  /** Ends the input; returns the remaining rows. */
  end(): ParsedRow[];
}

/** A column mapping for generic CSV/TSV/JSON: Lumin field → the file's column name. */
export type ColumnMapping = Partial<Record<MappableField, string>>;

/** Fields a generic file can map columns to. */
export const MAPPABLE_FIELDS = [
  'title',
  'authors',
  'isbn',
  'description',
  'subjects',
  'tags',
  'pages',
  'language',
  'publisher',
  'year',
  'series',
  'seriesIndex',
  'coverUrl',
  'readingLevel',
  'rating',
  'shelf',
  'dateRead',
  'dateAdded',
  'ownedCopies',
  'interestLevel',
  'interestAgeMin',
  'interestAgeMax',
  'contentWarnings',
] as const;
/** One of {@link MAPPABLE_FIELDS}. */
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** What `detectFormat` found in the head of a file. */
export type Detection =
  | {
      ok: true;
      format: ImportFormat;
      /** For delimited text: the delimiter (`,`, `;` or tab). */
      delimiter?: string;
      /** For generic CSV/JSON: the guessed mapping (the user may override it). */
      mapping?: ColumnMapping;
    }
  | { ok: false; reason: string };
