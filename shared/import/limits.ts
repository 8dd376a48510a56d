/**
 * The caps on what one import file may hold. A file past a cap is not damaged data to skip row by row
 * but a file Lumin will not read (a hostile or broken export): the parser throws an
 * {@link ImportLimitError} naming the row and the cap, and the import stops with nothing written.
 * This is the one exception to "parsers never throw on data". Real exports stay far below each cap.
 */

/** The caps, in characters of decoded text (or bytes for MARC). */
export const IMPORT_LIMITS = {
  /** One CSV/TSV field. */
  fieldCharacters: 4_000_000,
  /** One CSV/TSV record or one line of an ISBN list. */
  lineCharacters: 16_000_000,
  /** Nesting of JSON arrays and objects. */
  jsonDepth: 64,
  /** One JSON value (a string or number) and one record of a JSON list. */
  jsonValueCharacters: 1_000_000,
  jsonRecordCharacters: 4_000_000,
  /** Fields (control and data) in one MARC record. */
  marcFieldsPerRecord: 5_000,
  /** One MARCXML record, in bytes of the file. */
  marcRecordBytes: 4_000_000,
} as const;

/** Which cap an {@link ImportLimitError} hit. */
export type ImportLimit = keyof typeof IMPORT_LIMITS | 'fileBytes';

/** A file past one of {@link IMPORT_LIMITS}: the import stops; the message names the row and the cap. */
export class ImportLimitError extends Error {
  override readonly name = 'ImportLimitError';
  constructor(
    /** The row (as RowProblem counts rows) where the cap was passed. */
    readonly row: number,
    readonly limit: ImportLimit,
    /** What is too big, e.g. "a field is longer than the limit of 1,000,000 characters". */
    readonly reason: string,
  ) {
    super(`row ${String(row)}: ${reason}`);
  }
}

/** `1000000` → `1,000,000`, for messages. */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
