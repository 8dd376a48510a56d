/** The core's worker threads, started by the one start-up helper (workers/threads/start.ts). */
import type { Worker } from 'node:worker_threads';
import { startWorker as start } from '../threads/start';

/** The workers the core runs. */
export type WorkerName = 'db' | 'embed';

const SOURCES: Record<WorkerName, string> = { db: 'workers/db/worker.ts', embed: 'workers/embed/worker.ts' };

/**
 * A db worker bin/lumin.js started while the CLI bundle loaded (the two load their modules on two
 * cores at once). Taken by the first `startWorker('db')`; unref'd until then, so a command that
 * never opens the core still exits.
 */
const EARLY_DB_WORKER = Symbol.for('lumin.earlyDbWorker');

/** Starts worker `name` (from source through tsx, or `<name>-worker.js` beside the bundle). */
export function startWorker(name: WorkerName): Worker {
  const early = name === 'db' ? takeEarlyWorker() : undefined;
  return early ?? start({ name, source: SOURCES[name] });
}

function takeEarlyWorker(): Worker | undefined {
  const slot = globalThis as { [EARLY_DB_WORKER]?: Worker };
  const early = slot[EARLY_DB_WORKER];
  delete slot[EARLY_DB_WORKER];
  early?.ref();
  return early;
}
