/**
 * Archiving: interactions older than 48 hours move from the hot table to Parquet files laid out as
 * `<archive>/tenant=<id>/date=<YYYY-MM-DD>/part-<first seq>-<last seq>.parquet` (Hive partitioning,
 * which DuckDB's `read_parquet(..., hive_partitioning = true)` and Spark read as columns). Each
 * partition is one transaction: the rows are locked, the file written, fsynced and renamed into
 * place, the directory fsynced, and only then are the rows deleted and committed. A crash before the
 * commit leaves the rows in the hot table (the next run writes the same file name again).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { bookKey } from '../shared/sync/protocol';
import type { Queryable, ServerDb } from './db';
import { evidenceWeight } from './weights';

/** Rows older than this leave the hot table. */
export const ARCHIVE_AFTER_MS = 48 * 60 * 60 * 1000;

/** One archived row, as in the Parquet file. */
export interface ArchivedRow {
  id: string;
  reader: string;
  book_id: string | null;
  isbn13: string | null;
  type: string;
  value: number | null;
  grade: number | null;
  occurred_at: Date;
  received_at: Date;
  seq: bigint;
}

/** What one archive run wrote. */
export interface ArchiveReport {
  files: string[];
  rows: number;
}

function writeDurably(folder: string, name: string, bytes: Uint8Array): string {
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
  const directory = openSync(folder, 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
  return target;
}

/** Encodes rows as Parquet. */
export function encodeParquet(rows: readonly ArchivedRow[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: rows.map((row) => row.id), type: 'STRING' },
      { name: 'reader', data: rows.map((row) => row.reader), type: 'STRING' },
      { name: 'book_id', data: rows.map((row) => row.book_id), type: 'STRING' },
      { name: 'isbn13', data: rows.map((row) => row.isbn13), type: 'STRING' },
      { name: 'type', data: rows.map((row) => row.type), type: 'STRING' },
      { name: 'value', data: rows.map((row) => row.value), type: 'FLOAT' },
      { name: 'grade', data: rows.map((row) => row.grade), type: 'INT32' },
      { name: 'occurred_at', data: rows.map((row) => row.occurred_at), type: 'TIMESTAMP' },
      { name: 'received_at', data: rows.map((row) => row.received_at), type: 'TIMESTAMP' },
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
  cutoff: Date,
): Promise<{ file: string; rows: number } | null> {
  const selected = await tx.query<Omit<ArchivedRow, 'seq'> & { seq: string }>(
    `SELECT id::text, reader, book_id::text, isbn13, type, value, grade, occurred_at, received_at, seq::text
       FROM interactions
      WHERE tenant_id = $1 AND occurred_at < $2 AND occurred_at >= $3::date AND occurred_at < $3::date + 1
      ORDER BY seq FOR UPDATE`,
    [tenantId, cutoff, date],
  );
  if (selected.rows.length === 0) return null;
  const rows: ArchivedRow[] = selected.rows.map((row) => ({
    ...row,
    value: row.value === null ? null : Number(row.value),
    occurred_at: new Date(row.occurred_at),
    received_at: new Date(row.received_at),
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
  const evidence = new Map<string, { reader: string; book: string; weight: number; grade: number | null }>();
  for (const row of rows) {
    const weight = evidenceWeight(row.type, row.value);
    const book = bookKey({ id: row.book_id, isbn13: row.isbn13 });
    const key = `${row.reader}\u0000${book}`;
    const entry = evidence.get(key) ?? { reader: row.reader, book, weight: 0, grade: null };
    entry.weight += weight;
    entry.grade = row.grade ?? entry.grade;
    evidence.set(key, entry);
  }
  const entries = [...evidence.values()];
  await tx.query(
    `INSERT INTO evidence (tenant_id, reader, book_key, weight, grade)
     SELECT $1, x.r, x.b, x.w, x.g FROM unnest($2::text[], $3::text[], $4::float8[], $5::smallint[]) AS x(r, b, w, g)
     ON CONFLICT (tenant_id, reader, book_key)
       DO UPDATE SET weight = evidence.weight + excluded.weight, grade = coalesce(excluded.grade, evidence.grade)`,
    [
      tenantId,
      entries.map((entry) => entry.reader),
      entries.map((entry) => entry.book),
      entries.map((entry) => entry.weight),
      entries.map((entry) => entry.grade),
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

/** Archives every tenant's (or one tenant's) rows older than 48 h before `now`. */
export async function archiveOld(
  db: ServerDb,
  archiveDir: string,
  options: { now?: Date; tenantId?: string } = {},
): Promise<ArchiveReport> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - ARCHIVE_AFTER_MS);
  const partitions = await db.query<{ tenant_id: string; date: string }>(
    `SELECT DISTINCT tenant_id::text, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date
       FROM interactions WHERE occurred_at < $1 AND ($2::uuid IS NULL OR tenant_id = $2) ORDER BY 1, 2`,
    [cutoff, options.tenantId ?? null],
  );
  const report: ArchiveReport = { files: [], rows: 0 };
  for (const { tenant_id: tenantId, date } of partitions.rows) {
    const written = await db.transaction(async (tx) => {
      await tx.query("SET LOCAL TIME ZONE 'UTC'");
      return archivePartition(tx, archiveDir, tenantId, date, cutoff);
    });
    if (written) {
      report.files.push(written.file);
      report.rows += written.rows;
    }
  }
  return report;
}
