/**
 * Hard filters: whether a book may be recommended to a reader at all. Ranking only orders what passes.
 * The rules, checked in this order (the first that fails is the reason):
 *
 * 1. `blocked`: a teacher or the reader blocked the book: never shown.
 * 2. `dismissed`: the reader said "not for me".
 * 3. `read`: already finished (re-reads are the reader's choice, not a recommendation), or another
 *    edition of a work the reader finished: a book whose work key (migration 0006: normalised title and
 *    first author) is among those of the books they read.
 * 4. `age_gate`: for a child profile only, and FAILING CLOSED: a book with no interest level and no
 *    published age range is excluded unless a teacher approved it for children; a book whose ages start
 *    more than one year above the child's age is excluded (approval does not override a published age).
 * 5. `content_warning`: the book carries a warning the reader or teacher excluded.
 * 6. `not_owned`: only books with a copy at hand were asked for.
 * 7. `out_of_band`: the book's level is known and outside the reader's band. A book with no level is
 *    never excluded here (it is only not boosted by level fit); for a child it must still pass rule 4,
 *    so an unlevelled book reaches a child only with an age range, interest level or approval.
 */
import type { InterestLevel, ReaderKind } from '../contract/domain';
import { tagKey } from '../embed/texts';
import { type LevelBand, inBand } from './levels';

/** The book facts the filters read. */
export interface EligibilityBook {
  /** Lumin's book id. */
  id: string;
  /** The work it is an edition of (`books.work_key`), null when unknown (no author). */
  workKey?: string | null;
  /** Grade equivalent of the book's reading level (see `bookGrade`), null when unknown. */
  level: number | null;
  /** AR-style interest level. */
  interestLevel?: InterestLevel | null;
  /** Youngest age the book is meant for. */
  interestAgeMin?: number | null;
  /** Oldest age the book is meant for. */
  interestAgeMax?: number | null;
  /** A teacher vouched for it for children although its ages are unknown. */
  approvedForChildren?: boolean;
  /** Content warnings as written on the record. */
  contentWarnings?: readonly string[];
  /** Copies at hand. */
  ownedCopies?: number;
}

/** The reader facts the filters read. */
export interface EligibilityReader {
  /** A rostered student or the app's own user; decides the default when age and grade are unknown. */
  kind?: ReaderKind;
  /** Age in years. */
  age?: number | null;
  /** School grade (0 kindergarten, 13 adult). */
  grade?: number | null;
  /** Reading band (see `readerBand`); null when unknown, which disables rule 7. */
  band?: LevelBand | null;
  /** Overrides {@link isChild}'s inference, e.g. when a teacher marks a profile. */
  isChild?: boolean;
}

/** What the reader has done and asked for. */
export interface EligibilityContext {
  /** Books the reader finished. */
  read?: ReadonlySet<string>;
  /** Work keys of the books the reader finished: their other editions count as read. */
  readWorks?: ReadonlySet<string>;
  /** Books the reader dismissed. */
  dismissed?: ReadonlySet<string>;
  /** Books blocked for this reader. */
  blocked?: ReadonlySet<string>;
  /** Warnings to exclude; a book warning matches when it contains one as whole words, any case. */
  excludedWarnings?: readonly string[];
  /** Only books with at least one owned copy. */
  ownedOnly?: boolean;
}

/** Why a book was excluded. */
export type IneligibleReason =
  'read' | 'dismissed' | 'blocked' | 'out_of_band' | 'age_gate' | 'content_warning' | 'not_owned';

/** The verdict of {@link eligibility}. */
export type Eligibility = { ok: true } | { ok: false; reason: IneligibleReason };

/**
 * Youngest and oldest ages of each AR interest level: LG 4–8 (K–3), MG 9–13 (4–8), MG+ 12+ (6 and up),
 * UG 14–18 (9–12), adult 18+. Open upper ends are null.
 */
export const INTEREST_AGES: Readonly<Record<InterestLevel, { min: number; max: number | null }>> = {
  LG: { min: 4, max: 8 },
  MG: { min: 9, max: 13 },
  'MG+': { min: 12, max: null },
  UG: { min: 14, max: 18 },
  adult: { min: 18, max: null },
};

/** Years a book's youngest age may exceed a child's: a 9-year-old may read a book "for 10 and up". */
export const AGE_TOLERANCE = 1;
/** Children are under 13, the line the US COPPA rule draws for children's data. */
export const CHILD_AGE_LIMIT = 13;
/** Without an age, grade 7 and below counts as a child (grade 7 is ages 12–13). */
export const CHILD_GRADE_LIMIT = 7;
/**
 * A child whose age and grade are both unknown is assumed as old as a child can be: that still rules
 * out every teen and adult book.
 */
const UNKNOWN_CHILD_AGE = CHILD_AGE_LIMIT - 1;

/**
 * Whether the reader is treated as a child: age under 13; else grade 7 or below; else a student
 * (a roster with no details is a class of children: fail closed) but not the `self` reader, an adult.
 */
export function isChild(reader: EligibilityReader): boolean {
  if (reader.isChild !== undefined) return reader.isChild;
  if (reader.age != null && Number.isFinite(reader.age)) return reader.age < CHILD_AGE_LIMIT;
  if (reader.grade != null && Number.isFinite(reader.grade)) return reader.grade <= CHILD_GRADE_LIMIT;
  return reader.kind !== 'self';
}

/** The child's age, from the grade (+5) when the age is unknown. */
function childAge(reader: EligibilityReader): number {
  if (reader.age != null && Number.isFinite(reader.age)) return reader.age;
  if (reader.grade != null && Number.isFinite(reader.grade)) return reader.grade + 5;
  return UNKNOWN_CHILD_AGE;
}

/**
 * Whether a child of `age` may be shown the book (rule 4). The youngest age is the stricter of the
 * published minimum and the interest level's, so conflicting records fail closed. With only a
 * maximum known, the book passes when that maximum is within reach (its range cannot start above it);
 * otherwise nothing says the book suits children, and only a teacher's approval lets it through.
 */
export function passesAgeGate(book: EligibilityBook, age: number): boolean {
  const fromLevel = book.interestLevel ? INTEREST_AGES[book.interestLevel] : null;
  const minimums = [book.interestAgeMin, fromLevel?.min].filter(
    (value): value is number => value != null && Number.isFinite(value),
  );
  const limit = age + AGE_TOLERANCE;
  if (minimums.length > 0) return Math.max(...minimums) <= limit;
  if (book.interestAgeMax != null && Number.isFinite(book.interestAgeMax) && book.interestAgeMax <= limit)
    return true;
  return book.approvedForChildren === true;
}

/** Lower-cased words of a warning, space-separated with spaces at both ends for whole-word search. */
function words(text: string): string {
  const normal = tagKey(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return normal ? ` ${normal} ` : '';
}

/** The first excluded warning the book carries, or null. */
export function matchingWarning(
  warnings: readonly string[] | undefined,
  excluded: readonly string[] | undefined,
): string | null {
  if (!warnings?.length || !excluded?.length) return null;
  const bookWords = warnings.map(words);
  for (const term of excluded) {
    const needle = words(term);
    if (needle && bookWords.some((haystack) => haystack.includes(needle))) return term;
  }
  return null;
}

/**
 * Whether the book may be recommended to the reader, and if not the first rule it breaks (see the
 * module comment for the rules and their order).
 */
export function eligibility(
  book: EligibilityBook,
  reader: EligibilityReader,
  context: EligibilityContext = {},
): Eligibility {
  const no = (reason: IneligibleReason): Eligibility => ({ ok: false, reason });
  if (context.blocked?.has(book.id)) return no('blocked');
  if (context.dismissed?.has(book.id)) return no('dismissed');
  if (context.read?.has(book.id) || (book.workKey != null && context.readWorks?.has(book.workKey)))
    return no('read');
  if (isChild(reader) && !passesAgeGate(book, childAge(reader))) return no('age_gate');
  if (matchingWarning(book.contentWarnings, context.excludedWarnings) !== null) return no('content_warning');
  if (context.ownedOnly && !((book.ownedCopies ?? 0) > 0)) return no('not_owned');
  if (book.level != null && reader.band != null && !inBand(book.level, reader.band)) return no('out_of_band');
  return { ok: true };
}
