/**
 * The server's numbered migrations (`server/migrations/NNNN_name.sql`), each applied once in its own
 * transaction and recorded with its checksum; an edited applied migration refuses to start.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerDb } from './db';

/** The shipped migrations folder. */
export const SERVER_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Brings the schema up to date; returns the version. */
export async function migrateServer(db: ServerDb, folder = SERVER_MIGRATIONS): Promise<number> {
  // Instances starting together take turns (a transaction-level advisory lock), so each migration is
  // applied once and nobody fails on the other's CREATE.
  const lock = "SELECT pg_advisory_xact_lock(hashtext('lumin-server-migrate'))";
  await db.transaction(async (tx) => {
    await tx.query(lock);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  const files = readdirSync(folder)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort();
  const applied = await db.query<{ version: number; checksum: string }>(
    'SELECT version, checksum FROM schema_migrations',
  );
  const known = new Map(applied.rows.map((row) => [row.version, row.checksum]));
  let version = 0;
  for (const name of files) {
    version = Number(name.slice(0, 4));
    const sql = readFileSync(join(folder, name), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    const previous = known.get(version);
    if (previous !== undefined) {
      if (previous !== checksum) throw new Error(`server migration ${name} was edited after it was applied`);
      continue;
    }
    await db.transaction(async (tx) => {
      await tx.query(lock);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
      if (done.rows.length > 0) return;
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        version,
        name,
        checksum,
      ]);
    });
  }
  return version;
}
