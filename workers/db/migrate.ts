/**
 * Numbered, append-only SQL migrations (`NNNN_name.sql`). Each runs in its own transaction together
 * with the row that records it, so a failing migration leaves the database at the previous version.
 * Checksums of applied migrations are verified at every open: editing a shipped migration is a bug
 * that must not silently diverge the schemas of existing installs.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { LuminFailure } from '../../shared/contract/errors';

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads and orders the migrations in `directory`; refuses gaps, duplicates and stray names. */
export function loadMigrations(directory: string): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(directory).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`migration file ${join(directory, file)} must be named NNNN_snake_name.sql`);
    const sql = readFileSync(join(directory, file), 'utf8');
    migrations.push({
      version: Number(match[1]),
      name: file,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(
        `migrations in ${directory} must be numbered 0001, 0002, … without gaps; found ${migration.name}`,
      );
  });
  return migrations;
}

/** The highest applied version (0 for a new database). */
export async function schemaVersion(db: PGlite): Promise<number> {
  const result = await db.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return result.rows[0]?.version ?? 0;
}

type Applied = { version: number; name: string; checksum: string };

/** The recorded migrations; creates the record table in a new database. */
async function appliedMigrations(db: PGlite): Promise<{ rows: Applied[] }> {
  // One query on the common path: every open of an existing library runs this first.
  try {
    return await db.query<Applied>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') throw error; // 42P01: undefined table
  }
  await db.exec(`CREATE TABLE schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  return { rows: [] };
}

/** Applies every migration newer than the database; returns the resulting version. */
export async function migrate(db: PGlite, migrations: Migration[]): Promise<number> {
  const applied = await appliedMigrations(db);
  for (const row of applied.rows) {
    const shipped = migrations[row.version - 1];
    if (shipped && shipped.checksum !== row.checksum)
      throw new LuminFailure(
        'migration_failed',
        `migration ${row.name} was changed after it was applied (migrations are append-only)`,
        { version: row.version },
      );
  }
  let version = applied.rows.at(-1)?.version ?? 0;
  if (version > migrations.length)
    throw new LuminFailure(
      'migration_failed',
      `this data directory has schema version ${version}, newer than this Lumin knows (${migrations.length}); update Lumin`,
      { version, known: migrations.length },
    );
  for (const migration of migrations.slice(version)) {
    try {
      await db.transaction(async (tx) => {
        await tx.exec(migration.sql);
        await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
      });
    } catch (error) {
      throw new LuminFailure(
        'migration_failed',
        `migration ${migration.name} failed: ${(error as Error).message}; the database stays at version ${version}`,
        { version, failed: migration.version },
      );
    }
    version = migration.version;
  }
  return version;
}
