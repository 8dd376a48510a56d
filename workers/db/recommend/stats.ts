/**
 * Reading analytics over a period, for one class or everyone: click-through by the chain step that
 * served, catalogue coverage, intra-list diversity (1 − mean pairwise cosine of each served list,
 * Ziegler et al. 2005) and novelty (mean −log2 of a served book's share of interactions, Zhou et al.
 * 2010), and per-reader counts. A "click" is any positive interaction citing the impression.
 */
import type { ReadingStats } from '../../../shared/contract/recommend';
import { dot } from '../../../shared/recommend/vectors';
import type { Context } from '../context';
import { activeModel } from '../embeddings/active-model';
import { bookVectors } from './books';

const POSITIVE = "('click','checkout','finish','thumbs_up','want')";

/** Computes the stats. */
export async function readingStats(
  context: Context,
  input: { classId?: string; from?: string; to?: string } | undefined,
): Promise<ReadingStats> {
  const to = input?.to ? new Date(input.to) : new Date();
  const from = input?.from ? new Date(input.from) : new Date(to.getTime() - 30 * 86_400_000);
  const scope = `l.served_at >= $1 AND l.served_at <= $2 AND ($3::uuid IS NULL OR l.reader_id IN (SELECT id FROM readers WHERE class_id = $3))`;
  const params = [from.toISOString(), to.toISOString(), input?.classId ?? null];
  const clicked = `EXISTS (SELECT 1 FROM interactions i WHERE i.rec_log_id = l.id AND (i.type IN ${POSITIVE} OR (i.type = 'rating' AND i.value >= 4)))`;
  const [bySource, perReader, coverage, lists, readers] = await Promise.all([
    context.db.query<{ source: string; impressions: number; clicks: number }>(
      `SELECT source, count(*)::int AS impressions, count(*) FILTER (WHERE ${clicked})::int AS clicks
         FROM rec_logs l WHERE ${scope} GROUP BY source ORDER BY source`,
      params,
    ),
    context.db.query<{ reader_id: string; impressions: number; clicks: number; distinct_books: number }>(
      `SELECT reader_id, count(*)::int AS impressions, count(*) FILTER (WHERE ${clicked})::int AS clicks,
              count(DISTINCT book_id)::int AS distinct_books
         FROM rec_logs l WHERE ${scope} AND reader_id IS NOT NULL GROUP BY reader_id ORDER BY reader_id`,
      params,
    ),
    context.db.query<{ served: number; total: number }>(
      `SELECT (SELECT count(DISTINCT book_id)::int FROM rec_logs l WHERE ${scope}) AS served,
              (SELECT count(*)::int FROM books) AS total`,
      params,
    ),
    context.db.query<{ books: string[] }>(
      `SELECT array_agg(book_id::text ORDER BY position) AS books FROM rec_logs l
        WHERE ${scope} AND book_id IS NOT NULL GROUP BY request_id ORDER BY max(served_at) DESC LIMIT 200`,
      params,
    ),
    context.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM readers WHERE $1::uuid IS NULL OR class_id = $1',
      [input?.classId ?? null],
    ),
  ]);

  // Diversity over the newest 200 lists, with the active model's vectors.
  const model = await activeModel(context.db);
  const served = [...new Set(lists.rows.flatMap((row) => row.books))];
  const vectors = await bookVectors(context.db, model, served);
  let diversitySum = 0;
  let diversityLists = 0;
  for (const { books } of lists.rows) {
    const present = books.map((id) => vectors.get(id)).filter((vector): vector is Float32Array => !!vector);
    if (present.length < 2) continue;
    let similarity = 0;
    let pairs = 0;
    for (let a = 0; a < present.length; a++)
      for (let b = a + 1; b < present.length; b++) {
        similarity += dot(present[a] as Float32Array, present[b] as Float32Array);
        pairs++;
      }
    diversitySum += 1 - similarity / pairs;
    diversityLists++;
  }

  const popularity = await context.db.query<{ book_id: string; n: number; total: number }>(
    `SELECT book_id, count(*)::int AS n, sum(count(*)) OVER ()::int AS total FROM interactions
      WHERE book_id = ANY($1::uuid[]) GROUP BY book_id`,
    [served],
  );
  const totalInteractions = await context.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM interactions',
  );
  const all = (totalInteractions.rows[0]?.n ?? 0) + (coverage.rows[0]?.total ?? 0);
  const counts = new Map(popularity.rows.map((row) => [row.book_id, row.n]));
  // Add-one smoothing: a never-read book has share 1/(interactions + books), the most novel.
  const novelty =
    served.length > 0 && all > 0
      ? served.reduce((sum, id) => sum - Math.log2(((counts.get(id) ?? 0) + 1) / all), 0) / served.length
      : null;

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    readers: readers.rows[0]?.n ?? 0,
    ctr: Object.fromEntries(
      bySource.rows.map((row) => [
        row.source,
        {
          impressions: row.impressions,
          clicks: row.clicks,
          rate: row.impressions ? row.clicks / row.impressions : 0,
        },
      ]),
    ),
    coverage: coverage.rows[0]?.total ? (coverage.rows[0].served ?? 0) / coverage.rows[0].total : 0,
    diversity: diversityLists > 0 ? diversitySum / diversityLists : null,
    novelty,
    perReader: perReader.rows.map((row) => ({
      readerId: row.reader_id,
      impressions: row.impressions,
      clicks: row.clicks,
      distinctBooks: row.distinct_books,
    })),
  };
}
