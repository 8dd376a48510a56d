/**
 * `impressions.*`: the rec_logs rows of lists the host's list cache serves (workers/host/recommend-cache.ts).
 * Both run outside the worker's queue; the rows themselves are written in it.
 */
import type { HandlerSlice } from './types';

export const impressionHandlers = {
  /**
   * Reserves `count` consecutive rec_logs ids for lists the host serves from its cache (outside the
   * queue: ids are handed out in memory once the log knows where to start).
   */
  async 'impressions.reserve'({ count }, context) {
    return context.recommend.impressions.reserve(count);
  },

  /**
   * Logs a list the host served from its cache (ids from `impressions.reserve`). The rows are written
   * in the queue, so any later call (an interaction citing one of the ids) finds them.
   */
  async 'impressions.log'({ firstId, served }, context) {
    context.recommend.impressions.enqueue(firstId, served, (task) => context.after(task));
  },
} satisfies HandlerSlice<'impressions'>;
