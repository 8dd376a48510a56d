/**
 * Authors' names as exports write them: `Last, First` flipped and back, and cells listing several
 * authors split. No pattern here backtracks over a run of characters.
 */
import { mergeLists, oneLine } from './common';

const NAME_SUFFIXES = /^(jr\.?|sr\.?|ii|iii|iv|v|phd|ph\.d\.|md|m\.d\.)$/i;
const SURNAME_PARTICLES =
  /^(le|la|de|del|della|der|den|di|da|du|van|von|st\.?|mac|o'|al|el|ben|bin|dos|das)$/i;

/** `Collins, Suzanne` → `Suzanne Collins`; `King, Martin Luther, Jr.` → `Martin Luther King Jr.`. */
export function flipName(lastFirst: string): string {
  const parts = lastFirst.split(',').map(oneLine);
  const [last, first, ...rest] = parts;
  if (parts.length < 2 || !last || !first) return oneLine(parts.filter(Boolean).join(' '));
  return oneLine([first, last, ...rest].join(' '));
}

/** `Suzanne Collins` → `Collins, Suzanne` (the last word taken as surname), as in "Author l-f". */
export function toLastFirst(name: string): string {
  const words = oneLine(name).split(' ');
  let last = words.length - 1;
  while (last > 0 && NAME_SUFFIXES.test(words[last] as string)) last -= 1;
  if (last <= 0) return oneLine(name);
  const suffix = words.slice(last + 1);
  const surname = words[last] as string;
  const given = words.slice(0, last).join(' ');
  return suffix.length > 0 ? `${surname}, ${given}, ${suffix.join(' ')}` : `${surname}, ${given}`;
}

/** Whether `left, right` reads as one name written last-name-first rather than two names. */
function isLastFirst(left: string, right: string): boolean {
  const leftWords = left.split(' ');
  const rightWords = right.split(' ');
  if (NAME_SUFFIXES.test(right)) return false;
  if (leftWords.length === 1 || rightWords.length === 1) return true;
  if (SURNAME_PARTICLES.test(leftWords[0] as string)) return true;
  return rightWords.every((word) => /^(\p{Lu}\.)+$|^\p{Lu}$/u.test(word) || word === rightWords[0]);
}

/**
 * Splits an author cell into names. `;`, `|`, `&` and ` and ` always separate names. Commas are
 * ambiguous (`Collins, Suzanne` is one name, `Neil Gaiman, Terry Pratchett` two): a single comma
 * whose sides read as surname and given names (one side a single word, a particle like `Le Guin`,
 * or initials) is one name, flipped to `Suzanne Collins`; otherwise commas separate names. A trailing
 * `Jr.`/`III` stays with its name.
 */
export function splitAuthors(raw: string): string[] {
  const names: string[] = [];
  // One whitespace character on each side of `and`: `\s+and\s+` would backtrack over long runs.
  for (const group of raw.split(/[;|&\n]|\sand\s/i)) {
    const parts = group
      .split(',')
      .map(oneLine)
      .filter((part) => part.length > 0);
    const withoutSuffix = parts.filter((part) => !NAME_SUFFIXES.test(part));
    const [left, right] = withoutSuffix;
    if (withoutSuffix.length === 2 && left && right && isLastFirst(left, right)) {
      names.push(flipName(parts.join(',')));
      continue;
    }
    for (const part of parts) {
      const previous = names[names.length - 1];
      if (NAME_SUFFIXES.test(part) && previous !== undefined) names[names.length - 1] = `${previous} ${part}`;
      else names.push(part);
    }
  }
  return mergeLists(names);
}

/**
 * Splits a list of names written first-name-first (`Suzanne Collins, Martin Luther King, Jr.`) on
 * commas, semicolons and bars; a `Jr.`/`III` stays with the name before it.
 */
export function splitFullNames(raw: string): string[] {
  const names: string[] = [];
  for (const part of raw.split(/[,;|]/).map(oneLine)) {
    const previous = names[names.length - 1];
    if (part.length === 0) continue;
    if (NAME_SUFFIXES.test(part) && previous !== undefined) names[names.length - 1] = `${previous} ${part}`;
    else names.push(part);
  }
  return mergeLists(names);
}
