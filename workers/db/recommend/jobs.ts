/**
 * The recommendation service's background jobs, run by the db worker's job loop:
 *   nightly  choose and retrain the collaborative model (a budgeted `auto` search) on every reader's
 *            interactions, then write batch recommendations (the third
 *            link of the serving chain) for every reader the model knows, and refresh the planner's
 *            statistics
 *   enrich   estimate a reading level for books without one, from their description (Flesch–Kincaid),
 *            marked `estimated`
 * Both are idempotent, so a run interrupted by a crash simply runs again.
 */
import type { PGlite } from '@electric-sql/pglite';
import { fleschKincaidGrade } from '../../../shared/domain/readability';
import { reportProgress } from '../jobs';
import { loadCollaborative, trainCollaborative } from './collaborative';

/** Batch recommendations kept per reader. */
export const BATCH_SIZE = 50;

/** Runs the nightly job. */
export async function runNightly(db: PGlite, jobId: string): Promise<string> {
  await reportProgress(db, jobId, 0.05, 'choosing and training the collaborative model');
  const trained = await trainCollaborative(db);
  const model = await loadCollaborative(db);
  await reportProgress(db, jobId, 0.6, 'writing batch recommendations');
  await db.transaction(async (tx) => {
    // Lists pulled from the sync server (trained on every device's readers) stay, and win: the
    // device's own lists fill in for the readers the server has none for.
    await tx.query("DELETE FROM batch_recs WHERE model_version NOT LIKE 'sync:%'");
    if (!model) return;
    const readers: string[] = [];
    const books: string[] = [];
    const ranks: number[] = [];
    const scores: number[] = [];
    for (let user = 0; user < model.readers.size; user++) {
      const top = model.model.recommend(user, { k: BATCH_SIZE });
      top.forEach((scored, rank) => {
        readers.push(model.readers.ids[user] as string);
        books.push(model.books.ids[scored.item] as string);
        ranks.push(rank + 1);
        scores.push(scored.score);
      });
    }
    await tx.query(
      `INSERT INTO batch_recs (reader_id, book_id, rank, score, model_version)
       SELECT x.r, x.b, x.k, x.s, $5 FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::real[]) AS x(r, b, k, s)
        WHERE EXISTS (SELECT 1 FROM readers WHERE id = x.r) AND EXISTS (SELECT 1 FROM books WHERE id = x.b)
          AND NOT EXISTS (SELECT 1 FROM batch_recs s WHERE s.reader_id = x.r AND s.model_version LIKE 'sync:%')`,
      [readers, books, ranks, scores, `${model.kind}@${model.trainedAt}`],
    );
  });
  await db.query(
    `INSERT INTO settings (key, value) VALUES ('recommend.lastNightly', to_jsonb(now()::text))
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
  );
  // PGlite has no autovacuum, so nothing else refreshes the planner's statistics: without them it
  // misjudges every `= ANY(…)` lookup the serving chain makes (3 s at 100K books, once a night).
  await reportProgress(db, jobId, 0.9, 'updating planner statistics');
  await db.exec('ANALYZE');
  const chosen = trained.model ? ` (${trained.model})` : '';
  return `trained on ${trained.entries} interactions of ${trained.readers} readers${chosen}; batch lists for ${model?.readers.size ?? 0} readers`;
}

/** Runs the enrichment job: returns its summary and the books that got an estimated level. */
export async function runEnrich(db: PGlite, jobId: string): Promise<{ summary: string; ids: string[] }> {
  const missing = await db.query<{ id: string; description: string }>(
    `SELECT id, description FROM books WHERE reading_level IS NULL AND description IS NOT NULL ORDER BY id`,
  );
  let estimated = 0;
  const ids: string[] = [];
  const levels: string[] = [];
  for (const [index, book] of missing.rows.entries()) {
    const grade = fleschKincaidGrade(book.description);
    if (grade !== null) {
      ids.push(book.id);
      // Stored as the school grade it falls in (4.7 → grade 4, read back as mid-grade 4.5).
      levels.push(String(Math.floor(grade)));
      estimated++;
    }
    if (index % 500 === 499)
      await reportProgress(db, jobId, index / missing.rows.length, `read ${index + 1} books`);
  }
  const updated =
    ids.length > 0
      ? await db.query<{ id: string }>(
          `UPDATE books b SET reading_level = x.level, reading_level_system = 'grade', reading_level_source = 'estimated',
                  updated_at = now()
             FROM unnest($1::uuid[], $2::text[]) AS x(id, level)
            WHERE b.id = x.id AND b.reading_level IS NULL RETURNING b.id::text AS id`,
          [ids, levels],
        )
      : { rows: [] };
  return {
    summary: `estimated a reading level for ${estimated} of ${missing.rows.length} books without one`,
    ids: updated.rows.map((row) => row.id),
  };
}
