/**
 * What a handler gets: the database, the data directory, and a way to report what it changed (the
 * host turns those into `data.changed` events after the call commits).
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { MethodName, Output, ParsedInput } from '../../shared/contract/api';
import type { ReadingLevel } from '../../shared/contract/domain';
import type { HostMethodName } from '../../shared/contract/methods';
import type { DataChange, EventName, LuminEvents } from '../../shared/contract/events';
import type { SharedMemo } from './recommend/cache';
import type { ServingMemory } from './recommend/memory';
import type { ImpressionLog } from './recommend/logs';

/** Anything that runs SQL: the database or an open transaction. */
export type Sql = Pick<PGlite | Transaction, 'query' | 'exec'>;

/** Per-call context. */
export interface Context {
  db: PGlite;
  dataDir: string;
  appVersion: string;
  /** Records a committed change for the host to emit as `data.changed`. */
  changed(change: DataChange): void;
  /** Queues any other event for the host to emit once the call returns. */
  emit<E extends EventName>(event: E, payload: LuminEvents[E]): void;
  /** The serving chain's in-memory state: shared results, facts and readers, the impression log. */
  recommend: { memo: SharedMemo; memory: ServingMemory; impressions: ImpressionLog };
  /** Runs `task` in the worker's queue right after the current call (deferred writes such as impression logs). */
  after(task: () => Promise<void>): void;
  /** Takes a consistent snapshot (used by `backup.create`). */
  snapshot(out?: string): Promise<Output<'backup.create'>>;
}

/** The implementation of every method the db worker answers, keyed like the contract. */
export type Handlers = {
  [M in Exclude<MethodName, HostMethodName>]: (input: ParsedInput<M>, context: Context) => Promise<Output<M>>;
};

/** A slice of {@link Handlers} for one domain. */
export type HandlerSlice<P extends string> = {
  [M in keyof Handlers as M extends `${P}.${string}` ? M : never]: Handlers[M];
};

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** ISO string of a timestamp column (PGlite returns Date objects). */
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

export function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** ISO string or null. */
export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}
