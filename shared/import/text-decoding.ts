/**
 * Bytes to text for the import parsers, through the platform's TextDecoder and TextEncoder. Only
 * Windows-1252 (MARCXML may declare it) is decoded here, because Node's decoder gets it wrong; MARC-8
 * lives in ./marc8. A byte order mark is always kept as U+FEFF (`ignoreBOM`): the readers drop it
 * themselves, and a second one is text.
 */

/** Text decoded from bytes, and whether some bytes could not be read (and became U+FFFD). */
export interface Decoded {
  text: string;
  bad: boolean;
}

/** A streaming decoder: a character split across chunks is joined; bad bytes become U+FFFD. */
export interface ChunkDecoder {
  decode(bytes: Uint8Array): string;
  /** Ends the stream: an unfinished character becomes U+FFFD. */
  end(): string;
}

const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** The UTF-16 encoding whose byte order mark starts `head`, or null. */
export function utf16Of(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * Decodes a byte stream by its byte order mark: UTF-16 LE or BE when it starts with one (Excel's
 * "Unicode Text" and some older exports), UTF-8 otherwise. The mark itself comes through as U+FEFF.
 */
export function createTextDecoder(): ChunkDecoder {
  let decoder: TextDecoder | null = null;
  // The first two bytes decide the encoding; a one-byte first chunk waits for the next.
  let head: Uint8Array = new Uint8Array(0);
  const start = (): TextDecoder => new TextDecoder(utf16Of(head) ?? 'utf-8', { ignoreBOM: true });
  return {
    decode(bytes) {
      if (decoder) return decoder.decode(bytes, { stream: true });
      head = concatBytes(head, bytes);
      if (head.length < 2) return '';
      decoder = start();
      const text = decoder.decode(head, { stream: true });
      head = new Uint8Array(0);
      return text;
    },
    end() {
      decoder ??= start();
      const text = decoder.decode(head);
      head = new Uint8Array(0);
      return text;
    },
  };
}

/** Decodes UTF-8 as the WHATWG decoder does: each maximal invalid subsequence becomes one U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): Decoded {
  const view = bytes.subarray(start, end);
  const text = lenientUtf8.decode(view);
  // A U+FFFD may be written in the file itself; only the strict decoder can tell.
  return { text, bad: text.includes('\uFFFD') && !isUtf8(view) };
}

/** Whether `bytes` are well-formed UTF-8. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Encodes text as UTF-8; a lone surrogate becomes U+FFFD. */
export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** `first` then `second` (`second` itself when `first` is empty). */
export function concatBytes(first: Uint8Array, second: Uint8Array): Uint8Array {
  if (first.length === 0) return second;
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

/** Text of UTF-16 code units, spread in slices: one call with a huge array would overflow the stack. */
export function fromCodeUnits(units: ArrayLike<number>): string {
  let text = '';
  for (let index = 0; index < units.length; index += 8192)
    text += String.fromCharCode(...Array.prototype.slice.call(units, index, index + 8192));
  return text;
}

/** Windows-1252 differs from Latin-1 only in 0x80–0x9F. */
// prettier-ignore
const CP1252 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Decodes Windows-1252 (MARCXML declared as it or as Latin-1, which browsers read the same way).
 * Not TextDecoder: Node since 20.18.3 decodes 0x80–0x9F as Latin-1 (nodejs/node#60888).
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length);
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index] as number;
    units[index] = byte >= 0x80 && byte < 0xa0 ? (CP1252[byte - 0x80] as number) : byte;
  }
  return fromCodeUnits(units);
}
