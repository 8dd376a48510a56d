/**
 * Streaming RFC 4180 CSV/TSV reading. The tokenizer keeps only the record in progress between chunks,
 * so a chunk may end anywhere (inside a quoted field, between `\r` and `\n`) and a 50 MB export never
 * sits in memory whole. It is lenient where real exports are sloppy: a quote inside an unquoted field
 * is kept literally, text after a closing quote is appended, and a quote left open at the end of the
 * file takes the rest of the file as its field and is reported instead of hanging.
 */
import { addProblem, normaliseName, rowContext, type RowContext } from './common';
import { IMPORT_LIMITS, ImportLimitError, formatCount } from './limits';
import { createTextDecoder } from './text-decoding';
import type { ParsedRow, RowParser } from './types';

/** A streaming CSV tokenizer. */
export interface CsvTokenizer {
  /** Feeds the next piece of text; returns the records it completed. */
  push(text: string): string[][];
  /** Ends the input; returns the last record if the text did not end with a line break. */
  end(): string[][];
  /**
   * After `end()`: the number (from 1, counting every record, blank lines included) of the record
   * whose quoted field was still open at the end of the input, or null when every quote closed.
   */
  readonly unterminatedRecord: number | null;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

// Tokenizer states: at the start of a field, inside an unquoted field, inside quotes, and just after
// a quote inside quotes (a second quote makes it literal; anything else closes the field).
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/** Starts a tokenizer for one-character `delimiter` (`,`, `;` or tab); another length is a RangeError. */
export function createCsvTokenizer(delimiter: string): CsvTokenizer {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n')
    throw new RangeError(
      `createCsvTokenizer: the delimiter must be one character, not ${JSON.stringify(delimiter)}`,
    );
  const delimiterCode = delimiter.charCodeAt(0);
  let state: number = FIELD_START;
  // A field is kept as slices of the chunks and joined once, so a huge field costs linear time.
  let parts: string[] = [];
  let fields: string[] = [];
  let recordStarted = false;
  let skipLineFeed = false;
  let atStreamStart = true;
  let recordCount = 0;
  let unterminatedRecord: number | null = null;
  // Lengths of the field and record in progress, against IMPORT_LIMITS (checked once per piece kept).
  let fieldLength = 0;
  let recordLength = 0;

  const keep = (piece: string): void => {
    parts.push(piece);
    fieldLength += piece.length;
    recordLength += piece.length;
    checkLimits();
  };
  const checkLimits = (): void => {
    if (fieldLength > IMPORT_LIMITS.fieldCharacters)
      throw new ImportLimitError(
        recordCount + 1,
        'fieldCharacters',
        `field ${String(fields.length + 1)} is longer than the limit of ${formatCount(IMPORT_LIMITS.fieldCharacters)} characters`,
      );
    if (recordLength > IMPORT_LIMITS.lineCharacters)
      throw new ImportLimitError(
        recordCount + 1,
        'lineCharacters',
        `the row is longer than the limit of ${formatCount(IMPORT_LIMITS.lineCharacters)} characters`,
      );
  };
  const endField = (): void => {
    fields.push(parts.length === 1 ? (parts[0] as string) : parts.join(''));
    parts = [];
    fieldLength = 0;
    // The delimiter counts, so a row of a million empty fields is long too.
    recordLength += 1;
    checkLimits();
  };
  const endRecord = (records: string[][]): void => {
    records.push(fields);
    fields = [];
    recordStarted = false;
    recordCount += 1;
    recordLength = 0;
  };

  const scan = (text: string, records: string[][]): void => {
    let index = 0;
    if (atStreamStart && text.length > 0) {
      atStreamStart = false;
      if (text.charCodeAt(0) === 0xfeff) index = 1;
    }
    const length = text.length;
    while (index < length) {
      if (skipLineFeed) {
        skipLineFeed = false;
        if (text.charCodeAt(index) === LF) {
          index += 1;
          continue;
        }
      }
      switch (state) {
        case FIELD_START:
          recordStarted = true;
          if (text.charCodeAt(index) === QUOTE) {
            state = QUOTED;
            index += 1;
          } else state = UNQUOTED;
          break;
        case UNQUOTED: {
          let stop = index;
          let code = 0;
          while (stop < length) {
            code = text.charCodeAt(stop);
            if (code === delimiterCode || code === CR || code === LF) break;
            stop += 1;
          }
          if (stop > index) keep(text.slice(index, stop));
          if (stop === length) {
            index = length;
            break;
          }
          endField();
          if (code !== delimiterCode) {
            endRecord(records);
            skipLineFeed = code === CR;
          }
          state = FIELD_START;
          index = stop + 1;
          break;
        }
        case QUOTED: {
          const close = text.indexOf('"', index);
          if (close === -1) {
            keep(text.slice(index));
            index = length;
          } else {
            if (close > index) keep(text.slice(index, close));
            state = QUOTE_IN_QUOTED;
            index = close + 1;
          }
          break;
        }
        case QUOTE_IN_QUOTED:
          if (text.charCodeAt(index) === QUOTE) {
            parts.push('"');
            state = QUOTED;
            index += 1;
          } else state = UNQUOTED;
          break;
      }
    }
  };

  return {
    push(text) {
      const records: string[][] = [];
      scan(text, records);
      return records;
    },
    end() {
      const records: string[][] = [];
      if (state === QUOTED) unterminatedRecord = recordCount + 1;
      if (recordStarted) {
        endField();
        endRecord(records);
      }
      state = FIELD_START;
      return records;
    },
    get unterminatedRecord() {
      return unterminatedRecord;
    },
  };
}

const CANDIDATES = [',', ';', '\t'];
/** How much text the delimiter is detected from (the head `detectFormat` sees, too). */
const DETECT_AFTER_CHARACTERS = 65_536;

/** Excel's `sep=;` first line, which names the delimiter and is not part of the table. */
const SEPARATOR_LINE = /^\uFEFF?sep=([^\r\n])\r?\n/i;

/** Whether a record is Excel's `sep=…` line (however it tokenized). */
export function isSeparatorRecord(cells: string[]): boolean {
  return cells.length <= 2 && /^\uFEFF?sep=.?$/i.test(cells.join('').trim());
}

/**
 * Picks the delimiter of a CSV/TSV file from its first lines: the candidate (`,`, `;`, tab) that splits
 * the header into most columns while the following records keep that many. Quotes are respected, so
 * commas inside quoted titles do not count. Excel's `sep=;` first line decides. Falls back to `,`.
 */
export function detectDelimiter(headText: string): string {
  const named = SEPARATOR_LINE.exec(headText)?.[1];
  if (named !== undefined && named !== '"') return named;
  let best = ',';
  let bestScore = 0;
  for (const candidate of CANDIDATES) {
    const tokenizer = createCsvTokenizer(candidate);
    let records = tokenizer.push(headText.slice(0, DETECT_AFTER_CHARACTERS));
    if (records.length < 2) records = records.concat(tokenizer.end());
    const counts = records
      .filter((record) => record.length > 1 || (record[0] ?? '').trim() !== '')
      .slice(0, 20)
      .map((record) => record.length);
    const header = counts[0] ?? 0;
    if (header < 2) continue;
    const consistent = counts.filter((count) => count === header).length / counts.length;
    // Consistency matters most; among equally consistent candidates, more columns wins.
    const score = consistent * 1000 + Math.min(header, 999);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** A header column: where it is and how the file names it. */
export interface CsvColumn {
  index: number;
  name: string;
}

/** The header row, searchable case- and whitespace-insensitively. */
export interface CsvHeader {
  /** The names as written. */
  names: string[];
  /** The first column named any of `names` (compared lower-cased, whitespace collapsed), or null. */
  find(...names: string[]): CsvColumn | null;
}

/** One data record, read by column. */
export interface RecordCells {
  /** The column's trimmed value; '' when the column is absent or the record is short. */
  value(column: CsvColumn | null): string;
  /** `[the column's name as written, its value]`, to spread into the common `read…` helpers. */
  at(column: CsvColumn | null): [field: string, value: string];
  /** Every cell as the tokenizer gave it. */
  all: string[];
}

/** Reads one data record into a row. */
export type RecordReader = (cells: RecordCells, context: RowContext) => ParsedRow;

/** Options for {@link createDelimitedParser}. */
export interface DelimitedParserOptions {
  /** The delimiter; detected from the first lines when omitted. */
  delimiter?: string | undefined;
  /** Called with the header row; returns the reader for the data rows. */
  start(header: CsvHeader): RecordReader;
}

function makeHeader(names: string[]): CsvHeader {
  const positions = new Map<string, number>();
  names.forEach((name, index) => {
    const key = normaliseName(name);
    if (!positions.has(key)) positions.set(key, index);
  });
  // `reading_level` is how databases spell `Reading Level`: found under either, the exact name first.
  names.forEach((name, index) => {
    const spaced = normaliseName(name.replace(/_/g, ' '));
    if (!positions.has(spaced)) positions.set(spaced, index);
  });
  return {
    names,
    find(...wanted) {
      for (const name of wanted) {
        const index = positions.get(normaliseName(name));
        if (index !== undefined) return { index, name: (names[index] as string).trim() };
      }
      return null;
    },
  };
}

/**
 * A RowParser for a delimited file with a header row. Rows are numbered as a spreadsheet shows them:
 * every record counts (the header is row 1, a blank line is a row), a record with line breaks inside
 * quotes is one row. Blank records are skipped: they hold nothing to import. Byte chunks are decoded
 * as UTF-8, or UTF-16 when the file starts with its byte order mark.
 */
export function createDelimitedParser(options: DelimitedParserOptions): RowParser {
  const decoder = createTextDecoder();
  let tokenizer: CsvTokenizer | null = options.delimiter ? createCsvTokenizer(options.delimiter) : null;
  let waiting = '';
  let recordNumber = 0;
  let separatorSkipped = 0;
  let header: CsvHeader | null = null;
  let reader: RecordReader | null = null;

  const read = (records: string[][], unterminated: number | null): ParsedRow[] => {
    const rows: ParsedRow[] = [];
    for (const cells of records) {
      // Excel hides its `sep=` line, so it does not count as a row either.
      if (recordNumber === 0 && separatorSkipped === 0 && isSeparatorRecord(cells)) {
        separatorSkipped = 1;
        continue;
      }
      recordNumber += 1;
      if (cells.every((value) => value.trim() === '')) continue;
      if (!header || !reader) {
        header = makeHeader(cells);
        reader = options.start(header);
        continue;
      }
      const context = rowContext(recordNumber);
      const value = (column: CsvColumn | null): string => (column ? (cells[column.index] ?? '').trim() : '');
      const record: RecordCells = { value, at: (column) => [column?.name ?? '', value(column)], all: cells };
      const extra = cells.slice(header.names.length).filter((value) => value.trim() !== '');
      if (extra.length > 0)
        addProblem(
          context,
          'row',
          `has ${String(cells.length)} fields but the header has ${String(header.names.length)}; ` +
            'the extra values were ignored',
        );
      if (unterminated === recordNumber + separatorSkipped)
        addProblem(
          context,
          header.names[cells.length - 1]?.trim() || 'row',
          'a quoted field opened here is never closed; the rest of the file was read as this one value',
        );
      rows.push(reader(record, context));
    }
    return rows;
  };

  const feed = (text: string, final: boolean): ParsedRow[] => {
    if (!tokenizer) {
      waiting += text;
      if (!final && waiting.length < DETECT_AFTER_CHARACTERS) return [];
      // Always the same head, however the file was chunked, so the delimiter cannot depend on chunking.
      tokenizer = createCsvTokenizer(detectDelimiter(waiting.slice(0, DETECT_AFTER_CHARACTERS)));
      text = waiting;
      waiting = '';
    }
    const rows = read(tokenizer.push(text), null);
    if (!final) return rows;
    const last = tokenizer.end();
    return rows.concat(read(last, tokenizer.unterminatedRecord));
  };

  return {
    push(chunk) {
      return feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk), false);
    },
    end() {
      return feed(decoder.end(), true);
    },
  };
}
