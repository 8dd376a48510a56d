/** A worker thread of the tuning pool: runs fold tasks on its copy of the training matrix. */
import { parentPort, workerData } from 'node:worker_threads';
import type { InteractionMatrix } from '../../shared/ml/recommender';
import { type FoldTask, runFoldTask } from '../../shared/ml/tune';

/** What the pool sends with each worker. */
export interface TuneWorkerData {
  train: InteractionMatrix;
  seed: number;
  k: number;
}

/** A task with its position, and the answer to it. */
export type TuneRequest = { id: number; task: FoldTask };
export type TuneReply =
  { id: number; result: ReturnType<typeof runFoldTask> } | { id: number; error: string };

const { train, seed, k } = workerData as TuneWorkerData;
const port = parentPort;
port?.on('message', (request: TuneRequest) => {
  let reply: TuneReply;
  try {
    reply = { id: request.id, result: runFoldTask(train, seed, k, request.task) };
  } catch (error) {
    reply = { id: request.id, error: (error as Error).stack ?? String(error) };
  }
  port.postMessage(reply);
});
