/** Opening a library in the db worker: the cluster (from the template or initdb), migrations, interrupted jobs. */
import type { PGlite } from '@electric-sql/pglite';
import { recoverInterruptedJobs } from './jobs';
import { dataLayout } from './layout';
import { loadMigrations, migrate } from './migrate';
import { openCluster } from './open';

/** Options of `open`. */
export interface DbOpenOptions {
  dataDir: string;
  appVersion: string;
  migrationsDir: string;
  /** Load the serving memory in the background (default true; one-shot CLI commands skip it). */
  servingMemory?: boolean;
}

/** What `open` reports. */
export interface DbOpened {
  schemaVersion: number;
  /** How the cluster was made on this open: copied from the build-time template, initdb, or not at all. */
  created: 'template' | 'initdb' | false;
  recoveredJobs: number;
  /** Where open's time went, in ms (for benchmarks and slow-start reports). */
  timings: { cluster: number; migrate: number };
}

/** Opens and migrates the database of `settings.dataDir`; closes it again when a step fails. */
export async function openLibrary(settings: DbOpenOptions): Promise<{ db: PGlite; opened: DbOpened }> {
  let db: PGlite | null = null;
  try {
    const started = performance.now();
    const migrations = loadMigrations(settings.migrationsDir);
    const cluster = await openCluster(
      dataLayout(settings.dataDir).pgdata,
      migrations.map((migration) => migration.checksum),
    );
    db = cluster.db;
    const clusterReady = performance.now();
    const schemaVersion = await migrate(db, migrations);
    const timings = { cluster: clusterReady - started, migrate: performance.now() - clusterReady };
    const recoveredJobs = await recoverInterruptedJobs(db);
    return { db, opened: { schemaVersion, created: cluster.created, recoveredJobs, timings } };
  } catch (error) {
    await db?.close().catch(() => undefined);
    throw error;
  }
}
