/**
 * Opens the PGlite cluster of a data directory. A new directory is not initdb'd (3–8 s): the empty
 * cluster made at build time with the same pinned PGlite is copied in, then renamed into place so a
 * crash mid-copy never leaves a half-made cluster behind.
 */
import {
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { templateDir } from './layout';

/** The PGlite version the template must have been made with. */
export function pgliteVersion(): string {
  return PGLITE_VERSION;
}

// Read once: the pin in package.json is exact, and a template from another version must not be used.
const PGLITE_VERSION: string = (() => {
  let directory = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (dirname(directory) !== directory) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === '@electric-sql/pglite') return parsed.version ?? 'unknown';
    }
    directory = dirname(directory);
  }
  return 'unknown';
})();

/** Bytes under `directory` (files only; a missing directory has none). */
function directoryBytes(directory: string): number {
  let total = 0;
  if (!existsSync(directory)) return 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

/**
 * The buffer pool for a cluster of this size. A small library gets 32 MB instead of PGlite's 128:
 * the smaller pool saves about 110 MB of RSS and part of the start-up (measured: open 560 → 480 ms,
 * RSS 315 → 205 MB). A larger one gets a pool its own size, at most 512 MB: PGlite reads every page
 * that misses the pool through Emscripten's file system, and an HNSW search touches a thousand
 * pages, so at 100K books × 384 dimensions (a 500 MB cluster) a top-100 query took 18.5 ms with
 * 32 MB and 11.3 ms with 512 MB (measured side by side on the serve benchmark's library).
 */
export function sharedBuffersMb(clusterBytes: number): number {
  const size = clusterBytes / 2 ** 20;
  return size <= 64 ? 32 : Math.min(512, Math.ceil(size / 32) * 32);
}

/** Creates a PGlite instance on `directory` with the extensions Lumin needs, optionally unpacking a dump. */
export function createPglite(directory: string, loadDataDir?: Blob): Promise<PGlite> {
  const buffers = sharedBuffersMb(directoryBytes(join(directory, 'base')));
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${buffers}MB`];
  const options = { dataDir: directory, extensions: { vector }, startParams };
  return PGlite.create(loadDataDir ? { ...options, loadDataDir } : options);
}

function isEmptyOrMissing(directory: string): boolean {
  return !existsSync(directory) || readdirSync(directory).length === 0;
}

/** What `resources/pgdata-template.json` records about the template. */
export interface TemplateMeta {
  /** The PGlite version that made it. */
  pglite: string;
  /** Checksums of the migrations applied in it, in order. */
  migrations: string[];
  /**
   * Every folder of the cluster, relative to it. Packaging (asar, installers) drops empty folders,
   * and Postgres will not start without pg_tblspc, pg_notify, pg_wal/archive_status and the rest.
   */
  directories?: string[];
}

function readTemplateMeta(template: string): Partial<TemplateMeta> | null {
  const metaPath = `${template}.json`;
  if (!existsSync(metaPath) || !existsSync(`${template}/PG_VERSION`)) return null;
  return JSON.parse(readFileSync(metaPath, 'utf8')) as Partial<TemplateMeta>;
}

/**
 * True when the build-time template was made by the installed PGlite and its migrations are a prefix
 * of the shipped ones (newer migrations are applied at open as usual).
 */
export function templateIsUsable(shippedChecksums: string[], template = templateDir()): boolean {
  const meta = readTemplateMeta(template);
  if (!meta) return false;
  const applied = meta.migrations ?? [];
  return (
    meta.pglite === PGLITE_VERSION &&
    applied.length <= shippedChecksums.length &&
    applied.every((checksum, index) => checksum === shippedChecksums[index])
  );
}

/**
 * Opens (creating when new) the cluster at `pgdata`. Returns how it was made, for benchmarks and logs.
 */
export async function openCluster(
  pgdata: string,
  shippedChecksums: string[],
): Promise<{ db: PGlite; created: 'template' | 'initdb' | false }> {
  if (!isEmptyOrMissing(pgdata)) return { db: await createPglite(pgdata), created: false };
  const staging = `${pgdata}.new-${process.pid}-${Date.now()}`;
  rmSync(pgdata, { recursive: true, force: true });
  let created: 'template' | 'initdb';
  if (templateIsUsable(shippedChecksums)) {
    // Copy-on-write clones where the file system has them (APFS, btrfs, XFS), plain copies elsewhere.
    cpSync(templateDir(), staging, { recursive: true, mode: constants.COPYFILE_FICLONE });
    for (const directory of readTemplateMeta(templateDir())?.directories ?? [])
      mkdirSync(join(staging, directory), { recursive: true });
    created = 'template';
  } else {
    // No template, or one made for other migrations (a checkout that skipped `npm run build:pgdata`): slow but correct.
    console.warn(
      `lumin: no usable database template for PGlite ${PGLITE_VERSION}; running initdb (a few seconds)`,
    );
    const fresh = await createPglite(staging);
    await fresh.close();
    created = 'initdb';
  }
  renameSync(staging, pgdata);
  return { db: await createPglite(pgdata), created };
}
