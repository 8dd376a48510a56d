/** The jobs API: list, get, cancel, pause, resume. Runners see the new state at their next checkpoint. */
import type { Job, JobState } from '../../../shared/contract/domain';
import { LuminFailure } from '../../../shared/contract/errors';
import type { HandlerSlice, WorkerContext } from './types';
import { runJobNow } from './recommend';
import { type JobRow, jobFromRow, loadJob } from '../jobs';

async function transition(
  context: WorkerContext,
  id: string,
  to: JobState,
  from: JobState[],
  verb: string,
): Promise<Job> {
  const result = await context.db.query<JobRow>(
    `UPDATE jobs SET state = $2, updated_at = now(), finished_at = CASE WHEN $2 = 'cancelled' THEN now() END
      WHERE id = $1 AND state = ANY($3::text[]) RETURNING *`,
    [id, to, from],
  );
  const row = result.rows[0];
  if (!row) {
    const job = await loadJob(context.db, id);
    throw new LuminFailure(
      'conflict',
      `job ${id} is ${job.state}; only a ${from.join(', ')} job can be ${verb}`,
      {
        id,
        state: job.state,
      },
    );
  }
  const job = jobFromRow(row);
  context.changed({ entity: 'jobs', op: 'update', ids: [job.id] });
  context.emit('job.progress', {
    id: job.id,
    kind: job.kind,
    state: job.state,
    progress: job.progress,
    message: job.progressMessage,
  });
  if (job.state === 'queued') context.emit('job.queued', { id: job.id, kind: job.kind });
  return job;
}

export const jobHandlers = {
  async 'jobs.list'(input, context) {
    const { state, kind, limit, offset } = input ?? { limit: 100, offset: 0 };
    const where = '($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR kind = $2)';
    const [rows, total] = await Promise.all([
      context.db.query<JobRow>(
        `SELECT * FROM jobs WHERE ${where} ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
        [state ?? null, kind ?? null, limit, offset],
      ),
      context.db.query<{ total: number }>(`SELECT count(*)::int AS total FROM jobs WHERE ${where}`, [
        state ?? null,
        kind ?? null,
      ]),
    ]);
    return { items: rows.rows.map(jobFromRow), total: total.rows[0]?.total ?? 0 };
  },
  async 'jobs.get'(input, context) {
    return loadJob(context.db, input.id);
  },
  async 'jobs.cancel'(input, context) {
    return transition(context, input.id, 'cancelled', ['queued', 'running', 'paused'], 'cancelled');
  },
  async 'jobs.pause'(input, context) {
    return transition(context, input.id, 'paused', ['queued', 'running'], 'paused');
  },
  async 'jobs.resume'(input, context) {
    return transition(context, input.id, 'queued', ['paused'], 'resumed');
  },
  async 'jobs.run'(input, context) {
    return runJobNow(input, context);
  },
} satisfies Omit<HandlerSlice<'jobs'>, 'jobs.drain'>;
