/**
 * Import and export records. An import is two steps: `imports.preview` reads the file and says what
 * will happen (format, counts, first rows, per-row problems, proposed merges) without writing;
 * `imports.commit` applies it in one transaction: every accepted row lands, or nothing does.
 */
import type { ImportFormat, RowProblem } from '../import/types';

export type { ImportFormat, RowProblem } from '../import/types';

/** A row the importer would merge into a book it already has (in the catalog or earlier in the file). */
export interface ProposedMerge {
  /** The file row. */
  row: number;
  /**
   * What matched: the same ISBN-13 (one of the book's or its other editions'; always merged), the same
   * catalogue record (MARC 003+001 or 035, for a row with neither ISBN nor author; always merged), or the
   * same normalised title and first author (rejectable).
   */
  by: 'isbn' | 'title_author' | 'control_number';
  /** The catalog book it matches, or null when it matches an earlier row of the same file. */
  bookId: string | null;
  /** That book's title and first author, for the person deciding. */
  title: string;
  author: string | null;
  /** The earlier row it matches, when it matches one. */
  earlierRow: number | null;
}

/** One row as the preview shows it. */
export interface PreviewRow {
  row: number;
  kind: 'book' | 'student' | 'invalid';
  /** Title (books) or name (students). */
  label: string;
  authors: string[];
  isbn13: string | null;
  /** The reading shelf, when the row has reading history. */
  shelf: string | null;
  rating: number | null;
  /** What the commit will do with the row. */
  action: 'create' | 'merge' | 'update' | 'skip';
}

/** What `imports.preview` found. */
export interface ImportPreview {
  /** Pass to `imports.commit` or `imports.cancel`. Valid until the core closes. */
  previewId: string;
  /** The file, resolved. */
  path: string;
  format: ImportFormat;
  /** Data rows in the file (header excluded). */
  rows: number;
  /** Rows that would create a new book or reader. */
  toCreate: number;
  /** Rows that match a book or reader Lumin already has (or an earlier row). */
  toMerge: number;
  /** Interactions the reading history would add (0 without a reader). */
  interactions: number;
  /** The first rows. */
  sample: PreviewRow[];
  /** Every problem, by row (the first 1,000; `problemCount` has the total). */
  problems: RowProblem[];
  problemCount: number;
  /** Proposed merges (the first 1,000; `mergeCount` has the total). */
  merges: ProposedMerge[];
  mergeCount: number;
  /** The reader the history goes to, or null (books only). */
  reader: { id: string | null; name: string; created: boolean } | null;
}

/** What `imports.commit` did. The CLI's `--json` prints exactly these fields (and `previewId`). */
export interface ImportResult {
  previewId: string;
  format: ImportFormat;
  /** Data rows read. */
  rows: number;
  /** New books (or students) created. */
  imported: number;
  /** Existing books or readers that gained information. */
  updated: number;
  /** Rows that matched something Lumin already had, with nothing new. */
  duplicates: number;
  /** Rows with a problem (they may still have imported what was usable). */
  failed: RowProblem[];
  /** Distinct books the file refers to, after merging. */
  books: number;
  /** Interactions added (0 on a re-import of the same file). */
  interactions: number;
  /** The failed rows as CSV (row, field, reason; formula-safe cells), when there are any. */
  failedRowsCsv?: string;
}

/** What `imports.export` wrote. */
export interface ExportResult {
  path: string;
  format: 'goodreads';
  books: number;
}
