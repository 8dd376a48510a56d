/**
 * `--algo auto`'s search on worker threads: the fold tasks of `tune` (one configuration on one
 * validation fold each) are handed to idle workers in order. Results do not depend on the thread count,
 * because every task is deterministic and results are put back in task order.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FoldExecutor, FoldTaskResult } from '../../shared/ml/tune';
import type { TuneReply, TuneWorkerData } from './tune-worker';

/** Threads to use by default: every core, at most 4 (each holds its own models). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

function startWorker(data: TuneWorkerData): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts'))
    // From source (CLI, tests): the same tsx bootstrap as the core's workers.
    return new Worker(new URL('../host/tsx-bootstrap.mjs', here), {
      workerData: { luminEntry: new URL('./tune-worker.ts', here).href, ...data },
      name: 'lumin-tune',
    });
  const entry = new URL('./tune-worker.js', here);
  if (!existsSync(entry)) throw new Error(`lumin: the tuning worker is missing next to ${here}`);
  return new Worker(entry, { workerData: data, name: 'lumin-tune' });
}

/**
 * Runs `body` with an executor over `threads` workers (none when threads ≤ 1: `tune` then runs in this
 * thread), and stops the workers afterwards.
 */
export async function withTunePool<T>(
  data: TuneWorkerData,
  threads: number,
  body: (executor: FoldExecutor | undefined) => Promise<T>,
): Promise<T> {
  if (threads <= 1) return body(undefined);
  const workers = Array.from({ length: threads }, () => startWorker(data));
  const executor: FoldExecutor = (tasks) =>
    new Promise((resolve, reject) => {
      const results: FoldTaskResult[] = new Array<FoldTaskResult>(tasks.length);
      let next = 0;
      let done = 0;
      let failed = false;
      if (tasks.length === 0) resolve(results);
      const feed = (worker: Worker) => {
        if (next >= tasks.length || failed) return;
        const id = next;
        next += 1;
        worker.postMessage({ id, task: tasks[id] });
      };
      for (const worker of workers) {
        worker.removeAllListeners('message').removeAllListeners('error');
        worker.on('message', (reply: TuneReply) => {
          if ('error' in reply) {
            failed = true;
            reject(new Error(`tuning worker: ${reply.error}`));
            return;
          }
          results[reply.id] = reply.result;
          done += 1;
          if (done === tasks.length) resolve(results);
          else feed(worker);
        });
        worker.on('error', (error) => {
          failed = true;
          reject(error);
        });
        feed(worker);
      }
    });
  try {
    return await body(executor);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
