/**
 * The db worker's job runner: runs the queued jobs this worker knows (`backup`, `nightly`, `enrich`)
 * one by one, each inside the worker's serial queue, until none is ready. It wakes on `job.queued`
 * (see service.ts); the host's embedding runner drives `embed` jobs itself.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { CoreEvents } from '../../shared/contract/events';
import { SETTING_DEFAULTS } from '../../shared/contract/setting-defaults';
import { pruneAutomaticBackups, takeSnapshot } from './backup';
import { claimNextJob, finishJob, reportProgress } from './jobs';
import { runEnrich, runNightly } from './recommend/jobs';

/** Ids a change names at most; beyond, it says "everything" (as the bulk book insert does). */
const MAX_NAMED_CHANGES = 1000;

/** What the runner needs from the service. */
export interface JobRunnerDeps {
  /** Runs `task` after every earlier call has finished. */
  serial<T>(task: () => Promise<T>): Promise<T>;
  /** The open database and data directory, or null once closed. */
  open(): { db: PGlite; dataDir: string } | null;
  emit<E extends keyof CoreEvents>(event: E, payload: CoreEvents[E]): void;
}

/** Creates the runner; `drain()` runs ready jobs and resolves when none is left. */
export function createJobRunner({ serial, open, emit }: JobRunnerDeps) {
  let draining: Promise<void> | null = null;
  let again = false;

  async function runBackupJob(db: PGlite, dataDir: string, id: string): Promise<void> {
    await reportProgress(db, id, 0.1, 'writing snapshot');
    const info = await takeSnapshot(db, dataDir, { auto: true });
    if ('skipped' in info) {
      const { reason, freeBytes, neededBytes } = info;
      emit('backup.skipped', { reason, freeBytes, neededBytes });
      await reportProgress(db, id, 1, reason);
      return;
    }
    const keep = await db.query<{ value: number }>("SELECT value FROM settings WHERE key = 'backup.keep'");
    pruneAutomaticBackups(dataDir, Number(keep.rows[0]?.value ?? SETTING_DEFAULTS['backup.keep']));
    emit('backup.created', info);
  }

  async function runOne(db: PGlite, dataDir: string, id: string, kind: string): Promise<void> {
    if (kind === 'backup') return runBackupJob(db, dataDir, id);
    // New batch lists and item factors (nightly) change what every reader should be served: the
    // shared memo and the host's lists are dropped. New levels (enrich) name their books, so the
    // serving memory reads only those again.
    if (kind === 'nightly') {
      await reportProgress(db, id, 1, await runNightly(db, id));
      emit('data.changed', { entity: 'recommendations', op: 'update', ids: [] });
      return;
    }
    const enriched = await runEnrich(db, id);
    await reportProgress(db, id, 1, enriched.summary);
    if (enriched.ids.length > 0)
      emit('data.changed', {
        entity: 'books',
        op: 'update',
        ids: enriched.ids.length <= MAX_NAMED_CHANGES ? enriched.ids : [],
      });
  }

  /** Claims and runs one job in the queue; false when none was ready. */
  function step(): Promise<boolean> {
    return serial(async () => {
      const current = open();
      if (!current) return false;
      const { db, dataDir } = current;
      const row = await claimNextJob(db, ['backup', 'nightly', 'enrich']);
      if (!row) return false;
      emit('job.progress', { id: row.id, kind: row.kind, state: 'running', progress: 0, message: null });
      let job;
      try {
        await runOne(db, dataDir, row.id, row.kind);
        job = await finishJob(db, row.id, { ok: true });
      } catch (error) {
        job = await finishJob(db, row.id, { ok: false, error: (error as Error).message });
      }
      emit('job.progress', {
        id: job.id,
        kind: job.kind,
        state: job.state,
        progress: job.progress,
        message: job.state === 'failed' || job.kind === 'backup' ? job.lastError : job.progressMessage,
      });
      emit('data.changed', { entity: 'jobs', op: 'update', ids: [job.id] });
      return true;
    });
  }

  async function run(): Promise<void> {
    do {
      again = false;
      while (await step());
    } while (again);
  }

  return {
    /** Runs ready jobs now (or once more after the current round); resolves when none is left. */
    drain(): Promise<void> {
      if (draining) {
        again = true;
        return draining;
      }
      draining = run().finally(() => {
        draining = null;
      });
      return draining;
    },
  };
}
