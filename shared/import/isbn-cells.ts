/** Reading a row's ISBN cells: the checked ISBN-13 and ISBN-10, the other editions' ISBNs, problems said. */
import { cleanIsbn, normaliseIsbn } from '../domain/isbn';
import { addProblem, quote, type RowContext } from './common';

/** An ISBN cell as written, or several ISBNs for one book (LibraryThing's "ISBNs", Calibre's identifiers). */
export interface IsbnSource {
  field: string;
  raw: string;
}

/** Whether a cleaned value has the shape of an ISBN (10 or 13 characters) regardless of its check digit. */
export function isIsbnShaped(raw: string): boolean {
  return /^(\d{9}[\dX]|\d{13})$/.test(cleanIsbn(raw));
}

/**
 * The book's checked ISBNs from its ISBN cells, first valid one first. An invalid value is a problem
 * ("… is not a valid ISBN-13; imported without it") and is never kept. An ISBN-10 that belongs to a
 * different book than the ISBN-13 already found is dropped with a problem too.
 */
export function readIsbns(
  context: RowContext,
  sources: IsbnSource[],
  /** The cells list editions of one work (LibraryThing "ISBNs", a list cell): another ISBN is no problem. */
  oneWork = false,
): { isbn10: string | null; isbn13: string | null } {
  let isbn13: string | null = null;
  let isbn10: string | null = null;
  for (const source of sources) {
    const cleaned = cleanIsbn(source.raw);
    if (cleaned.length === 0) continue;
    const shown = quote(source.raw.trim().replace(/^="?|"$/g, ''));
    // A spreadsheet that read the ISBN as a number dropped its leading zeros (0060853980 → 60853980).
    const checked = normaliseIsbn(/^\d{8}[\dX]$/.test(cleaned) ? cleaned.padStart(10, '0') : cleaned);
    if (!checked && /^\d(\.\d+)?E\+\d+$/.test(cleaned)) {
      addProblem(context, source.field, `${shown} was rounded by a spreadsheet; imported without it`);
      continue;
    }
    if (!checked) {
      const kind =
        cleaned.length === 13 ? 'a valid ISBN-13' : cleaned.length === 10 ? 'a valid ISBN-10' : 'an ISBN';
      addProblem(context, source.field, `${shown} is not ${kind}; imported without it`);
      continue;
    }
    if (isbn13 === null) {
      isbn13 = checked.isbn13;
      isbn10 = checked.isbn10;
    } else if (checked.isbn13 !== isbn13 && !oneWork) {
      addProblem(context, source.field, `${shown} is a different book than ISBN ${isbn13}; kept ${isbn13}`);
    }
  }
  return { isbn10, isbn13 };
}

/**
 * Every valid ISBN in `sources` other than `primary`, as ISBN-13s: the other editions of a row that
 * lists several ISBNs of one work (the importer keeps them as the book's alternates). Invalid values are
 * skipped here; `readIsbns` reports them.
 */
export function alternateIsbns(sources: IsbnSource[], primary: string | null): string[] {
  const found = new Set<string>();
  for (const source of sources) {
    const cleaned = cleanIsbn(source.raw);
    const checked = normaliseIsbn(/^\d{8}[\dX]$/.test(cleaned) ? cleaned.padStart(10, '0') : cleaned);
    if (checked && checked.isbn13 !== primary) found.add(checked.isbn13);
  }
  return [...found];
}
