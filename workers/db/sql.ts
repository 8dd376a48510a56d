/**
 * What every query module needs: something that runs SQL, and the conversions of stored columns. Kept
 * apart from `context.ts` (what a handler gets), which imports the serving memory that queries here.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { ReadingLevel } from '../../shared/contract/domain';

/** Anything that runs SQL: the database or an open transaction. */
export type Sql = Pick<PGlite | Transaction, 'query' | 'exec'>;

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The three reading-level columns of a book or reader row. */
export interface ReadingLevelColumns {
  reading_level: string | null;
  reading_level_system: ReadingLevel['system'] | null;
  reading_level_source: ReadingLevel['source'] | null;
}

/** A stored reading level as the contract's value (null without a value or a system; known by default). */
export function readingLevelOf(row: ReadingLevelColumns): ReadingLevel | null {
  return row.reading_level !== null && row.reading_level !== '' && row.reading_level_system !== null
    ? {
        value: row.reading_level,
        system: row.reading_level_system,
        source: row.reading_level_source ?? 'known',
      }
    : null;
}

/** ISO string of a timestamp column (PGlite returns Date objects). */
export function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** ISO string or null. */
export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}
