/**
 * ALS on worker threads: the training engine lives in a shared WebAssembly memory, and each step of a
 * half-iteration (partial Gramians, then row solves) is spread over the workers through a shared task
 * counter. Results are bit-identical to `createAls().fit` for the same options, whatever the thread count.
 */
import type { Worker } from 'node:worker_threads';
import {
  allRecommendations,
  alsFromEngine,
  alsOptions,
  createAls,
  servingEngine,
  trainingShape,
  type AllRecommendations,
  type AlsOptions,
  type AlsRecommender,
} from '../../shared/ml/als';
import { AlsEngine, type Side } from '../../shared/ml/als-engine';
import { kernelModule } from '../../shared/ml/als-wasm-runtime';
import type { InteractionMatrix } from '../../shared/ml/recommender';
import { ask, startWorker } from '../threads/start';
import type { AlsReply, AlsTask } from './als-worker';

/** The pool's thread (`als-worker.js` beside a bundle). */
const ALS_WORKER = { name: 'als', source: 'workers/ml/als-worker.ts' };

/** How many worker threads; 1 runs everything on the calling thread. */
export interface AlsThreads {
  threads: number;
}

/** A fixed set of ALS worker threads. Close it when done. */
export class AlsPool {
  private readonly workers: Worker[];
  private attached: AlsEngine | undefined;

  constructor(readonly threads: number) {
    if (!(Number.isInteger(threads) && threads >= 2)) throw new RangeError('AlsPool: threads must be ≥ 2');
    this.workers = Array.from({ length: threads }, () => startWorker(ALS_WORKER));
    // Idle workers must not keep the process alive; busy ones must (a pending promise does not).
    for (const worker of this.workers) worker.unref();
  }

  /** Sends `task` to every worker and waits until all have answered. */
  private async broadcast(task: (index: number) => AlsTask): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker, index) => {
        worker.ref();
        try {
          const reply = await ask<AlsReply>(worker, task(index));
          if (reply.type === 'failed') throw new Error(`ALS worker: ${reply.message}`);
        } finally {
          worker.unref();
        }
      }),
    );
  }

  private async attach(engine: AlsEngine): Promise<void> {
    if (this.attached === engine) return;
    const module = kernelModule(engine.layout.stride, true);
    await this.broadcast((index) => ({
      type: 'attach',
      memory: engine.memory,
      layout: engine.layout,
      module,
      slot: index + 1,
    }));
    this.attached = engine;
  }

  private async phase(engine: AlsEngine, task: AlsTask): Promise<void> {
    engine.resetCounter(0);
    await this.broadcast(() => task);
  }

  /** Fits ALS on the workers; the same factors as `createAls(options).fit(matrix)`. */
  async fit(matrix: InteractionMatrix, options?: Partial<AlsOptions>): Promise<AlsRecommender> {
    const settings = alsOptions(options);
    const engine = AlsEngine.create(trainingShape(matrix, settings.factors, this.threads + 1), true);
    engine.loadMatrix(matrix, settings.alpha);
    engine.initialize(settings.seed);
    await this.attach(engine);
    for (let iteration = 0; iteration < settings.iterations; iteration += 1) {
      for (const side of ['user', 'item'] as Side[]) {
        await this.phase(engine, { type: 'gram', side });
        engine.reduceGram(side, settings.regularization);
        await this.phase(engine, { type: 'solve', side, steps: settings.cgSteps });
      }
    }
    return alsFromEngine(settings, servingEngine(engine, settings, true, this.threads + 1));
  }

  /** Every user's top-k, the same as `model.recommendAll(k)`, computed on the workers. */
  async recommendAll(model: AlsRecommender, k: number): Promise<AllRecommendations> {
    let engine = model.engine();
    if (!engine.shared || engine.layout.slots < this.threads + 1)
      engine = servingEngine(engine, model.options, true, this.threads + 1);
    const { users } = engine.layout;
    const all = allRecommendations(users, k);
    const items = new SharedArrayBuffer(all.items.byteLength);
    const scores = new SharedArrayBuffer(all.scores.byteLength);
    new Int32Array(items).set(all.items);
    new Float32Array(scores).set(all.scores);
    await this.attach(engine);
    await this.phase(engine, { type: 'recommend', k, items, scores });
    return { k, items: new Int32Array(items), scores: new Float32Array(scores) };
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Fits ALS on `threads` worker threads (on the calling thread when threads is 1). */
export async function fitAls(
  matrix: InteractionMatrix,
  options: Partial<AlsOptions> = {},
  { threads }: AlsThreads,
): Promise<AlsRecommender> {
  if (threads <= 1) {
    const model = createAls(options);
    model.fit(matrix);
    return model;
  }
  const pool = new AlsPool(threads);
  try {
    return await pool.fit(matrix, options);
  } finally {
    await pool.close();
  }
}

/** Every user's top-k on `threads` worker threads. */
export async function recommendAllAls(
  model: AlsRecommender,
  k: number,
  { threads }: AlsThreads,
): Promise<AllRecommendations> {
  if (threads <= 1) return model.recommendAll(k);
  const pool = new AlsPool(threads);
  try {
    return await pool.recommendAll(model, k);
  } finally {
    await pool.close();
  }
}
