/**
 * Erasing a pseudonym on request: its hot rows, archived evidence, batch lists and device binding go
 * in one transaction, and every Parquet partition of the tenant holding its rows is rewritten without
 * them (a new file, fsync, rename; a file left empty is removed). The tenant's archive lock is held
 * from the first delete to the last file, so a nightly archive run cannot slip rows past the erase.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { type ArchivedRow, encodeParquet, lockTenantArchive, removeDurably, writeDurably } from './archive';
import type { Queryable, ServerDb } from './db';

/** What one erase removed. */
export interface EraseReport {
  pseudonym: string;
  erased: true;
  rows: number;
  files: number;
}

/** Parquet files of one tenant's archive: `[folder, name]`. */
function partitionFiles(archiveDir: string, tenantId: string): [string, string][] {
  const root = join(archiveDir, `tenant=${tenantId}`);
  if (!existsSync(root)) return [];
  const files: [string, string][] = [];
  for (const date of readdirSync(root).sort()) {
    const folder = join(root, date);
    for (const name of readdirSync(folder).sort()) if (name.endsWith('.parquet')) files.push([folder, name]);
  }
  return files;
}

/** Rewrites the tenant's partitions without `pseudonym`'s rows; returns rows and files changed. */
async function rewriteArchive(
  archiveDir: string,
  tenantId: string,
  pseudonym: string,
): Promise<{ rows: number; files: number }> {
  let rows = 0;
  let files = 0;
  for (const [folder, name] of partitionFiles(archiveDir, tenantId)) {
    const file = await asyncBufferFromFile(join(folder, name));
    const readers = (await parquetReadObjects({ file, columns: ['reader'] })) as { reader: string }[];
    if (!readers.some((row) => row.reader === pseudonym)) continue;
    const all = (await parquetReadObjects({ file })) as (Omit<ArchivedRow, 'seq'> & { seq: bigint })[];
    const kept = all.filter((row) => row.reader !== pseudonym);
    rows += all.length - kept.length;
    files += 1;
    if (kept.length === 0) removeDurably(folder, name);
    else
      writeDurably(
        folder,
        name,
        encodeParquet(
          kept.map((row) => ({
            id: row.id,
            reader: row.reader,
            book_key: row.book_key,
            type: row.type,
            value: row.value ?? null,
            band: row.band ?? null,
            day: row.day,
            seq: BigInt(row.seq),
          })),
        ),
      );
  }
  return { rows, files };
}

async function eraseInTenant(
  tx: Queryable,
  archiveDir: string | null,
  tenantId: string,
  pseudonym: string,
): Promise<{ rows: number; files: number }> {
  await lockTenantArchive(tx, tenantId);
  const hot = await tx.query('DELETE FROM interactions WHERE tenant_id = $1 AND reader = $2', [
    tenantId,
    pseudonym,
  ]);
  for (const table of ['evidence', 'batch_recs', 'reader_devices'])
    await tx.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND reader = $2`, [tenantId, pseudonym]);
  const archived = archiveDir ? await rewriteArchive(archiveDir, tenantId, pseudonym) : { rows: 0, files: 0 };
  const removed = hot.rowCount + archived.rows;
  await tx.query('UPDATE tenants SET stored_rows = greatest(0, stored_rows - $2) WHERE id = $1', [
    tenantId,
    removed,
  ]);
  return { rows: removed, files: archived.files };
}

/**
 * Erases `pseudonym` in one tenant (a device's request) or in every tenant holding it (the admin
 * CLI); without `archiveDir` (a server started with no archive) only the database. Idempotent: erasing what is not stored succeeds with nothing removed.
 */
export async function erasePseudonym(
  db: ServerDb,
  archiveDir: string | null,
  pseudonym: string,
  tenantId?: string,
): Promise<EraseReport> {
  const tenants = tenantId
    ? [tenantId]
    : (await db.query<{ id: string }>('SELECT id::text FROM tenants ORDER BY created_at')).rows.map(
        (row) => row.id,
      );
  const report: EraseReport = { pseudonym, erased: true, rows: 0, files: 0 };
  for (const tenant of tenants) {
    const done = await db.transaction((tx) => eraseInTenant(tx, archiveDir, tenant, pseudonym));
    report.rows += done.rows;
    report.files += done.files;
  }
  return report;
}
