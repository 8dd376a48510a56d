/**
 * What a handler gets: the database, the data directory, and a way to report what it changed (the
 * host turns those into `data.changed` events after the call commits).
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Output } from '../../shared/contract/api';
import type { DataChange, EventName, LuminEvents } from '../../shared/contract/events';
import type { SharedMemo } from './recommend/cache';
import type { ServingMemory } from './recommend/memory';
import type { ImpressionLog } from './recommend/logs';

// Handlers import the SQL helpers from here too; modules below the handlers import ./sql directly.
export { type ReadingLevelColumns, type Sql, iso, isoOrNull, likePattern, readingLevelOf } from './sql';

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
