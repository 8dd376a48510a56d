/**
 * Starting a worker thread, for every part that runs one: the core's db and embed workers, the ALS and
 * tuning pools, and the sync server's nightly job. From source (tsx, vitest, benchmarks) the TypeScript
 * entry runs through `tsx-bootstrap.mjs`, which registers tsx in the new thread first; from a bundle
 * (electron-vite's out/main/, the CLI's out/cli/) the compiled `<name>-worker.js` runs, which the
 * bundler puts beside the entry file while this code may sit in the entry or in a chunk one folder down.
 * Entries are named by their path from the repository root, resolved here at run time: a literal
 * `new URL('./x.ts', import.meta.url)` would be rewritten by the bundler.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** A worker thread's entry. */
export interface WorkerEntry {
  /** The thread is called `lumin-<name>`; its bundled entry is `<name>-worker.js`. */
  name: string;
  /** Its TypeScript entry from the repository root, e.g. `workers/ml/als-worker.ts`. */
  source: string;
}

const here = import.meta.url;
/** Each started thread's name, for messages. */
const names = new WeakMap<Worker, string>();

/**
 * Starts `entry` in a new worker thread. `workerData` (plain data: it is cloned into the thread) is
 * what the thread reads as `workerData`, with `luminEntry` added from source.
 */
export function startWorker(entry: WorkerEntry, workerData: Record<string, unknown> = {}): Worker {
  const name = `lumin-${entry.name}`;
  let worker: Worker;
  if (here.endsWith('.ts'))
    worker = new Worker(new URL('./tsx-bootstrap.mjs', here), {
      workerData: { ...workerData, luminEntry: new URL(`../../${entry.source}`, here).href },
      name,
    });
  else {
    const file = `${entry.name}-worker.js`;
    const found = [new URL(`./${file}`, here), new URL(`../${file}`, here)].find((url) => existsSync(url));
    if (!found)
      throw new Error(`lumin: the bundled ${entry.name} worker (${file}) is missing next to ${here}`);
    worker = new Worker(found, { workerData, name });
  }
  names.set(worker, name);
  return worker;
}

/**
 * Posts `message` (none when undefined) and resolves with the thread's next message. Rejects when the
 * thread throws or exits before answering, so a crashed worker never leaves its caller waiting.
 */
export function ask<Reply>(worker: Worker, message?: unknown): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const stop = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: Reply) => {
      stop();
      resolve(reply);
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onExit = (code: number) => {
      stop();
      reject(new Error(`${names.get(worker) ?? 'a worker'} exited with code ${code} before answering`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    if (message !== undefined) worker.postMessage(message);
  });
}
