/**
 * Format detection from the head of a file (its first ~64 KB), by content: people rename files, and
 * a Goodreads export re-saved from Excel is still a Goodreads export.
 */
import { normaliseName, trimEndOf } from './common';
import { isIsbnShaped } from './isbn-cells';
import { createCsvTokenizer, detectDelimiter, isSeparatorRecord } from './csv';
import { createTextDecoder, utf16Of } from './text-decoding';
import { guessMapping } from './column-mapping';
import { jsonRecords } from './generic';
import { ImportLimitError } from './limits';
import { looksLikeRoster } from './roster';
import type { Detection } from './types';

const HEAD = 65_536;
const SUPPORTED = 'Lumin reads CSV/TSV exports, JSON, MARC21/MARCXML and ISBN lists';
const SAVE_AS_CSV = `Save the sheet as CSV (UTF-8) and import that; ${SUPPORTED}`;

/** Whether the head starts with a MARC21 leader: a 5-digit record length, `22` at 10–11, `4500` at 20–23. */
function isMarcLeader(code: (index: number) => number): boolean {
  const text = (from: number, to: number): string =>
    String.fromCharCode(...Array.from({ length: to - from }, (_, offset) => code(from + offset)));
  return /^\d{5}$/.test(text(0, 5)) && text(10, 12) === '22' && text(20, 24) === '4500';
}

/** What a binary head probably is, for a message a person can act on. */
function binaryReason(code: (index: number) => number, length: number): string | null {
  const starts = (...bytes: number[]): boolean => bytes.every((byte, index) => code(index) === byte);
  if (starts(0x50, 0x4b, 0x03, 0x04))
    return `the file looks like binary data (not MARC21): an Excel workbook (.xlsx) or ZIP. ${SAVE_AS_CSV}`;
  if (starts(0xd0, 0xcf, 0x11, 0xe0))
    return `the file looks like binary data (not MARC21): an old Excel workbook (.xls). ${SAVE_AS_CSV}`;
  if (starts(0x25, 0x50, 0x44, 0x46))
    return `the file looks like binary data (not MARC21): a PDF. ${SUPPORTED}`;
  let control = 0;
  const sample = Math.min(length, 4096);
  for (let index = 0; index < sample; index += 1) {
    const value = code(index);
    if (value === 0) return `the file looks like binary data (not MARC21). ${SUPPORTED}`;
    if (value < 0x20 && value !== 0x09 && value !== 0x0a && value !== 0x0d && value !== 0x0c) control += 1;
  }
  return control > sample / 100 ? `the file looks like binary data (not MARC21). ${SUPPORTED}` : null;
}

/**
 * The first object that is a record of a JSON head cut off anywhere: a direct element of a top-level
 * array, a direct value of a top-level object (keyed by id), or an element of an array inside a
 * top-level object (`{"books": […]}`). Null when none is complete within the head.
 */
function firstJsonObject(text: string): Record<string, unknown> | null {
  const stack: string[] = [];
  let start = -1;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      // Only the two outermost levels matter; joining a deep stack each time would be quadratic.
      const path = stack.length <= 2 ? stack.join('') : '';
      if (char === '{' && start === -1 && (path === '[' || path === '{' || path === '{[')) start = index;
      stack.push(char);
    } else if (char === '}' || char === ']') {
      stack.pop();
      const path = stack.length <= 2 ? stack.join('') : '';
      if (char === '}' && start !== -1 && (path === '[' || path === '{' || path === '{[')) {
        try {
          const value: unknown = JSON.parse(text.slice(start, index + 1));
          return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
        } catch {
          return null;
        }
      }
    }
  }
  return null;
}

function detectJson(text: string, truncated: boolean): Detection {
  let keys: string[];
  // A whole small file is parsed as it is; a head cut off mid-record is read up to its first record.
  let whole: ReturnType<typeof jsonRecords> = [];
  try {
    if (!truncated) whole = jsonRecords(text);
  } catch (error) {
    if (error instanceof ImportLimitError)
      return { ok: false, reason: `the JSON is too deep or too big (${error.reason})` };
    throw error;
  }
  if (whole.length > 0 && whole.some((record) => record.value)) {
    keys = [...new Set(whole.slice(0, 50).flatMap((record) => Object.keys(record.value ?? {})))];
  } else if (whole.length > 0) {
    return { ok: false, reason: whole[0]?.problem ?? 'the JSON holds no records' };
  } else {
    const first = firstJsonObject(text);
    if (!first) return { ok: false, reason: 'the JSON does not start with a list of records Lumin can read' };
    keys = Object.keys(first);
  }
  const names = new Set(keys.map(normaliseName));
  if (
    names.has('books_id') ||
    (names.has('primaryauthor') && (names.has('entrydate') || names.has('workcode')))
  )
    return { ok: true, format: 'librarything' };
  const mapping = guessMapping(keys);
  if (mapping.title !== undefined || mapping.isbn !== undefined) return { ok: true, format: 'json', mapping };
  return { ok: false, reason: `the JSON records have no title or ISBN field (found ${listNames(keys)})` };
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 12).map((name) => `'${name.trim().slice(0, 40)}'`);
  if (shown.length === 0) return 'no field names';
  return names.length > 12 ? `${shown.join(', ')} and ${String(names.length - 12)} more` : shown.join(', ');
}

/**
 * Whether the head is an ISBN list: every non-blank, non-comment line holds only digits, X, hyphens
 * and spaces, and at least one is shaped like an ISBN (a typo on one line still makes a list; the
 * parser reports that line).
 */
function isIsbnList(text: string, truncated: boolean): boolean {
  const lines = text.split(/\r\n|\r|\n/);
  if (truncated) lines.pop();
  const values = lines
    .map((line) => trimEndOf((line.split('#')[0] ?? '').trim(), ',;\t').trim())
    .filter(Boolean);
  return values.some(isIsbnShaped) && values.every((value) => /^[\dXx][\dXx\s-]*$/.test(value));
}

function detectDelimited(text: string): Detection {
  const delimiter = detectDelimiter(text);
  const tokenizer = createCsvTokenizer(delimiter);
  const records = tokenizer.push(text);
  if (records.length === 0) records.push(...tokenizer.end());
  const header =
    records.find((record) => !isSeparatorRecord(record) && record.some((cell) => cell.trim() !== '')) ?? [];
  const names = new Set(header.map(normaliseName));
  const has = (name: string): boolean => names.has(name);
  if (has('exclusive shelf') || (has('book id') && has('my rating')))
    return { ok: true, format: 'goodreads', delimiter };
  if (has('isbn/uid') || (has('read status') && has('star rating')))
    return { ok: true, format: 'storygraph', delimiter };
  if (has('primary author') && (has('book id') || has('isbns') || has('collections')))
    return { ok: true, format: 'librarything', delimiter };
  if (
    has('title') &&
    has('authors') &&
    ['identifiers', 'series_index', 'uuid', 'author_sort', 'title_sort'].some(has)
  )
    return { ok: true, format: 'calibre', delimiter };
  if (looksLikeRoster(header)) return { ok: true, format: 'roster', delimiter };
  const mapping = guessMapping(header);
  if (mapping.title !== undefined || mapping.isbn !== undefined)
    return { ok: true, format: 'csv', delimiter, mapping };
  return {
    ok: false,
    reason:
      `no usable columns: the first row has ${listNames(header.filter((name) => name.trim() !== ''))}; ` +
      "Lumin needs a column for the title or the ISBN (or a class roster's names)",
  };
}

/**
 * Detects the format of a file from its head (pass the first ~64 KB; more is ignored): binary MARC21
 * by its leader, MARCXML, LibraryThing or generic JSON, the Goodreads, StoryGraph, LibraryThing and
 * Calibre exports by their headers, class rosters, ISBN lists, and any CSV/TSV with a title or ISBN
 * column. Bytes are decoded as UTF-8 (UTF-16 when they start with its byte order mark). Says why
 * when the file is empty, binary, or has no usable columns.
 */
export function detectFormat(head: string | Uint8Array): Detection {
  let text: string;
  const truncated = head.length >= HEAD;
  if (typeof head === 'string') {
    text = head.slice(0, HEAD);
    if (isMarcLeader((index) => text.charCodeAt(index))) return { ok: true, format: 'marc' };
    const binary = binaryReason((index) => text.charCodeAt(index), text.length);
    if (binary) return { ok: false, reason: binary };
  } else {
    const bytes = head.subarray(0, HEAD);
    if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
    // UTF-16 text (Excel's "Unicode Text") is full of zero bytes: decode it before the binary check.
    const utf16 = utf16Of(bytes) !== null;
    if (!utf16 && isMarcLeader((index) => bytes[index] ?? 0)) return { ok: true, format: 'marc' };
    const binary = utf16 ? null : binaryReason((index) => bytes[index] ?? 0, bytes.length);
    if (binary) return { ok: false, reason: binary };
    const decoder = createTextDecoder();
    text = decoder.decode(bytes) + (truncated ? '' : decoder.end());
  }
  text = text.replace(/^\uFEFF/, '');
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, reason: 'the file is empty' };
  const first = trimmed[0];
  if (first === '<') {
    const isRecord = /<([\w-]+:)?(record|collection)[\s>]/.test(trimmed);
    const isMarc =
      /www\.loc\.gov\/MARC21\/slim/.test(trimmed) ||
      /<([\w-]+:)?(datafield|controlfield)\s+tag=/.test(trimmed);
    if (isRecord && isMarc) return { ok: true, format: 'marc' };
    return { ok: false, reason: `the file is XML but not MARCXML (no MARC <record> elements). ${SUPPORTED}` };
  }
  if (first === '{' || first === '[') return detectJson(trimmed, truncated);
  if (isIsbnList(trimmed, truncated)) return { ok: true, format: 'isbn' };
  return detectDelimited(text);
}
