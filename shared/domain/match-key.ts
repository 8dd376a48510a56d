/**
 * The key that says two records are probably the same book when they share no ISBN: the title and the
 * first author, normalised so that case, accents, punctuation, a leading article, a series note in
 * brackets and "Last, First" order do not matter.
 *   "The Hunger Games (The Hunger Games, #1)" by "Collins, Suzanne" → "hunger games|suzanne collins"
 * With an author it is also the book's work key (migration 0006): editions sharing it are one work.
 */

const ARTICLES = /^(the|a|an|le|la|les|el|los|las|der|die|das)\s+/;

/** Lower case, no accents, letters and digits separated by single spaces. */
function simplify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The normalised title: no subtitle after a colon, no bracketed series note, no leading article. */
export function normaliseTitle(title: string): string {
  const main = title.replace(/\s*[([][^)\]]*[)\]]\s*$/, '').split(/\s*:\s+/)[0] ?? title;
  return simplify(main).replace(ARTICLES, '');
}

/** The normalised author: "Collins, Suzanne" and "Suzanne Collins" agree; initials keep their letters. */
export function normaliseAuthor(author: string): string {
  const comma = author.indexOf(',');
  const ordered = comma > 0 ? `${author.slice(comma + 1)} ${author.slice(0, comma)}` : author;
  return simplify(ordered);
}

/**
 * The match key of a book, or null when it has no title. A title that normalises to nothing ("(Untitled)",
 * "📚") keys on its whole text instead, simplified when that leaves anything, so it still matches itself.
 */
export function matchKey(title: string, authors: readonly string[]): string | null {
  const normalisedTitle =
    normaliseTitle(title) ||
    simplify(title) ||
    title.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  if (!normalisedTitle) return null;
  return `${normalisedTitle}|${authors[0] ? normaliseAuthor(authors[0]) : ''}`;
}

/**
 * The catalogue record a book came from, as the `books.control_key` column computes it (migration
 * 0006): MARC 003 with 001, else the first 035; null for other books.
 */
export function controlKey(externalIds: Readonly<Record<string, string>>): string | null {
  if (externalIds.marc001 !== undefined) return `${externalIds.marc003 ?? ''}|${externalIds.marc001}`;
  if (externalIds.marc035 !== undefined) return `035|${externalIds.marc035}`;
  return null;
}
