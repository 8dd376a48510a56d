/**
 * Starts a core worker thread. From source (tsx, vitest) the TypeScript entry runs through a tsx
 * bootstrap; from the electron-vite bundle the compiled `<name>-worker.js` beside the bundle runs.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** The workers the core runs. */
export type WorkerName = 'db' | 'embed';

const SOURCE_ENTRIES: Record<WorkerName, string> = { db: '../db/worker.ts', embed: '../embed/worker.ts' };

/**
 * A db worker bin/lumin.js started while the CLI bundle loaded (the two load their modules on two
 * cores at once). Taken by the first `startWorker('db')`; unref'd until then, so a command that
 * never opens the core still exits.
 */
const EARLY_DB_WORKER = Symbol.for('lumin.earlyDbWorker');

/** Starts worker `name`. */
export function startWorker(name: WorkerName): Worker {
  const early = name === 'db' ? takeEarlyWorker() : undefined;
  if (early) return early;
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return new Worker(new URL('./tsx-bootstrap.mjs', here), {
      workerData: { luminEntry: new URL(SOURCE_ENTRIES[name], here).href },
      name: `lumin-${name}`,
    });
  }
  // The bundler may put this code in the entry file or in a shared chunk one folder down.
  const candidates = [new URL(`./${name}-worker.js`, here), new URL(`../${name}-worker.js`, here)];
  const entry = candidates.find((url) => existsSync(url));
  if (!entry) throw new Error(`lumin: the bundled ${name} worker is missing next to ${here}`);
  return new Worker(entry, { name: `lumin-${name}` });
}

function takeEarlyWorker(): Worker | undefined {
  const slot = globalThis as { [EARLY_DB_WORKER]?: Worker };
  const early = slot[EARLY_DB_WORKER];
  delete slot[EARLY_DB_WORKER];
  early?.ref();
  return early;
}
