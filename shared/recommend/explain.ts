/**
 * One-line explanations ("Because you liked Holes · at your level, 620L"). Templates, not generation:
 * every claim is backed by a fact the ranking used (Tintarev & Masthoff 2007 on explanation aims:
 * transparency and trust need the reason to be the real one). The most specific true reason wins:
 * a teacher's pin, exploration, a liked book, a stated interest, then the source that found it.
 * A reader's name never appears: lists are shown on classroom screens and exported.
 */
import type { SourceName } from './blend';
import { type LevelBand, type LevelInput, describeLevel, gradeEquivalent, inBand } from './levels';

/** What is known about a recommended book and why it was picked. */
export interface ExplainItem {
  /** Library subjects and genres. */
  subjects?: readonly string[];
  /** Free tags. */
  tags?: readonly string[];
  /** The book's title (searched for interests, never quoted: the reader sees it beside the text). */
  title?: string;
  /** Description, searched for interests last. */
  description?: string | null;
  /** The book's reading level, for the "at your level" note. */
  level?: LevelInput | null;
  /** Its grade equivalent, when already computed (else derived from `level`). */
  grade?: number | null;
  /** Sources that ranked it and the strongest one (from `blendCandidates`). */
  sources?: readonly SourceName[];
  best?: SourceName;
  /** A teacher pinned it for this reader. */
  pinned?: boolean;
  /** An exploration slot (see `chooseExplorationSlots`). */
  exploratory?: boolean;
  /** The positively weighted book nearest to it by cosine, and that cosine. */
  nearestLiked?: { title: string; similarity: number } | null;
}

/** What is known about the reader. */
export interface ExplainContext {
  /** Interests in the reader's or teacher's words. */
  interests?: readonly string[];
  /** The reader's band. */
  band?: LevelBand | null;
  /** The reader's name: only used to make sure no text contains it. */
  readerName?: string | null;
}

/**
 * Least cosine for "Because you liked …": below it the liked book is not what made this one close, and
 * the claim would mislead. With sentence-embedding book texts, same-genre pairs sit around 0.4–0.7.
 */
export const LIKED_MIN_SIMILARITY = 0.35;

/** Longest quoted title; longer ones are cut at a word with an ellipsis. */
const MAX_TITLE_CHARS = 60;

/** Said when nothing more specific is true. */
export const FALLBACK_REASON = 'Recommended for you';

function clipTitle(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  if (clean.length <= MAX_TITLE_CHARS) return clean;
  const cut = clean.slice(0, MAX_TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** An English plural folded to its singular (mysteries → mystery, boxes → box, dragons → dragon), crudely. */
function singular(word: string): string {
  if (word.length <= 3 || !word.endsWith('s') || word.endsWith('ss')) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}

/** Lower-case words, plurals folded, so interests match however people write them. */
function stems(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(singular);
}

function containsPhrase(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  for (let start = 0; start + needle.length <= haystack.length; start += 1)
    if (needle.every((word, offset) => haystack[start + offset] === word)) return true;
  return false;
}

/**
 * The first of the reader's interests that the book's subjects or tags mention as whole words, else its
 * title, else its description (a genre shelf is stronger evidence than a word in a blurb), or null.
 */
export function matchingInterest(item: ExplainItem, interests: readonly string[]): string | null {
  const fields = [
    [...(item.subjects ?? []), ...(item.tags ?? [])].flatMap((topic) => [...stems(topic), '|']),
    stems(item.title ?? ''),
    stems(item.description ?? ''),
  ];
  for (const field of fields)
    for (const interest of interests) {
      if (containsPhrase(field, stems(interest))) return interest.replace(/\s+/g, ' ').trim();
    }
  return null;
}

/**
 * The book's own subjects and tags that mention one of the reader's interests as whole words: the
 * catalogue side of "Matches your interest in …". Only these names (never the interest as typed) may
 * go to an LLM that rephrases the explanation.
 */
export function matchingTopics(item: ExplainItem, interests: readonly string[]): string[] {
  const wanted = interests.map(stems).filter((words) => words.length > 0);
  return [...(item.subjects ?? []), ...(item.tags ?? [])].filter((topic) => {
    const words = stems(topic);
    return wanted.some((interest) => containsPhrase(words, interest));
  });
}

/** Whether `text` contains any word of the name (two letters or more) as a whole word, in any case. */
export function mentionsName(text: string, name: string | null | undefined): boolean {
  if (!name) return false;
  const words = new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  return (name.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).some(
    (part) => part.length >= 2 && words.has(part),
  );
}

/**
 * The explanation for one recommended item: the first true reason among pinned, exploratory, a liked
 * book at least {@link LIKED_MIN_SIMILARITY} close, a matching interest, collaborative, popular, the
 * content sources, then {@link FALLBACK_REASON}; followed by " · at your level, 620L" when the book's
 * level is known and in the reader's band. A reason or note that would contain the reader's name is
 * skipped for the next one.
 */
export function explain(item: ExplainItem, context: ExplainContext = {}): string {
  const grade = item.grade ?? gradeEquivalent(item.level);
  const atLevel = item.level != null && inBand(grade, context.band);
  const sources = new Set(item.sources ?? (item.best ? [item.best] : []));
  const reasons: string[] = [];
  if (item.pinned) reasons.push('Picked by your teacher');
  if (item.exploratory) reasons.push('Something different to try');
  const liked = item.nearestLiked;
  if (liked && liked.similarity >= LIKED_MIN_SIMILARITY && liked.title.trim())
    reasons.push(`Because you liked ${clipTitle(liked.title)}`);
  const interest = matchingInterest(item, context.interests ?? []);
  if (interest) reasons.push(`Matches your interest in ${interest}`);
  if (sources.has('collaborative')) reasons.push('Readers like you enjoyed it');
  if (sources.has('popular'))
    reasons.push(atLevel ? 'Popular with readers at your level' : 'Popular with readers');
  if (sources.has('similar')) reasons.push('Similar to books you enjoyed');
  if (sources.has('content')) reasons.push('Close to what you like to read');
  const reason = reasons.find((text) => !mentionsName(text, context.readerName)) ?? FALLBACK_REASON;
  if (!atLevel || !item.level) return reason;
  const described = describeLevel(item.level);
  const note = reason.endsWith('at your level') ? ` · ${described}` : ` · at your level, ${described}`;
  return mentionsName(note, context.readerName) ? reason : `${reason}${note}`;
}
