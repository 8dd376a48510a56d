/**
 * What gets embedded. One function per owner kind turns a record into the text a model reads, so
 * every provider, the queue and the tests agree on it. A reader's text never holds their name or any
 * id: profile vectors may be computed by a cloud endpoint, and student data is private.
 */

/** Longest description kept: models truncate far sooner (MiniLM at 256 tokens), and cloud calls cost by token. */
export const MAX_DESCRIPTION_CHARS = 2_000;

/** The fields of a book that describe its content. */
export interface BookTextSource {
  title: string;
  subtitle?: string | null;
  authors?: readonly string[];
  subjects?: readonly string[];
  tags?: readonly string[];
  series?: string | null;
  description?: string | null;
}

/** The fields of a reader that describe their taste; deliberately no name. */
export interface ReaderTextSource {
  interests?: readonly string[];
  grade?: number | null;
  age?: number | null;
  readingLevel?: string | null;
  readingLevelSystem?: string | null;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const space = cut.lastIndexOf(' ');
  return space > limit * 0.8 ? cut.slice(0, space) : cut;
}

/** Title, subtitle, authors, series, subjects, tags and the (clipped) description, as prose. */
export function bookText(book: BookTextSource): string {
  const parts: string[] = [];
  parts.push(sentence(book.subtitle ? `${book.title}: ${book.subtitle}` : book.title));
  if (book.authors && book.authors.length > 0) parts.push(sentence(`By ${book.authors.join(', ')}`));
  if (book.series) parts.push(sentence(`Series: ${book.series}`));
  const topics = [...(book.subjects ?? []), ...(book.tags ?? [])];
  const unique = [...new Map(topics.map((topic) => [topic.toLowerCase(), topic])).values()];
  if (unique.length > 0) parts.push(sentence(unique.join(', ')));
  const description = book.description
    ?.replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (description) parts.push(clip(description, MAX_DESCRIPTION_CHARS));
  return parts.join(' ');
}

/** Words for a school grade (-1 pre-K, 0 kindergarten … 13 adult), the way book descriptions talk. */
export function gradeDescriptor(grade: number): string {
  if (grade <= 0) return 'picture books for young children';
  if (grade <= 2) return 'early readers and first chapter books';
  if (grade <= 5) return 'middle grade chapter books for children';
  if (grade <= 8) return 'middle grade and young teen novels';
  if (grade <= 12) return 'young adult novels for teens';
  return 'adult fiction and nonfiction';
}

/** Interests first (they carry the taste), then the age band and level in words. */
export function readerText(reader: ReaderTextSource): string {
  const parts: string[] = [];
  if (reader.interests && reader.interests.length > 0) parts.push(sentence(reader.interests.join(', ')));
  const grade = reader.grade ?? (reader.age != null ? Math.max(-1, Math.min(13, reader.age - 5)) : null);
  if (grade !== null) parts.push(sentence(`Enjoys ${gradeDescriptor(grade)}`));
  if (reader.readingLevel)
    parts.push(
      sentence(
        `Reading level ${reader.readingLevel}${reader.readingLevelSystem ? ` ${reader.readingLevelSystem}` : ''}`,
      ),
    );
  return parts.join(' ') || 'A reader with no stated interests.';
}

/** Tags and subjects are embedded as written, lower-cased (so `Fantasy` and `fantasy` share a vector). */
export function tagKey(tag: string): string {
  return tag.trim().replace(/\s+/g, ' ').toLowerCase();
}
