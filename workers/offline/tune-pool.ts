/**
 * `--algo auto`'s search on worker threads: the fold tasks of `tune` (one configuration on one
 * validation fold each) are handed to idle workers in order. Results do not depend on the thread count,
 * because every task is deterministic and results are put back in task order.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { FoldExecutor, FoldTask, FoldTaskResult } from '../../shared/ml/tune';
import { ask, startWorker } from '../threads/start';
import type { TuneReply, TuneRequest, TuneWorkerData } from './tune-worker';

/** The pool's thread (`tune-worker.js` beside a bundle). */
const TUNE_WORKER = { name: 'tune', source: 'workers/offline/tune-worker.ts' };

/** Threads to use by default: every core, at most 4 (each holds its own models). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
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
  const workers = Array.from({ length: threads }, () => startWorker(TUNE_WORKER, { ...data }));
  // Each worker takes the next task as soon as it answers; results go back in task order.
  const executor: FoldExecutor = async (tasks) => {
    const results = new Array<FoldTaskResult>(tasks.length);
    let next = 0;
    let failed = false;
    const drain = async (worker: Worker) => {
      while (next < tasks.length && !failed) {
        const id = next;
        next += 1;
        const reply = await ask<TuneReply>(worker, { id, task: tasks[id] as FoldTask } satisfies TuneRequest);
        if ('error' in reply) {
          failed = true;
          throw new Error(`tuning worker: ${reply.error}`);
        }
        results[reply.id] = reply.result;
      }
    };
    await Promise.all(workers.map(drain));
    return results;
  };
  try {
    return await body(executor);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
