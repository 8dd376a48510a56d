/**
 * JSON records read as a stream by @streamparser/json, with caps on nesting depth and on the size of
 * one value and one record. A top-level array hands out each record as soon as it is complete and
 * keeps nothing else, so a file of any length costs one record of memory; a top-level object (keyed by
 * id, or wrapping a list) is collected value by value and shaped at the end, as before.
 */
import { TokenParser, TokenType, Tokenizer } from '@streamparser/json';
import { IMPORT_LIMITS, ImportLimitError, formatCount } from './limits';

/** One record of a JSON file: an object, or the reason it cannot be one. */
export interface JsonRecord {
  /** From 1, in file order. */
  row: number;
  /** Its key when the file is an object keyed by id; '' in an array. */
  key: string;
  value: Record<string, unknown> | null;
  problem?: string;
}

/** A streaming reader of JSON records. */
export interface JsonRecordStream {
  push(text: string): JsonRecord[];
  end(): JsonRecord[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const SLICE = 65_536;

function toRecord(row: number, key: string, value: unknown): JsonRecord {
  return isObject(value)
    ? { row, key, value }
    : { row, key, value: null, problem: `record ${String(row)} is not an object; skipped` };
}

/**
 * The top-level object's shape: keyed by id when most values are records (one stray value is a bad
 * record, not a different shape), else its one list of records (`{"books": […]}`), else one record.
 */
function shapeObject(entries: [string, unknown][]): [string, unknown][] {
  const values = entries.map(([, value]) => value);
  if (values.length > 0 && values.filter(isObject).length * 2 >= values.length) return entries;
  const list = values.find((value) => Array.isArray(value) && value.length > 0 && value.every(isObject));
  if (Array.isArray(list)) return list.map((item: unknown) => ['', item]);
  return [['', Object.fromEntries(entries)]];
}

/** Starts a {@link JsonRecordStream}. Throws {@link ImportLimitError} past a cap; bad JSON is a problem record. */
export function createJsonRecordStream(): JsonRecordStream {
  const tokenizer = new Tokenizer();
  // Only the top level's members are emitted, and each is dropped from its parent once emitted.
  const parser = new TokenParser({ paths: ['$.*'], keepStack: false });
  let top: 'array' | 'object' | 'scalar' | null = null;
  let depth = 0;
  let fed = 0;
  let lastToken = 0;
  let recordStart = -1;
  let emitted = 0;
  let scalar: unknown;
  let failure: string | null = null;
  // Thrown after the tokenizer returns: it reports what its callbacks throw as bad JSON.
  let limitPassed: ImportLimitError | null = null;
  let out: JsonRecord[] = [];
  const entries: [string, unknown][] = [];

  const rowInProgress = () => (top === 'array' ? emitted + 1 : entries.length + 1);
  parser.onValue = ({ value, key, stack }) => {
    if (stack.length !== 1) return;
    recordStart = -1;
    if (top === 'array') {
      emitted += 1;
      out.push(toRecord(emitted, '', value));
    } else entries.push([String(key), value]);
  };
  parser.onError = (error) => {
    failure ??= error.message;
  };
  tokenizer.onError = (error) => {
    failure ??= error.message;
  };
  tokenizer.onToken = (info) => {
    if (failure !== null || limitPassed !== null) return;
    lastToken = fed;
    const { token } = info;
    if (top === null) {
      top = token === TokenType.LEFT_BRACKET ? 'array' : token === TokenType.LEFT_BRACE ? 'object' : 'scalar';
      if (top === 'scalar') scalar = info.value;
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      depth += 1;
      if (depth === 2) recordStart = fed;
      if (depth > IMPORT_LIMITS.jsonDepth) {
        limitPassed = new ImportLimitError(
          rowInProgress(),
          'jsonDepth',
          `the JSON nests deeper than the limit of ${String(IMPORT_LIMITS.jsonDepth)} levels`,
        );
        return;
      }
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth -= 1;
    if (top !== 'scalar') parser.write(info);
  };

  const check = (): void => {
    if (limitPassed !== null) throw limitPassed;
    if (fed - lastToken > IMPORT_LIMITS.jsonValueCharacters)
      throw new ImportLimitError(
        rowInProgress(),
        'jsonValueCharacters',
        `a JSON value is longer than the limit of ${formatCount(IMPORT_LIMITS.jsonValueCharacters)} characters`,
      );
    if (top === 'array' && recordStart >= 0 && fed - recordStart > IMPORT_LIMITS.jsonRecordCharacters)
      throw new ImportLimitError(
        rowInProgress(),
        'jsonRecordCharacters',
        `a JSON record is longer than the limit of ${formatCount(IMPORT_LIMITS.jsonRecordCharacters)} characters`,
      );
  };

  const take = (): JsonRecord[] => {
    const records = out;
    out = [];
    return records;
  };

  return {
    push(text) {
      if (fed === 0) text = text.replace(/^\uFEFF/, '');
      for (let start = 0; start < text.length && failure === null; start += SLICE) {
        const slice = text.slice(start, start + SLICE);
        fed += slice.length;
        if (!tokenizer.isEnded) tokenizer.write(slice);
        else if (/\S/.test(slice)) failure ??= 'unexpected text after the end of the JSON';
        check();
      }
      return take();
    },
    end() {
      if (failure === null && !tokenizer.isEnded) tokenizer.end();
      check();
      if (failure === null && top !== null && top !== 'scalar' && !parser.isEnded)
        failure = 'unexpected end of the file';
      const records = take();
      if (failure !== null) {
        // The tokenizer names the position within the chunk too; the rows must not depend on chunking.
        const message = failure
          .replace(/ at chunk position "\d+" \(absolute position "(\d+)"\)/, ' at byte $1')
          .slice(0, 120);
        return records.concat({
          row: emitted + 1,
          key: '',
          value: null,
          problem:
            emitted === 0
              ? `the file is not valid JSON (${message}); nothing imported`
              : `the file is not valid JSON after record ${String(emitted)} (${message}); the rest was not read`,
        });
      }
      if (top === 'object')
        return shapeObject(entries).map(([key, value], index) => toRecord(index + 1, key, value));
      if (top === 'scalar') return [toRecord(1, '', scalar)];
      return records;
    },
  };
}

/** The records of a whole JSON text (see {@link createJsonRecordStream}). */
export function jsonRecords(text: string): JsonRecord[] {
  const stream = createJsonRecordStream();
  return stream.push(text).concat(stream.end());
}
