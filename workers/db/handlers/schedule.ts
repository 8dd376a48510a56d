/**
 * The schedules the desktop app runs (`schedule.*`) and `jobs.drain`: queueing the recommendation
 * service's jobs and the daily automatic backup when they are due. Queued jobs announce themselves
 * with `job.queued`, which wakes the worker's job runner (workers/db/job-runner.ts).
 */
import { SETTING_DEFAULTS } from '../../../shared/contract/setting-defaults';
import { listBackups } from '../backup';
import { enqueueJob } from '../jobs';
import { ENRICH_MIN_TEXT } from './llm-cache';
import type { HandlerSlice } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

export const scheduleHandlers = {
  /**
   * The recommendation service's schedule (the desktop app calls it at start and every few minutes):
   * a nightly run when the last one is older than 24 hours, an enrichment run when some book could
   * get an estimated level. Returns what it queued.
   */
  async 'schedule.recommend'(_input, { db, changed, emit }) {
    const due = await db.query<{ nightly: boolean; enrich: boolean }>(
      `SELECT coalesce((SELECT (value #>> '{}')::timestamptz < now() - interval '24 hours' FROM settings
                         WHERE key = 'recommend.lastNightly'), true) AS nightly,
              EXISTS (SELECT 1 FROM books WHERE reading_level IS NULL AND length(description) > ${ENRICH_MIN_TEXT}) AS enrich`,
    );
    const wanted = due.rows[0] ?? { nightly: false, enrich: false };
    for (const kind of ['nightly', 'enrich'] as const)
      if (wanted[kind]) {
        const { job, created } = await enqueueJob(db, { kind, dedupeKey: kind });
        if (created) changed({ entity: 'jobs', op: 'insert', ids: [job.id] });
        emit('job.queued', { id: job.id, kind });
      }
    return { nightly: wanted.nightly, enrich: wanted.enrich };
  },

  /** Enqueues the daily automatic backup if it is on and the newest automatic one is a day old. */
  async 'schedule.backup'(_input, { db, dataDir, changed, emit }) {
    const setting = await db.query<{ value: boolean }>(
      "SELECT value FROM settings WHERE key = 'backup.auto'",
    );
    if ((setting.rows[0]?.value ?? SETTING_DEFAULTS['backup.auto']) === false) return { enqueued: false };
    const newest = listBackups(dataDir).find((backup) => backup.auto);
    if (newest && Date.now() - Date.parse(newest.createdAt) < DAY_MS) return { enqueued: false };
    const { job, created } = await enqueueJob(db, {
      kind: 'backup',
      payload: { auto: true },
      dedupeKey: 'backup.auto',
    });
    if (created) changed({ entity: 'jobs', op: 'insert', ids: [job.id] });
    emit('job.queued', { id: job.id, kind: 'backup' });
    return { enqueued: true };
  },
} satisfies HandlerSlice<'schedule'>;

export const drainHandlers = {
  /** Runs the ready jobs and answers when none is left (outside the queue: the jobs queue behind it). */
  async 'jobs.drain'(_input, context) {
    await context.drainJobs();
  },
} satisfies Pick<HandlerSlice<'jobs'>, 'jobs.drain'>;
