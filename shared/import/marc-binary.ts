/**
 * Binary MARC 21 (ISO 2709): cutting a byte stream into records, and reading one record's leader,
 * directory and fields. Exports from school library systems are often slightly damaged (lengths
 * counted in characters instead of bytes, a truncated last record, stray newlines between records),
 * so every step here degrades to "read what can be read" and says what it did.
 */
import type { FieldProblem, MarcField, MarcRecord, MarcSubfield } from './marc-record';
import { decodeMarc8 } from './marc8';
import { decodeUtf8, isUtf8 } from './text-decoding';

const RECORD_END = 0x1d;
const FIELD_END = 0x1e;
const SUBFIELD = 0x1f;
/** The leader's five-digit length caps a record at 99,999 bytes; past that we stop waiting for its end. */
const MAX_RECORD = 100_000;

/** One record's bytes as cut from the stream. */
export interface RecordBytes {
  bytes: Uint8Array;
  /** False when no record terminator (0x1D) ends it: the record was truncated. */
  terminated: boolean;
  /** Non-MARC bytes skipped just before this record. */
  skipped: number;
}

function isDigits(bytes: Uint8Array, from: number, count: number): boolean {
  for (let index = from; index < from + count; index += 1) {
    const byte = bytes[index];
    if (byte === undefined || byte < 0x30 || byte > 0x39) return false;
  }
  return true;
}

function readNumber(bytes: Uint8Array, from: number, count: number): number {
  let value = 0;
  for (let index = from; index < from + count; index += 1)
    value = value * 10 + ((bytes[index] as number) - 0x30);
  return value;
}

function isTagByte(byte: number | undefined): boolean {
  return (
    byte !== undefined &&
    ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a))
  );
}

/** Between records, exports put newlines, padding NULs or a DOS end-of-file mark; none of it is junk. */
function isSeparator(byte: number): boolean {
  return byte === 0x0a || byte === 0x0d || byte === 0x20 || byte === 0x09 || byte === 0x00 || byte === 0x1a;
}

/**
 * Cuts a byte stream into records. The leader's length is trusted when a record terminator sits where
 * it says; otherwise the record runs to the next terminator, or to the next place that looks like a
 * leader (so a truncated record does not swallow the one after it). Holds at most one record plus the
 * chunk being read.
 */
export class RecordSplitter {
  private buffer = new Uint8Array(4096);
  private start = 0;
  private filled = 0;
  private skipped = 0;
  /** How far past `start` the fallback scan has looked, so byte-at-a-time input is not rescanned. */
  private scanned = 0;

  /** Adds bytes; returns the records they complete. */
  push(chunk: Uint8Array): RecordBytes[] {
    this.append(chunk);
    return this.drain(false);
  }

  /** Ends the stream; returns what is left, truncated or not. */
  end(): RecordBytes[] {
    return this.drain(true);
  }

  /** Non-MARC bytes read since the last record (left over when the stream ends in junk). */
  get skippedBytes(): number {
    return this.skipped;
  }

  private append(chunk: Uint8Array): void {
    const live = this.filled - this.start;
    if (this.start > 0 && (live === 0 || this.start >= this.buffer.length / 2)) {
      this.buffer.copyWithin(0, this.start, this.filled);
      this.start = 0;
      this.filled = live;
    }
    if (this.filled + chunk.length > this.buffer.length) {
      let size = this.buffer.length;
      while (size < this.filled + chunk.length) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buffer.subarray(this.start, this.filled));
      this.filled -= this.start;
      this.start = 0;
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.filled);
    this.filled += chunk.length;
  }

  /** Whether a plausible leader (lengths, base address and a first directory entry) starts at `at`. */
  private leaderAt(at: number): boolean {
    const bytes = this.buffer;
    // Bytes past `filled` are stale leftovers of earlier chunks: never read them.
    if (at + 36 > this.filled || !isDigits(bytes, at, 5) || !isDigits(bytes, at + 12, 5)) return false;
    const length = readNumber(bytes, at, 5);
    const base = readNumber(bytes, at + 12, 5);
    if (base < 37 || (base - 25) % 12 !== 0 || length < base + 2) return false;
    return (
      isTagByte(bytes[at + 24]) &&
      isTagByte(bytes[at + 25]) &&
      isTagByte(bytes[at + 26]) &&
      isDigits(bytes, at + 27, 9)
    );
  }

  private take(from: number, to: number, terminated: boolean): RecordBytes | null {
    this.start = to;
    this.scanned = 0;
    const bytes = this.buffer.subarray(from, to);
    let hasFieldEnd = false;
    for (const byte of bytes) if (byte === FIELD_END) hasFieldEnd = true;
    // A piece with neither a leader's length nor any field is not a record: count it as junk.
    if (!(bytes.length >= 5 && isDigits(bytes, 0, 5)) && !(hasFieldEnd && bytes.length >= 24)) {
      for (const byte of bytes) if (!isSeparator(byte)) this.skipped += 1;
      return null;
    }
    const record = { bytes: bytes.slice(), terminated, skipped: this.skipped };
    this.skipped = 0;
    return record;
  }

  private drain(final: boolean): RecordBytes[] {
    const records: RecordBytes[] = [];
    const bytes = this.buffer;
    for (;;) {
      while (this.start < this.filled && isSeparator(bytes[this.start] as number)) {
        this.start += 1;
        this.scanned = 0;
      }
      const available = this.filled - this.start;
      if (available === 0) break;
      if (isDigits(bytes, this.start, Math.min(5, available))) {
        if (available < 5 && !final) break;
        const length = available >= 5 ? readNumber(bytes, this.start, 5) : 0;
        if (length >= 26) {
          if (available >= length && bytes[this.start + length - 1] === RECORD_END) {
            const record = this.take(this.start, this.start + length, true);
            if (record) records.push(record);
            continue;
          }
          // Wait for the whole record the leader announces before looking for another way to cut it.
          if (available < length && !final) break;
        }
      }
      const cut = this.fallbackCut(final);
      if (!cut) break;
      const record = this.take(this.start, cut.end, cut.terminated);
      if (record) records.push(record);
    }
    return records;
  }

  private fallbackCut(final: boolean): { end: number; terminated: boolean } | null {
    const bytes = this.buffer;
    const limit = Math.min(this.filled, this.start + MAX_RECORD);
    let at = this.start + Math.max(1, this.scanned);
    for (; at < limit; at += 1) {
      if (bytes[at - 1] === RECORD_END) return { end: at, terminated: true };
      // A leader is recognised only once its first directory entry has arrived.
      if (at + 36 > this.filled && !final) break;
      if (this.leaderAt(at)) return { end: at, terminated: false };
    }
    if (at >= limit) {
      if (bytes[limit - 1] === RECORD_END) return { end: limit, terminated: true };
      if (limit - this.start >= MAX_RECORD || final) return { end: limit, terminated: false };
    }
    this.scanned = at - this.start;
    return null;
  }
}

interface DirectoryEntry {
  tag: string;
  length: number;
  offset: number;
}

/**
 * Reads one record's leader, directory and fields. Field text is decoded as UTF-8 (leader/09 `a`)
 * or MARC-8 (blank). Problems are reported once per kind, so a damaged record gives a few sentences,
 * not one per field.
 */
export function parseBinaryRecord(input: RecordBytes): { record: MarcRecord; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const bytes = input.bytes;
  if (input.skipped > 0)
    problems.push({
      field: 'record',
      reason: `${String(input.skipped)} bytes before this record are not MARC; skipped them`,
    });
  const dataEnd = input.terminated ? bytes.length - 1 : bytes.length;
  if (!input.terminated)
    problems.push({
      field: 'record',
      reason: 'the record is cut short (no end-of-record mark); read the fields that were there',
    });
  let leader = '';
  for (let index = 0; index < Math.min(24, bytes.length); index += 1) {
    const byte = bytes[index] as number;
    leader += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ' ';
  }
  if (bytes.length < 24) return { record: { leader, fields: [] }, problems };
  const leaderOk = isDigits(bytes, 0, 5) && isDigits(bytes, 12, 5);
  if (!leaderOk)
    problems.push({ field: 'leader', reason: 'the leader is damaged; read the fields by their separators' });

  let directoryEnd = -1;
  const base = leaderOk ? readNumber(bytes, 12, 5) : 0;
  if (base >= 25 && base <= dataEnd && (base - 25) % 12 === 0 && bytes[base - 1] === FIELD_END)
    directoryEnd = base - 1;
  else directoryEnd = bytes.indexOf(FIELD_END, 24);
  if (directoryEnd < 0 || directoryEnd >= dataEnd) {
    problems.push({ field: 'directory', reason: 'the record has no readable directory; skipped its fields' });
    return { record: { leader, fields: [] }, problems };
  }
  // Many exporters write UTF-8 yet leave leader/09 blank; MARC-8 bytes almost never form valid UTF-8.
  const marc8 = leader[9] === ' ' && !looksLikeUtf8(bytes, directoryEnd + 1, dataEnd);
  let damaged = (directoryEnd - 24) % 12 !== 0;
  const entries: DirectoryEntry[] = [];
  for (let at = 24; at + 12 <= directoryEnd; at += 12) {
    if (
      !isTagByte(bytes[at]) ||
      !isTagByte(bytes[at + 1]) ||
      !isTagByte(bytes[at + 2]) ||
      !isDigits(bytes, at + 3, 9)
    ) {
      damaged = true;
      continue;
    }
    entries.push({
      tag: String.fromCharCode(bytes[at] as number, bytes[at + 1] as number, bytes[at + 2] as number),
      length: readNumber(bytes, at + 3, 4),
      offset: readNumber(bytes, at + 7, 5),
    });
  }
  if (damaged)
    problems.push({
      field: 'directory',
      reason: 'the directory is damaged; read the entries that made sense',
    });

  const dataStart = directoryEnd + 1;
  // Fields exactly as the directory places them, when each ends with a field terminator.
  const placed = entries.map((entry) => {
    const from = dataStart + entry.offset;
    const to = from + entry.length;
    return { from, to, ok: entry.length > 0 && to <= dataEnd && bytes[to - 1] === FIELD_END };
  });
  let spans = placed;
  if (placed.some((span) => !span.ok)) {
    // Lengths counted in characters rather than bytes (a common export bug) shift every later field;
    // when the data splits at field terminators into exactly one piece per entry, trust the split.
    const pieces: { from: number; to: number; ok: boolean }[] = [];
    let from = dataStart;
    for (let at = dataStart; at < dataEnd; at += 1)
      if (bytes[at] === FIELD_END) {
        pieces.push({ from, to: at + 1, ok: true });
        from = at + 1;
      }
    if (from < dataEnd) pieces.push({ from, to: dataEnd, ok: true });
    if (pieces.length === entries.length) {
      spans = pieces;
      // Miscounted lengths are routine and fully recovered; an entry pointing past the record is not.
      const lost = entries.filter((entry, index) => (placed[index] as { to: number }).to > dataEnd);
      if (lost.length > 0 && input.terminated)
        problems.push({
          field: 'directory',
          reason: `the directory points outside the record for ${fieldList(lost.map((entry) => entry.tag))}; read the fields in order instead`,
        });
    }
  }

  const outside: string[] = [];
  const fields: MarcField[] = [];
  let badText: string | null = null;
  const decode = (from: number, to: number, tag: string): string => {
    const decoded = marc8 ? decodeMarc8(bytes, from, to) : decodeUtf8(bytes, from, to);
    if (decoded.bad && badText === null) badText = tag;
    return decoded.text.normalize('NFC');
  };
  entries.forEach((entry, index) => {
    const span = spans[index] as { from: number; to: number; ok: boolean };
    if (span.from >= dataEnd || span.to <= span.from) {
      // In a truncated record the lost fields are expected; the truncation problem covers them.
      if (input.terminated) outside.push(entry.tag);
      return;
    }
    // A field the directory points at wrongly is read up to its first terminator, at most.
    let to = Math.min(span.to, dataEnd);
    const terminator = bytes.indexOf(FIELD_END, span.from);
    if (terminator >= 0 && terminator < to) to = terminator;
    fields.push(readField(entry.tag, bytes, span.from, to, decode));
  });
  if (outside.length > 0)
    problems.push({
      field: 'directory',
      reason: `the directory points outside the record for ${fieldList(outside)}; skipped ${outside.length > 1 ? 'them' : 'it'}`,
    });
  if (badText !== null)
    problems.push({
      field: badText,
      reason: marc8
        ? 'some MARC-8 characters could not be read; they show as �'
        : 'some text is not valid UTF-8; unreadable characters show as �',
    });
  return { record: { leader, fields }, problems };
}

function looksLikeUtf8(bytes: Uint8Array, from: number, to: number): boolean {
  let wide = false;
  for (let index = from; index < to && !wide; index += 1) wide = (bytes[index] as number) >= 0x80;
  return wide && isUtf8(bytes.subarray(from, to));
}

function fieldList(tags: string[]): string {
  return `field${tags.length > 1 ? 's' : ''} ${tags.join(', ')}`;
}

function readField(
  tag: string,
  bytes: Uint8Array,
  from: number,
  to: number,
  decode: (from: number, to: number, tag: string) => string,
): MarcField {
  if (/^00\d$/.test(tag)) return { tag, ind1: ' ', ind2: ' ', subfields: [], data: decode(from, to, tag) };
  const indicator = (at: number): string => {
    const byte = at < to ? (bytes[at] as number) : 0x20;
    return byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ' ';
  };
  // Missing indicators happen: start the subfields at the first subfield mark within two bytes.
  let at = from;
  let ind1 = ' ';
  let ind2 = ' ';
  if (bytes[at] !== SUBFIELD) {
    ind1 = indicator(at);
    at += 1;
    if (at < to && bytes[at] !== SUBFIELD) {
      ind2 = indicator(at);
      at += 1;
    }
  }
  const subfields: MarcSubfield[] = [];
  let mark = bytes.indexOf(SUBFIELD, at);
  while (mark >= 0 && mark < to) {
    const next = bytes.indexOf(SUBFIELD, mark + 1);
    const stop = next >= 0 && next < to ? next : to;
    const codeByte = mark + 1 < stop ? (bytes[mark + 1] as number) : 0;
    if (codeByte > 0x20 && codeByte < 0x7f)
      subfields.push({
        code: String.fromCharCode(codeByte).toLowerCase(),
        value: decode(mark + 2, stop, tag),
      });
    mark = next >= 0 && next < to ? next : -1;
  }
  return { tag, ind1, ind2, subfields, data: null };
}
