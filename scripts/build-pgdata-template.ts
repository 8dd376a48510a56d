/**
 * Makes resources/pgdata-template: an initialised PGlite cluster with pgvector and every shipped
 * migration applied, made with the exact pinned PGlite. A new library copies it instead of running
 * initdb (3–8 s) and the first migrations (about 0.5 s). Runs at install (postinstall) and before
 * packaging; idempotent: it rebuilds only when PGlite or the migrations changed (or with --force).
 *
 * The template is trimmed because every new library copies it: WAL segments are 1 MB instead of
 * 16 MB (a single-user desktop database gains nothing from large ones), and only the `postgres`
 * database is kept.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { migrationsDir, templateDir } from '../workers/db/layout';
import { loadMigrations, migrate } from '../workers/db/migrate';
import { type TemplateMeta, pgliteVersion } from '../workers/db/open';

const target = templateDir();
const metaPath = `${target}.json`;
const migrations = loadMigrations(migrationsDir());
const wanted: TemplateMeta = {
  pglite: pgliteVersion(),
  migrations: migrations.map((migration) => migration.checksum),
};

if (existsSync(metaPath) && existsSync(`${target}/PG_VERSION`) && !process.argv.includes('--force')) {
  const { directories, ...made } = JSON.parse(readFileSync(metaPath, 'utf8')) as TemplateMeta;
  if (directories && JSON.stringify(made) === JSON.stringify(wanted)) {
    console.log(`pgdata template (PGlite ${wanted.pglite}, ${migrations.length} migrations) is up to date`);
    process.exit(0);
  }
}
mkdirSync(dirname(target), { recursive: true });
const staging = `${target}.tmp-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
const started = performance.now();
const db = await PGlite.create({
  dataDir: staging,
  extensions: { vector },
  initDbStartParams: ['--wal-segsize=1'],
});
await migrate(db, migrations);
// Lumin uses only the `postgres` database. template0 and template1 exist for CREATE DATABASE, which
// Lumin never runs; dropping them takes 14 of 25 MB off the copy every new library makes.
for (const name of ['template1', 'template0']) {
  await db.exec(`ALTER DATABASE ${name} IS_TEMPLATE false`);
  await db.exec(`DROP DATABASE ${name}`); // one statement per call: DROP DATABASE refuses a transaction block
}
await db.exec('CHECKPOINT');
const current = await db.query<{ name: string }>('SELECT pg_walfile_name(pg_current_wal_lsn()) AS name');
await db.close();
// Keep only the WAL segment holding the checkpoint; the others are recycled spares Postgres
// recreates when it needs them, and every first open would copy them for nothing.
const keep = current.rows[0]?.name;
for (const file of readdirSync(join(staging, 'pg_wal'))) {
  if (/^[0-9A-F]{24}$/.test(file) && keep && file !== keep) rmSync(join(staging, 'pg_wal', file));
}
rmSync(target, { recursive: true, force: true });
rmSync(metaPath, { force: true });
renameSync(staging, target);
const directories = readdirSync(target, { withFileTypes: true, recursive: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => relative(target, join(entry.parentPath, entry.name)))
  .sort();
writeFileSync(metaPath, `${JSON.stringify({ ...wanted, directories } satisfies TemplateMeta)}\n`);
console.log(
  `pgdata template (PGlite ${wanted.pglite}, ${migrations.length} migrations) made in ${Math.round(performance.now() - started)} ms`,
);
