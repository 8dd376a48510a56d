/** Recommendations, group picks, feedback, analytics, and queueing the service's background jobs. */
import { randomUUID } from 'node:crypto';
import type { InteractionType } from '../../../shared/contract/domain';
import type { HandlerSlice, WorkerContext } from './types';
import { enqueueJob } from '../jobs';
import { groupPicks } from '../recommend/group';
import { serve } from '../recommend/serve';
import { readingStats } from '../recommend/stats';
import { interactionHandlers } from './interactions';

const FEEDBACK: Record<'up' | 'down' | 'dismiss' | 'pin' | 'block', InteractionType> = {
  up: 'thumbs_up',
  down: 'thumbs_down',
  dismiss: 'dismiss',
  pin: 'pin',
  block: 'block',
};

export const recommendHandlers = {
  async 'recommend.compute'(input, context) {
    return serve(context, input.readerId, input);
  },

  async 'recommend.group'(input, context) {
    return groupPicks(context, input.readerIds, input.k);
  },

  async 'recommend.feedback'(input, context) {
    // Attributed to the newest impression of this book for this reader, if it was ever served.
    const served = await context.db.query<{ id: string }>(
      'SELECT id::text AS id FROM rec_logs WHERE reader_id = $1 AND book_id = $2 ORDER BY served_at DESC, id DESC LIMIT 1',
      [input.readerId, input.bookId],
    );
    const recLogId = served.rows[0] ? Number(served.rows[0].id) : null;
    return interactionHandlers['interactions.log'](
      {
        id: randomUUID(),
        readerId: input.readerId,
        bookId: input.bookId,
        type: FEEDBACK[input.kind],
        value: null,
        occurredAt: new Date().toISOString(),
        recLogId,
      } as Parameters<(typeof interactionHandlers)['interactions.log']>[0],
      context,
    );
  },

  async 'stats.get'(input, context) {
    return readingStats(context, input);
  },
} satisfies HandlerSlice<'recommend'> & HandlerSlice<'stats'>;

/** `jobs.run`: one unfinished job of each kind at a time. */
export async function runJobNow(input: { kind: 'nightly' | 'enrich' }, context: WorkerContext) {
  const { job, created } = await enqueueJob(context.db, { kind: input.kind, dedupeKey: input.kind });
  if (created) context.changed({ entity: 'jobs', op: 'insert', ids: [job.id] });
  context.emit('job.queued', { id: job.id, kind: job.kind });
  return job;
}
