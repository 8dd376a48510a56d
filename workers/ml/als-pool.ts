/**
 * ALS on worker threads: the training engine lives in a shared WebAssembly memory, and each step of a
 * half-iteration (partial Gramians, then row solves) is spread over the workers through a shared task
 * counter. Results are bit-identical to `createAls().fit` for the same options, whatever the thread count.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
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
import type { AlsReply, AlsTask } from './als-worker';

/** How many worker threads; 1 runs everything on the calling thread. */
export interface AlsThreads {
  threads: number;
}

function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // From source (tests, CLI, benchmarks): the same tsx bootstrap as the core's workers.
    return new Worker(new URL('../host/tsx-bootstrap.mjs', here), {
      workerData: { luminEntry: new URL('./als-worker.ts', here).href },
      name: 'lumin-als',
    });
  }
  // The bundler may put this code in the entry file or in a shared chunk one folder down.
  const candidates = [new URL('./als-worker.js', here), new URL('../als-worker.js', here)];
  const entry = candidates.find((url) => existsSync(url));
  if (!entry) throw new Error(`lumin: the bundled ALS worker is missing next to ${here}`);
  return new Worker(entry, { name: 'lumin-als' });
}

/** A fixed set of ALS worker threads. Close it when done. */
export class AlsPool {
  private readonly workers: Worker[];
  private attached: AlsEngine | undefined;

  constructor(readonly threads: number) {
    if (!(Number.isInteger(threads) && threads >= 2)) throw new RangeError('AlsPool: threads must be ≥ 2');
    this.workers = Array.from({ length: threads }, startWorker);
    // Idle workers must not keep the process alive; busy ones must (a pending promise does not).
    for (const worker of this.workers) worker.unref();
  }

  /** Sends `task` to every worker and waits until all have answered. */
  private broadcast(task: (index: number) => AlsTask): Promise<void> {
    return Promise.all(
      this.workers.map(
        (worker, index) =>
          new Promise<void>((resolve, reject) => {
            const onMessage = (reply: AlsReply): void => {
              worker.off('error', onError);
              worker.unref();
              if (reply.type === 'done') resolve();
              else reject(new Error(`ALS worker: ${reply.message}`));
            };
            const onError = (error: Error): void => {
              worker.off('message', onMessage);
              worker.unref();
              reject(error);
            };
            worker.once('message', onMessage);
            worker.once('error', onError);
            worker.ref();
            worker.postMessage(task(index));
          }),
      ),
    ).then(() => undefined);
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
