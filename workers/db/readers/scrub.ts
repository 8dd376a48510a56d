/**
 * After an erase, the bytes themselves. A DELETE only marks tuples dead; PGlite has no autovacuum,
 * and even a plain VACUUM leaves a pruned tuple's bytes in the page's free space and in index pages
 * (measured: a deleted name stayed in the `lower(name)` index after VACUUM), and ANALYZE copies a
 * column's most common values into pg_statistic. So the tables that held text about the reader are
 * rewritten (VACUUM FULL writes new files; the old ones are truncated at
 * commit and unlinked at the next checkpoint) and the others vacuumed.
 *
 * The WAL holds the old rows too (the inserts, and full-page images written after each checkpoint),
 * and a checkpoint normally *recycles* old segments by renaming them, content and all, to future
 * names. So recycling is turned off for this session, a CHECKPOINT unlinks the segments behind the
 * current one, the WAL is advanced through the current segment and every recycled one ahead of it
 * with `pg_switch_wal()` (which zero-fills the rest of the segment it leaves), and a last CHECKPOINT
 * unlinks those too.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

const SEGMENT = /^[0-9A-F]{24}$/;

/** Plain-VACUUMed tables (no text about a reader; their dead tuples only hold ids and numbers). */
const PLAIN_TABLES = ['interactions', 'batch_recs', 'embeddings', 'sync_outbox', 'cf_models'];

/** WAL segment files in cluster `pgdata`. */
export function walSegments(pgdata: string): string[] {
  try {
    return readdirSync(join(pgdata, 'pg_wal')).filter((name) => SEGMENT.test(name));
  } catch {
    return [];
  }
}

/**
 * Rewrites `rewrite` (VACUUM FULL), vacuums the plain tables, then pushes every old WAL segment out.
 * Runs outside any transaction; the caller holds the worker's queue.
 */
export async function scrubDeleted(db: PGlite, pgdata: string, rewrite: readonly string[]): Promise<void> {
  const present = new Set(
    (
      await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")
    ).rows.map((row) => row.name),
  );
  const full = rewrite.filter((table) => present.has(table));
  if (full.length > 0) await db.exec(`VACUUM (FULL) ${full.join(', ')}`);
  const plain = PLAIN_TABLES.filter((table) => present.has(table) && !full.includes(table));
  if (plain.length > 0) await db.exec(`VACUUM ${plain.join(', ')}`);
  // Planner statistics keep a column's most common values (a name, an interest) in pg_statistic:
  // gathered again without the reader, then the catalog rewritten so the old rows' bytes go too.
  if (full.length > 0) await db.exec(`ANALYZE ${full.join(', ')}`);
  await db.exec('VACUUM (FULL) pg_statistic');
  await purgeWal(db, pgdata);
}

/** Leaves no WAL segment written before this call (see the module comment). */
export async function purgeWal(db: PGlite, pgdata: string): Promise<void> {
  await db.exec('SET wal_recycle = off');
  try {
    // Unlinks every segment before the current one (recycling is off).
    await db.exec('CHECKPOINT');
    const current = await db.query<{ name: string }>('SELECT pg_walfile_name(pg_current_wal_lsn()) AS name');
    const from = current.rows[0]?.name ?? '';
    // The current segment and every recycled one ahead of it: write a record (a switch needs one in
    // the segment), then switch, which zero-fills the rest; one step per file passes them all.
    const ahead = walSegments(pgdata).filter((name) => name >= from).length;
    for (let step = 0; step < ahead; step += 1)
      await db.exec("SELECT pg_logical_emit_message(false, 'lumin', 'erase'); SELECT pg_switch_wal()");
    // Unlinks the segments just passed.
    await db.exec('CHECKPOINT');
  } finally {
    await db.exec('RESET wal_recycle');
  }
}
