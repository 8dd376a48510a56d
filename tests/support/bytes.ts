/** Byte helpers for tests that build binary fixtures (MARC records). */

/** UTF-8 bytes of `text`. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The concatenation of `parts`. */
export const join = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** `value` as a zero-padded decimal of `width` digits (MARC leader and directory numbers). */
export const pad = (value: number, width: number): string => String(value).padStart(width, '0');
