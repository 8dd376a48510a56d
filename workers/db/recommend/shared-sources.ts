/**
 * What every request shares, computed once and kept in the db worker's {@link SharedMemo}: the ALS
 * model, the popularity orders, per-source click-through and the item neighbours of readers' liked
 * books. The catalogue-wide ones are refreshed behind a request once old (never in its way), and all
 * are prepared behind the serving memory's warm-up, so the first request after opening pays for none.
 */
import type { SourceName } from '../../../shared/recommend/blend';
import { PER_SOURCE, SIMILAR_PER_SEED, similarSeeds } from '../../../shared/recommend/candidate-sources';
import type { SourceStats } from '../../../shared/recommend/explore';
import type { Context } from '../context';
import { popularBooks } from './books';
import { SHARED_TTL_MS } from './cache';
import { type CollaborativeModel, loadCollaborative, similarByFactors } from './collaborative';
import type { ReaderState } from './reader-state';

/** Length of the popular fallback list (readers' filters drop many). */
const POPULAR_LIST = 2000;

/** The trained ALS model (it changes only with the nightly run, which drops the memo). */
export function alsModel(context: Context): Promise<CollaborativeModel | null> {
  return context.recommend.memo.memo('als', Infinity, () => loadCollaborative(context.db));
}

/** Popularity among books with evidence (the personalised blend's popular source). */
export function popularWithEvidence(context: Context): Promise<{ id: string; score: number }[]> {
  return context.recommend.memo.memo(
    'popular:evidence',
    SHARED_TTL_MS,
    () => popularBooks(context.db, PER_SOURCE, { evidenceOnly: true }),
    { refresh: context.after },
  );
}

/** The whole catalogue's popularity order, for the last fallback. */
export function popularList(context: Context): Promise<{ id: string; score: number }[]> {
  return context.recommend.memo.memo(
    'popular:all',
    SHARED_TTL_MS,
    () => popularBooks(context.db, POPULAR_LIST),
    { refresh: context.after },
  );
}

/** Per-source impressions and clicks of the last 30 days (for Thompson sampling). */
export function clickThrough(context: Context): Promise<Partial<Record<SourceName, SourceStats>>> {
  // Click-through moves slowly; five minutes old is fresh enough for sampling.
  return context.recommend.memo.memo(
    'source-stats',
    SHARED_TTL_MS,
    async () => {
      const rows = await context.db.query<{ source: SourceName; impressions: number; clicks: number }>(
        `SELECT l.proposed_by AS source, count(*)::int AS impressions,
                count(*) FILTER (WHERE EXISTS (SELECT 1 FROM interactions i WHERE i.rec_log_id = l.id
                  AND i.type IN ('click','checkout','finish','thumbs_up','want')))::int AS clicks
           FROM rec_logs l WHERE l.served_at > now() - interval '30 days' AND l.proposed_by IS NOT NULL
          GROUP BY 1`,
      );
      return Object.fromEntries(rows.rows.map((row) => [row.source, row]));
    },
    { refresh: context.after },
  );
}

/** Computes the shared results above, behind the serving memory's warm-up. */
export async function prepareServing(context: Context): Promise<void> {
  await alsModel(context);
  await popularWithEvidence(context);
  await popularList(context);
  await clickThrough(context);
}

/**
 * Computes the item neighbours the `similar` source (`candidateSources`) will ask for these readers, behind the warm-up:
 * about 0.8 ms a book at 100K books, which a request would otherwise pay for each seed it meets first.
 */
export async function prepareSimilar(context: Context, states: Iterable<ReaderState>): Promise<void> {
  const model = await alsModel(context);
  if (model)
    for (const state of states)
      for (const book of similarSeeds(state.weights)) similarByFactors(model, book, SIMILAR_PER_SEED);
}
