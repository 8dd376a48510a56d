/**
 * When the db worker takes its durable points (see durability.ts): after each import and, while writes
 * come in, at most every DURABLE_INTERVAL_MS, queued behind the calls like any other.
 */
import type { PGlite } from '@electric-sql/pglite';
import { DURABLE_INTERVAL_MS, durablePoint } from './durability';
import { dataLayout } from './layout';

/** What the schedule needs from the service. */
export interface DurableWritesDeps {
  serial<T>(task: () => Promise<T>): Promise<T>;
  open(): { db: PGlite; dataDir: string } | null;
}

/** Creates the schedule: `written()` after each committed change, `soon()` for a point now. */
export function createDurableWrites({ serial, open }: DurableWritesDeps) {
  let written = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const soon = () =>
    serial(async () => {
      const current = open();
      if (!current || !written) return;
      written = false;
      await durablePoint(current.db, dataLayout(current.dataDir).pgdata);
    }).catch((error: unknown) => console.error('lumin: durable checkpoint failed', error));
  return {
    /** A write committed: a durable point within DURABLE_INTERVAL_MS. */
    written(): void {
      written = true;
      // Armed by a write, not kept ticking: an idle worker has no timer at all.
      timer ??= setTimeout(() => {
        timer = null;
        void soon();
      }, DURABLE_INTERVAL_MS).unref();
    },
    /** A durable point behind the calls queued so far. */
    soon,
    /** Drops the timer (closing). */
    stop(): void {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
