/** The core's worker threads, started by the one start-up helper (workers/threads/start.ts). */
import type { Worker } from 'node:worker_threads';
import { startWorker as start } from '../threads/start';

/** The workers the core runs. */
export type WorkerName = 'db' | 'embed';

const SOURCES: Record<WorkerName, string> = { db: 'workers/db/worker.ts', embed: 'workers/embed/worker.ts' };

/** Starts worker `name` (from source through tsx, or `<name>-worker.js` beside the bundle). */
export function startWorker(name: WorkerName): Worker {
  return start({ name, source: SOURCES[name] });
}
