/**
 * Archiving: interactions older than 48 hours (by their day) move from the hot table to Parquet files laid out as
 * `<archive>/tenant=<id>/date=<YYYY-MM-DD>/part-<first seq>-<last seq>.parquet` (Hive partitioning,
 * which DuckDB's `read_parquet(..., hive_partitioning = true)` and Spark read as columns). Each
 * partition is one transaction: the rows are locked, the file written, fsynced and renamed into
 * place, the directory fsynced, and only then are the rows deleted and committed. A crash before the
 * commit leaves the rows in the hot table (the next run writes the same file name again).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Queryable, ServerDb } from './db';
import { evidenceWeight } from './weights';

/** Rows older than this leave the hot table. */
export const ARCHIVE_AFTER_MS = 48 * 60 * 60 * 1000;

/** One archived row, as in the Parquet file. */
export interface ArchivedRow {
  id: string;
  reader: string;
  book_key: string;
  type: string;
  value: number | null;
  band: string | null;
  /** `YYYY-MM-DD` (the partition's date). */
  day: string;
  seq: bigint;
}

/** Serialises archive writers and erasers of one tenant's partitions (in a transaction). */
export async function lockTenantArchive(tx: Queryable, tenantId: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('lumin-archive:' || $1))", [tenantId]);
}

function fsyncDirectory(folder: string): void {
  const directory = openSync(folder, 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}

/** Removes a file durably (the directory entry is fsynced). */
export function removeDurably(folder: string, name: string): void {
  unlinkSync(join(folder, name));
  fsyncDirectory(folder);
}

/** What one archive run wrote. */
export interface ArchiveReport {
  files: string[];
  rows: number;
}

/** Writes a file as a new file, fsynced, then renamed over `name` (and the directory fsynced). */
export function writeDurably(folder: string, name: string, bytes: Uint8Array): string {
  mkdirSync(folder, { recursive: true });
  const target = join(folder, name);
  const temporary = `${target}.tmp`;
  const fd = openSync(temporary, 'w', 0o640);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, target);
  fsyncDirectory(folder);
  return target;
}

/** Encodes rows as Parquet. */
export function encodeParquet(rows: readonly ArchivedRow[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: rows.map((row) => row.id), type: 'STRING' },
      { name: 'reader', data: rows.map((row) => row.reader), type: 'STRING' },
      { name: 'book_key', data: rows.map((row) => row.book_key), type: 'STRING' },
      { name: 'type', data: rows.map((row) => row.type), type: 'STRING' },
      { name: 'value', data: rows.map((row) => row.value), type: 'FLOAT' },
      { name: 'band', data: rows.map((row) => row.band), type: 'STRING' },
      { name: 'day', data: rows.map((row) => row.day), type: 'STRING' },
      { name: 'seq', data: rows.map((row) => row.seq), type: 'INT64' },
    ],
  });
  return new Uint8Array(buffer);
}

async function archivePartition(
  tx: Queryable,
  archiveDir: string,
  tenantId: string,
  date: string,
): Promise<{ file: string; rows: number } | null> {
  await lockTenantArchive(tx, tenantId);
  const selected = await tx.query<Omit<ArchivedRow, 'seq'> & { seq: string }>(
    `SELECT id::text, reader, book_key, type, value, band, to_char(day, 'YYYY-MM-DD') AS day, seq::text
       FROM interactions WHERE tenant_id = $1 AND day = $2::date ORDER BY seq FOR UPDATE`,
    [tenantId, date],
  );
  if (selected.rows.length === 0) return null;
  const rows: ArchivedRow[] = selected.rows.map((row) => ({
    ...row,
    value: row.value === null ? null : Number(row.value),
    seq: BigInt(row.seq),
  }));
  const first = rows[0]?.seq ?? 0n;
  const last = rows[rows.length - 1]?.seq ?? 0n;
  const file = writeDurably(
    join(archiveDir, `tenant=${tenantId}`, `date=${date}`),
    `part-${first}-${last}.parquet`,
    encodeParquet(rows),
  );
  // What these rows add to ALS, kept after they leave (grouped, weights summed).
  const evidence = new Map<string, { reader: string; book: string; weight: number; band: string | null }>();
  for (const row of rows) {
    const weight = evidenceWeight(row.type, row.value);
    const book = row.book_key;
    const key = `${row.reader}\u0000${book}`;
    const entry = evidence.get(key) ?? { reader: row.reader, book, weight: 0, band: null };
    entry.weight += weight;
    entry.band = row.band ?? entry.band;
    evidence.set(key, entry);
  }
  const entries = [...evidence.values()];
  await tx.query(
    `INSERT INTO evidence (tenant_id, reader, book_key, weight, band)
     SELECT $1, x.r, x.b, x.w, x.g FROM unnest($2::text[], $3::text[], $4::float8[], $5::text[]) AS x(r, b, w, g)
     ON CONFLICT (tenant_id, reader, book_key)
       DO UPDATE SET weight = evidence.weight + excluded.weight, band = coalesce(excluded.band, evidence.band)`,
    [
      tenantId,
      entries.map((entry) => entry.reader),
      entries.map((entry) => entry.book),
      entries.map((entry) => entry.weight),
      entries.map((entry) => entry.band),
    ],
  );
  const ids = rows.map((row) => row.id);
  await tx.query(
    `INSERT INTO archived_ids (tenant_id, id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
    [tenantId, ids],
  );
  await tx.query('DELETE FROM interactions WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [tenantId, ids]);
  return { file, rows: rows.length };
}

/** Archives every tenant's (or one tenant's) rows of days that ended 48 h before `now` or earlier. */
export async function archiveOld(
  db: ServerDb,
  archiveDir: string,
  options: { now?: Date; tenantId?: string } = {},
): Promise<ArchiveReport> {
  // A day's rows leave once the whole day is 48 h old: its end (the next midnight) is before the cutoff.
  const cutoff = new Date((options.now ?? new Date()).getTime() - ARCHIVE_AFTER_MS);
  const lastDay = new Date(cutoff.getTime() - 86_400_000).toISOString().slice(0, 10);
  const partitions = await db.query<{ tenant_id: string; date: string }>(
    `SELECT DISTINCT tenant_id::text, to_char(day, 'YYYY-MM-DD') AS date
       FROM interactions WHERE day <= $1::date AND ($2::uuid IS NULL OR tenant_id = $2) ORDER BY 1, 2`,
    [lastDay, options.tenantId ?? null],
  );
  const report: ArchiveReport = { files: [], rows: 0 };
  for (const { tenant_id: tenantId, date } of partitions.rows) {
    const written = await db.transaction((tx) => archivePartition(tx, archiveDir, tenantId, date));
    if (written) {
      report.files.push(written.file);
      report.rows += written.rows;
    }
  }
  return report;
}
