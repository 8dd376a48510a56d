/**
 * A readability estimate from a book's own words: the Flesch–Kincaid grade level (Kincaid et al.
 * 1975), 0.39 × words/sentence + 11.8 × syllables/word − 15.59, with a vowel-group syllable count.
 * Lumin only has descriptions and excerpts, not whole books, so the result is stored as an
 * *estimated* grade level, shown as such, and never used to open the child-safety gate.
 */

/** Syllables in an English word, by vowel groups with the usual silent-e and -le corrections. */
export function syllables(word: string): number {
  const clean = word.toLowerCase().replace(/[^a-z]/g, '');
  if (clean.length === 0) return 0;
  if (clean.length <= 3) return 1;
  const trimmed = clean.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  const groups = trimmed.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups ? groups.length : 1);
}

/** Words, sentences and syllables of `text`. */
export function textCounts(text: string): { words: number; sentences: number; syllables: number } {
  const words = text.match(/[A-Za-z][A-Za-z'-]*/g) ?? [];
  const sentences = Math.max(1, (text.match(/[.!?]+(?=\s|$)/g) ?? []).length);
  let total = 0;
  for (const word of words) total += syllables(word);
  return { words: words.length, sentences, syllables: total };
}

/** The minimum words for an estimate worth storing. */
export const MIN_WORDS = 40;

/**
 * The Flesch–Kincaid grade of `text`, clamped to 0..13 and rounded to one decimal, or null when the
 * text is too short to say anything (fewer than {@link MIN_WORDS} words).
 */
export function fleschKincaidGrade(text: string): number | null {
  const counts = textCounts(text);
  if (counts.words < MIN_WORDS) return null;
  const grade = 0.39 * (counts.words / counts.sentences) + 11.8 * (counts.syllables / counts.words) - 15.59;
  return Math.round(Math.min(13, Math.max(0, grade)) * 10) / 10;
}
