/**
 * `npm run bench -- durability --json`: what durability costs. On a new library (the pgdata template
 * and the migrations), for a 10,000-row import commit (10,000 books and 10,000 interactions written in
 * one transaction, as the import writes them) and for a single interaction write, prints
 * `{ import: {commit_ms_fsync_off, commit_ms_fsync_on, checkpoint_ms}, interaction: {…} }`: the commit
 * with PGlite as Lumin runs it (fsync off), with Postgres' fsync on, and the durable point Lumin takes
 * instead (CHECKPOINT + fsync of the data files, workers/db/durability.ts). Interaction figures are
 * medians of 50 writes, each followed by its own checkpoint for checkpoint_ms.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { durablePoint } from '../workers/db/durability';
import { migrationsDir, templateDir } from '../workers/db/layout';
import { loadMigrations, migrate } from '../workers/db/migrate';

const ROWS = 10_000;
const WRITES = 50;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function library(folder: string, fsync: boolean): Promise<PGlite> {
  const pgdata = join(folder, fsync ? 'on' : 'off');
  cpSync(templateDir(), pgdata, { recursive: true });
  const startParams = [
    ...PGlite.defaultStartParams,
    ...(fsync ? ['-c', 'fsync=on', '-c', 'synchronous_commit=on'] : []),
  ];
  const db = await PGlite.create({ dataDir: pgdata, extensions: { vector }, startParams });
  await migrate(db, loadMigrations(migrationsDir()));
  return db;
}

async function importCommit(db: PGlite): Promise<number> {
  const started = performance.now();
  await db.transaction(async (tx) => {
    const reader = await tx.query<{ id: string }>("INSERT INTO readers (name) VALUES ('Bench') RETURNING id");
    const offset = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM books');
    await tx.query(
      `WITH made AS (
         INSERT INTO books (title, authors, isbn13, pages, year)
         SELECT 'Book ' || n, ARRAY['Author ' || (n % 900)], '978' || lpad(n::text, 10, '0'), 100 + n % 400, 1950 + n % 70
           FROM generate_series($3::int + 1, $3::int + $1::int) AS n RETURNING id)
       INSERT INTO interactions (id, reader_id, book_id, type)
       SELECT gen_random_uuid(), $2::uuid, id, 'finish' FROM made`,
      [ROWS, reader.rows[0]?.id, offset.rows[0]?.n ?? 0],
    );
  });
  return performance.now() - started;
}

async function interactionWrite(db: PGlite): Promise<number> {
  const started = performance.now();
  await db.query(
    `INSERT INTO interactions (id, reader_id, book_id, type)
     SELECT gen_random_uuid(), (SELECT id FROM readers LIMIT 1), (SELECT id FROM books ORDER BY random() LIMIT 1), 'view'`,
  );
  return performance.now() - started;
}

/** Runs the benchmark and returns the JSON line's object. */
export async function runDurabilityBench(): Promise<Record<string, Record<string, number>>> {
  const scratch = mkdtempSync(join(tmpdir(), 'lumin-bench-durability-'));
  try {
    const figures: Record<string, Record<string, number>> = { import: {}, interaction: {} };
    for (const fsync of [false, true]) {
      const db = await library(scratch, fsync);
      await importCommit(db); // warm-up: the first transaction pays for compiling and caches
      const key = fsync ? 'commit_ms_fsync_on' : 'commit_ms_fsync_off';
      (figures.import as Record<string, number>)[key] = Math.round(await importCommit(db));
      const pgdata = join(scratch, fsync ? 'on' : 'off');
      if (!fsync)
        (figures.import as Record<string, number>).checkpoint_ms = Math.round(await durablePoint(db, pgdata));
      const writes: number[] = [];
      const checkpoints: number[] = [];
      for (let index = 0; index < WRITES; index += 1) {
        writes.push(await interactionWrite(db));
        if (!fsync) checkpoints.push(await durablePoint(db, pgdata));
      }
      (figures.interaction as Record<string, number>)[key] = Number(median(writes).toFixed(2));
      if (!fsync)
        (figures.interaction as Record<string, number>).checkpoint_ms = Number(
          median(checkpoints).toFixed(2),
        );
      await db.close();
    }
    return figures;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
