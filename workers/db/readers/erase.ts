/**
 * Erasing a reader: the rows, in one transaction. The reader and everything derived from them go
 * together: interactions (pins and blocks included), served lists (impressions), cached lists, batch
 * lists, their shelves, their profile vectors, their pending sync events, LLM sentences that name
 * their name or interests, and their row of the collaborative model (dropped from the stored model at
 * once; the next nightly retrain never sees them). With sync in use an erase request for their
 * pseudonym is queued. Works on any schema version a backup may have (tables are looked up first).
 * What is left on disk afterwards (dead tuples, WAL) is scrubbed by scrub.ts.
 */
import type { Transaction } from '@electric-sql/pglite';
import { LuminFailure } from '../../../shared/contract/errors';
import { alsLayout, dropAlsUserPlan } from '../../../shared/ml/als-drop-user';
import type { Sql } from '../sql';
import { queueErase } from '../sync/erase-requests';

/** What one erase removed, by table. */
export interface ErasedRows {
  id: string;
  name: string;
  /** Rows deleted per table (only tables that had some). */
  deleted: Record<string, number>;
  /** Whether the reader had a row in the stored collaborative model (now dropped). */
  modelRowDropped: boolean;
  /** Whether an erase request for the server was queued (sync in use). */
  eraseQueued: boolean;
}

/** Tables whose rows carry text about the reader: a plain VACUUM can leave dead bytes in their pages. */
export const TEXT_TABLES = ['readers', 'rec_logs', 'reader_books', 'rec_cache', 'explanation_cache'];

async function existingTables(sql: Sql): Promise<Set<string>> {
  const rows = await sql.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
  );
  return new Set(rows.rows.map((row) => row.name));
}

/**
 * Drops reader `id`'s row from every stored model naming them: cut out of an ALS model (see
 * shared/ml/als-drop-user.ts for the layout), the whole model for any other kind. Only the header and the CSR's row pointers cross into JavaScript; the factor and index
 * blocks (25 MB at 100K books) are cut and joined by the database.
 */
async function dropModelRow(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql.query<{ name: string; head: Uint8Array; position: number }>(
    `SELECT name, substring(model FROM 1 FOR 64) AS head, array_position(reader_ids, $1::uuid) AS position
       FROM cf_models WHERE $1::uuid = ANY(reader_ids)`,
    [id],
  );
  for (const row of rows.rows) {
    if (row.name !== 'als') {
      // An item–item model (EASE, RP3beta, kNN) or a blend keeps its own layout: drop it at once; the
      // serving chain falls back to the other sources until the next nightly run trains a new one.
      await sql.query('DELETE FROM cf_models WHERE name = $1', [row.name]);
      continue;
    }
    const layout = alsLayout(row.head);
    const pointers = await sql.query<{ bytes: Uint8Array }>(
      'SELECT substring(model FROM $2::int + 1 FOR $3::int) AS bytes FROM cf_models WHERE name = $1',
      [row.name, layout.indptr, 4 * (layout.users + 1)],
    );
    const cut = dropAlsUserPlan(row.head, pointers.rows[0]?.bytes ?? new Uint8Array(), row.position - 1);
    // Each kept block is [from, length] of the old bytes (0-based); `head` and `indptr` are the new ones.
    const [beforeRow, afterRow, indicesBefore, indicesAfter] = cut.blocks;
    await sql.query(
      `UPDATE cf_models SET reader_ids = array_remove(reader_ids, $2::uuid),
              model = $3::bytea || substring(model FROM $4::int + 1 FOR $5::int) || substring(model FROM $6::int + 1 FOR $7::int)
                      || $8::bytea || substring(model FROM $9::int + 1 FOR $10::int) || substring(model FROM $11::int + 1 FOR $12::int)
        WHERE name = $1`,
      [row.name, id, cut.head, ...beforeRow, ...afterRow, cut.indptr, ...indicesBefore, ...indicesAfter],
    );
  }
  return rows.rows.length > 0;
}

/** Deletes reader `id` and everything derived from them inside `tx`; `not_found` when absent. */
export async function eraseReaderRows(tx: Transaction | Sql, id: string): Promise<ErasedRows> {
  const found = await tx.query<{ name: string; pseudonym: string; interests: string[] }>(
    'SELECT name, pseudonym::text, interests FROM readers WHERE id = $1 FOR UPDATE',
    [id],
  );
  const reader = found.rows[0];
  if (!reader) throw new LuminFailure('not_found', `no reader with id ${id}`, { id });
  const tables = await existingTables(tx);
  const deleted: Record<string, number> = {};
  const remove = async (table: string, where: string, parameters: unknown[]) => {
    if (!tables.has(table)) return;
    const result = await tx.query(`DELETE FROM ${table} WHERE ${where}`, parameters);
    if (result.affectedRows) deleted[table] = result.affectedRows;
  };
  await remove('interactions', 'reader_id = $1', [id]);
  await remove('rec_logs', 'reader_id = $1', [id]);
  await remove('rec_cache', 'reader_id = $1', [id]);
  await remove('batch_recs', 'reader_id = $1', [id]);
  await remove('reader_books', 'reader_id = $1', [id]);
  await remove('embeddings', "owner_kind = 'reader' AND owner_id = $1", [id]);
  await remove('sync_outbox', "kind = 'interaction' AND payload->>'reader' = $1", [reader.pseudonym]);
  // Sentences are cached by prompt, not by reader: those naming the reader or one of their interests go.
  const words = [reader.name, ...reader.interests].map((word) => word.trim().toLowerCase()).filter(Boolean);
  await remove(
    'explanation_cache',
    "key NOT LIKE 'level:%' AND EXISTS (SELECT 1 FROM unnest($1::text[]) w WHERE strpos(lower(text || ' ' || key), w) > 0)",
    [words],
  );
  const modelRowDropped = tables.has('cf_models') ? await dropModelRow(tx, id) : false;
  const eraseQueued = tables.has('sync_state') ? await queueErase(tx, reader.pseudonym) : false;
  await remove('readers', 'id = $1', [id]);
  return { id, name: reader.name, deleted, modelRowDropped, eraseQueued };
}
