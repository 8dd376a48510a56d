// Makes resources/pgdata-template: an initialised, empty PGlite cluster with pgvector, made with the
// exact pinned PGlite, so a new data directory is a copy instead of a 3–8 s initdb.
// Runs at install (postinstall) and before packaging; idempotent.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'resources', 'pgdata-template');
const metaPath = `${target}.json`;
const pgliteManifest = join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json');
const version = JSON.parse(readFileSync(pgliteManifest, 'utf8')).version;

if (existsSync(metaPath) && existsSync(join(target, 'PG_VERSION'))) {
  const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  if (meta.pglite === version && !process.argv.includes('--force')) {
    console.log(`pgdata template for PGlite ${version} is up to date`);
    process.exit(0);
  }
}
mkdirSync(dirname(target), { recursive: true });
const staging = `${target}.tmp-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
const started = performance.now();
const db = await PGlite.create({ dataDir: staging, extensions: { vector } });
await db.exec('CHECKPOINT');
await db.close();
rmSync(target, { recursive: true, force: true });
renameSync(staging, target);
writeFileSync(metaPath, `${JSON.stringify({ pglite: version, createdAt: new Date().toISOString() })}\n`);
console.log(`pgdata template for PGlite ${version} made in ${Math.round(performance.now() - started)} ms`);
