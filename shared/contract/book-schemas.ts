/** The schemas of a book (new or patched) and the field builders the other inputs share. */
import { z } from 'zod';
import { INTEREST_LEVELS, READING_LEVEL_SYSTEMS, type ReadingLevel } from './domain';
import { cleanIsbn, isValidIsbn10, isValidIsbn13, normaliseIsbn } from '../domain/isbn';
import { normaliseLevelValue } from '../domain/reading-level';

/** Text trimmed, not empty, at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
/** {@link text}, or null/absent. */
export const optionalText = (max: number) => text(max).nullish();
/** A list of up to `maxItems` texts, duplicates dropped. */
export const words = (maxItems: number, maxLength = 200) =>
  z
    .array(text(maxLength))
    .max(maxItems)
    .transform((items) => [...new Set(items)]);

/** A reading level with its system; the value is checked against the system's notation. */
export const readingLevelSchema = z
  .strictObject({
    value: z.string().trim().min(1).max(40),
    system: z.enum(READING_LEVEL_SYSTEMS),
    source: z.enum(['known', 'estimated']).default('known'),
  })
  .transform((level, context): ReadingLevel => {
    const checked = normaliseLevelValue(level.system, level.value);
    if (!checked.ok) {
      context.addIssue({ code: 'custom', message: checked.reason, path: ['value'] });
      return z.NEVER;
    }
    return { value: checked.value, system: level.system, source: level.source };
  });

const isbn10 = z
  .string()
  .transform(cleanIsbn)
  .refine(isValidIsbn10, 'is not a valid ISBN-10 (check digit or length)');
const isbn13 = z
  .string()
  .transform(cleanIsbn)
  .refine(isValidIsbn13, 'is not a valid ISBN-13 (978/979 prefix, check digit)');
const anyIsbn = z.string().refine((raw) => normaliseIsbn(raw) !== null, 'is not a valid ISBN-10 or ISBN-13');

const bookFields = {
  isbn: anyIsbn.nullish(),
  isbn10: isbn10.nullish(),
  isbn13: isbn13.nullish(),
  externalIds: z.record(z.string().trim().min(1).max(40), z.string().trim().min(1).max(200)).optional(),
  title: text(1000),
  subtitle: optionalText(1000),
  authors: words(50, 300).optional(),
  description: z.string().trim().max(100_000).nullish(),
  subjects: words(200).optional(),
  tags: words(200).optional(),
  pages: z.int().min(1).max(100_000).nullish(),
  language: z.string().trim().min(2).max(35).nullish(),
  publisher: optionalText(500),
  year: z.int().min(-3000).max(2100).nullish(),
  series: optionalText(500),
  seriesIndex: z.number().min(0).max(100_000).nullish(),
  coverUrl: z.url({ protocol: /^(https?|file|data)$/ }).nullish(),
  readingLevel: readingLevelSchema.nullish(),
  interestLevel: z.enum(INTEREST_LEVELS).nullish(),
  interestAgeMin: z.int().min(0).max(120).nullish(),
  interestAgeMax: z.int().min(0).max(120).nullish(),
  contentWarnings: words(100).optional(),
  ownedCopies: z.int().min(0).max(100_000).optional(),
  approvedForChildren: z.boolean().optional(),
};

type AgeBand = { interestAgeMin?: number | null; interestAgeMax?: number | null };
const ageBandIsOrdered = (book: AgeBand) =>
  book.interestAgeMin == null || book.interestAgeMax == null || book.interestAgeMin <= book.interestAgeMax;
const ageBandIssue = { message: 'interestAgeMin must not exceed interestAgeMax', path: ['interestAgeMin'] };

/** A new book. At least a title; ISBNs are checked, and either form fills in the other. */
export const bookInputSchema = z.strictObject(bookFields).refine(ageBandIsOrdered, ageBandIssue);
/** Input of `books.add`. */
export type BookInput = z.input<typeof bookInputSchema>;
/** `bookInputSchema` after parsing. */
export type BookInputParsed = z.output<typeof bookInputSchema>;

/** Changes to a book: any field of {@link bookInputSchema}; `null` clears a field. */
export const bookPatchSchema = z
  .strictObject(bookFields)
  .partial()
  .refine(ageBandIsOrdered, ageBandIssue)
  .refine((patch) => Object.keys(patch).length > 0, 'patch must change at least one field');
/** A parsed book patch. */
export type BookPatchParsed = z.output<typeof bookPatchSchema>;
