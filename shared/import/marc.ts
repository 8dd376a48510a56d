/**
 * The MARC import parser: binary MARC 21 (ISO 2709) or MARCXML, told apart by the first bytes, read as
 * a stream of chunks. Each record becomes one row numbered from 1. Nothing here throws on data: damaged
 * records come back with their problems and reading continues with the next record where it can.
 */
import { parseBinaryRecord, RecordSplitter } from './marc-binary';
import { recordToRow } from './marc-fields';
import { ImportLimitError } from './limits';
import { MarcXmlReader } from './marc-xml';
import { concatBytes, decodeWindows1252, encodeUtf8, utf16Of } from './text-decoding';
import type { ParsedRow, RowParser } from './types';

/** Enough head to see past a BOM, leading blank lines and an XML declaration. */
const SNIFF_BYTES = 1024;

type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

interface Sniffed {
  format: 'binary' | 'xml';
  /** Bytes to drop from the head (a byte order mark, blank lines before `<`). */
  skip: number;
  encoding: Encoding;
}

function isBlank(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** Decides the format from the head of the file, or returns null while it needs more bytes. */
function sniff(head: Uint8Array, final: boolean): Sniffed | null {
  const [b0, b1, b2] = head;
  if (head.length < 3 && !final) return null;
  const utf16 = utf16Of(head);
  if (utf16) return { format: 'xml', skip: 2, encoding: utf16 };
  let at = b0 === 0xef && b1 === 0xbb && b2 === 0xbf ? 3 : 0;
  const bom = at;
  while (at < head.length && isBlank(head[at])) at += 1;
  if (at >= head.length)
    return final || head.length >= SNIFF_BYTES ? { format: 'binary', skip: bom, encoding: 'utf-8' } : null;
  if (head[at] !== 0x3c) return { format: 'binary', skip: bom, encoding: 'utf-8' };
  // XML: wait for the declaration, which may name a legacy encoding.
  let text = '';
  for (let index = at; index < Math.min(head.length, at + SNIFF_BYTES); index += 1)
    text += String.fromCharCode(head[index] as number);
  if (text.startsWith('<?xml') && !text.includes('?>') && !final && head.length - at < SNIFF_BYTES)
    return null;
  const declared = /^<\?xml[^>]*?\bencoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1]?.toLowerCase() ?? '';
  const legacy = /^(?:iso-8859-1|iso-8859-15|latin-?1|windows-1252|cp1252)$/.test(declared);
  return { format: 'xml', skip: at, encoding: legacy ? 'windows-1252' : 'utf-8' };
}

/** Turns byte chunks into text for the XML reader, carrying a split character to the next chunk. */
function xmlDecoder(encoding: Encoding): (bytes: Uint8Array, final: boolean) => string {
  if (encoding === 'windows-1252') return decodeWindows1252;
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  return (bytes, final) => decoder.decode(bytes, { stream: !final });
}

/**
 * XML 1.0 forbids most C0 controls, yet MARC delimiters and stray control bytes leak into MARCXML
 * exports. Making them U+FFFD keeps one bad byte from ending the whole file (the record notes it).
 */
function scrubXmlText(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

/**
 * Creates a streaming MARC parser. `push` takes bytes (or text, encoded back to UTF-8 bytes) and
 * returns the records completed so far; `end` returns the rest. Memory holds one record (binary) or
 * one record's elements (XML), plus the chunk being read.
 */
export function createMarcParser(): RowParser {
  let head: Uint8Array = new Uint8Array(0);
  let format: Sniffed | null = null;
  let splitter: RecordSplitter | null = null;
  let xml: MarcXmlReader | null = null;
  let decode: ((bytes: Uint8Array, final: boolean) => string) | null = null;
  let rowCount = 0;
  let pendingSurrogate = '';
  let broken = false;
  let ended = false;

  const binaryRows = (records: ReturnType<RecordSplitter['push']>): ParsedRow[] =>
    records.map((input) => {
      const { record, problems } = parseBinaryRecord(input);
      rowCount += 1;
      return recordToRow(record, rowCount, problems);
    });

  const feed = (bytes: Uint8Array, final: boolean): ParsedRow[] => {
    if (!format) {
      head = concatBytes(head, bytes.slice());
      format = sniff(head, final);
      if (!format) return [];
      bytes = head.subarray(format.skip);
      head = new Uint8Array(0);
      if (format.format === 'binary') splitter = new RecordSplitter();
      else {
        xml = new MarcXmlReader();
        decode = xmlDecoder(format.encoding);
      }
    }
    const rows: ParsedRow[] = [];
    if (splitter) {
      rows.push(...binaryRows(splitter.push(bytes)));
      if (final) {
        rows.push(...binaryRows(splitter.end()));
        if (rowCount === 0 && splitter.skippedBytes > 0)
          rows.push({
            row: 1,
            kind: 'invalid',
            problems: [
              {
                row: 1,
                field: 'file',
                reason: 'the file has no MARC records (neither binary MARC nor MARCXML)',
              },
            ],
          });
      }
    } else if (xml && decode) {
      rows.push(...xml.write(scrubXmlText(decode(bytes, final))));
      if (final) rows.push(...xml.end());
    }
    return rows;
  };

  // Whatever goes wrong inside, the caller gets rows, never an exception: an unexpected failure ends
  // the file with one row that says so.
  const guarded = (run: () => ParsedRow[]): ParsedRow[] => {
    if (broken) return [];
    try {
      return run();
    } catch (error) {
      broken = true;
      // A file past a cap stops the import: see ./limits.
      if (error instanceof ImportLimitError) throw error;
      const row = rowCount + 1;
      const message = error instanceof Error ? error.message : String(error);
      return [
        {
          row,
          kind: 'invalid',
          problems: [
            { row, field: 'file', reason: `Lumin could not read past this point (${message}); stopped here` },
          ],
        },
      ];
    }
  };

  return {
    push(chunk: string | Uint8Array): ParsedRow[] {
      return guarded(() => {
        if (ended) return [];
        if (typeof chunk === 'string') {
          // A surrogate pair split across two string chunks must be encoded as one character.
          let text = pendingSurrogate + chunk;
          pendingSurrogate = '';
          const last = text.charCodeAt(text.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            pendingSurrogate = text.slice(-1);
            text = text.slice(0, -1);
          }
          return feed(encodeUtf8(text), false);
        }
        return feed(chunk, false);
      });
    },
    end(): ParsedRow[] {
      return guarded(() => {
        if (ended) return [];
        ended = true;
        const rest = pendingSurrogate ? encodeUtf8(pendingSurrogate) : new Uint8Array(0);
        pendingSurrogate = '';
        return feed(rest, true);
      });
    },
  };
}
