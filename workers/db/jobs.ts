/**
 * The durable job queue on the `jobs` table. A job survives restarts and SIGKILL: a job found
 * `running` at open belonged to a dead process and goes back to `queued` (its checkpoint kept), and
 * attempts count toward `max_attempts`. Runners report progress, and cooperate with pause and cancel
 * by checking the state at each checkpoint.
 */
import type { Job } from '../../shared/contract/domain';
import { LuminFailure } from '../../shared/contract/errors';
import { type Sql, iso, isoOrNull } from './sql';

/** A row of `jobs`. */
export interface JobRow {
  id: string;
  kind: string;
  state: Job['state'];
  payload: Record<string, unknown>;
  progress: number;
  progress_message: string | null;
  checkpoint: unknown;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

/** A row as the contract's `Job`. */
export function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    progress: row.progress,
    progressMessage: row.progress_message,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    payload: row.payload,
    createdAt: iso(row.created_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Loads one job or fails with `not_found`. */
export async function loadJob(sql: Sql, id: string): Promise<Job> {
  const result = await sql.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
  const row = result.rows[0];
  if (!row) throw new LuminFailure('not_found', `no job with id ${id}`, { id });
  return jobFromRow(row);
}

/**
 * Enqueues a job. With a `dedupeKey`, an unfinished job with the same key is returned instead of a
 * second one (e.g. one automatic backup at a time).
 */
export async function enqueueJob(
  sql: Sql,
  job: { kind: string; payload?: Record<string, unknown>; dedupeKey?: string; maxAttempts?: number },
): Promise<{ job: Job; created: boolean }> {
  const inserted = await sql.query<JobRow>(
    `INSERT INTO jobs (kind, payload, dedupe_key, max_attempts) VALUES ($1, $2::jsonb, $3, $4)
     ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND state IN ('queued','running','paused') DO NOTHING
     RETURNING *`,
    [job.kind, JSON.stringify(job.payload ?? {}), job.dedupeKey ?? null, job.maxAttempts ?? 3],
  );
  if (inserted.rows[0]) return { job: jobFromRow(inserted.rows[0]), created: true };
  const existing = await sql.query<JobRow>(
    "SELECT * FROM jobs WHERE dedupe_key = $1 AND state IN ('queued','running','paused')",
    [job.dedupeKey],
  );
  return { job: jobFromRow(existing.rows[0] as JobRow), created: false };
}

/** Returns jobs left `running` by a dead process to the queue; returns how many. */
export async function recoverInterruptedJobs(sql: Sql): Promise<number> {
  const result = await sql.query(
    "UPDATE jobs SET state = 'queued', updated_at = now(), last_error = 'interrupted: Lumin stopped while it ran' WHERE state = 'running'",
  );
  return result.affectedRows ?? 0;
}

/** Claims the oldest ready job among `kinds`, marking it running; `null` when none. */
export async function claimNextJob(sql: Sql, kinds: string[]): Promise<JobRow | null> {
  const result = await sql.query<JobRow>(
    `UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()),
            heartbeat_at = now(), updated_at = now()
      WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND run_after <= now() AND kind = ANY($1::text[])
                  ORDER BY created_at LIMIT 1)
      RETURNING *`,
    [kinds],
  );
  return result.rows[0] ?? null;
}

/** Records progress (and a checkpoint to resume from); returns the job's current state. */
export async function reportProgress(
  sql: Sql,
  id: string,
  progress: number,
  message: string | null,
  checkpoint?: unknown,
): Promise<Job['state']> {
  const result = await sql.query<{ state: Job['state'] }>(
    `UPDATE jobs SET progress = $2, progress_message = $3, checkpoint = coalesce($4::jsonb, checkpoint),
            heartbeat_at = now(), updated_at = now()
      WHERE id = $1 RETURNING state`,
    [
      id,
      Math.min(1, Math.max(0, progress)),
      message,
      checkpoint === undefined ? null : JSON.stringify(checkpoint),
    ],
  );
  return result.rows[0]?.state ?? 'cancelled';
}

/** Marks a job finished: succeeded, or failed (re-queued with backoff while attempts remain). */
export async function finishJob(
  sql: Sql,
  id: string,
  outcome: { ok: true } | { ok: false; error: string },
): Promise<Job> {
  const result = outcome.ok
    ? await sql.query<JobRow>(
        `UPDATE jobs SET state = 'succeeded', progress = 1, finished_at = now(), updated_at = now(), dedupe_key = NULL
          WHERE id = $1 AND state = 'running' RETURNING *`,
        [id],
      )
    : await sql.query<JobRow>(
        `UPDATE jobs SET last_error = $2, updated_at = now(),
                state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
                run_after = now() + make_interval(secs => 5 * power(4, attempts - 1))
          WHERE id = $1 AND state = 'running' RETURNING *`,
        [id, outcome.error],
      );
  return result.rows[0] ? jobFromRow(result.rows[0]) : loadJob(sql, id);
}
