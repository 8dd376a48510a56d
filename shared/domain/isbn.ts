/**
 * ISBN normalisation and check digits (ISO 2108). Pure: used by the contract's validation, the
 * importers and the sync protocol alike.
 */

/** Strips hyphens, spaces and an Excel `="…"` wrapper; upper-cases a trailing x. */
export function cleanIsbn(raw: string): string {
  return raw
    .trim()
    .replace(/^="?|"$/g, '')
    .replace(/[\s-]/g, '')
    .toUpperCase();
}

/** True when `isbn` (already cleaned) is a valid ISBN-10 including its check digit. */
export function isValidIsbn10(isbn: string): boolean {
  if (!/^\d{9}[\dX]$/.test(isbn)) return false;
  let sum = 0;
  for (let index = 0; index < 10; index += 1) {
    const char = isbn[index] as string;
    const digit = char === 'X' ? 10 : Number(char);
    sum += digit * (10 - index);
  }
  return sum % 11 === 0;
}

/** True when `isbn` (already cleaned) is a valid ISBN-13 (978/979 prefix) including its check digit. */
export function isValidIsbn13(isbn: string): boolean {
  if (!/^97[89]\d{10}$/.test(isbn)) return false;
  let sum = 0;
  for (let index = 0; index < 13; index += 1) sum += Number(isbn[index]) * (index % 2 === 0 ? 1 : 3);
  return sum % 10 === 0;
}

/** Converts a valid ISBN-10 to its ISBN-13 (978 prefix). */
export function isbn10To13(isbn10: string): string {
  const stem = `978${isbn10.slice(0, 9)}`;
  let sum = 0;
  for (let index = 0; index < 12; index += 1) sum += Number(stem[index]) * (index % 2 === 0 ? 1 : 3);
  return `${stem}${(10 - (sum % 10)) % 10}`;
}

/** Converts a valid 978-prefixed ISBN-13 to ISBN-10; 979 numbers have no ISBN-10 and give `null`. */
export function isbn13To10(isbn13: string): string | null {
  if (!isbn13.startsWith('978')) return null;
  const stem = isbn13.slice(3, 12);
  let sum = 0;
  for (let index = 0; index < 9; index += 1) sum += Number(stem[index]) * (10 - index);
  const check = (11 - (sum % 11)) % 11;
  return `${stem}${check === 10 ? 'X' : String(check)}`;
}

/** Both forms of a valid ISBN, or `null` when `raw` is not a valid ISBN-10 or ISBN-13. */
export function normaliseIsbn(raw: string): { isbn10: string | null; isbn13: string } | null {
  const isbn = cleanIsbn(raw);
  if (isValidIsbn13(isbn)) return { isbn13: isbn, isbn10: isbn13To10(isbn) };
  if (isValidIsbn10(isbn)) return { isbn10: isbn, isbn13: isbn10To13(isbn) };
  return null;
}
