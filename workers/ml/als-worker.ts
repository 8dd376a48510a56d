/**
 * A worker thread of the ALS pool: attaches to the shared WebAssembly memory and runs the tasks it claims
 * from the shared counter until none remain, then answers `done`. Tasks are chunks whose results do not
 * depend on the thread that runs them (see shared/ml/als-engine.ts).
 */
import { parentPort } from 'node:worker_threads';
import { AlsEngine, type Side } from '../../shared/ml/als-engine';
import { SCORE_USERS, type EngineLayout } from '../../shared/ml/als-layout';
import { recommendUsers } from '../../shared/ml/als';
import type { WasmMemory } from '../../shared/ml/als-wasm-runtime';

/** What the pool sends. */
export type AlsTask =
  | { type: 'attach'; memory: WasmMemory; layout: EngineLayout; module: object; slot: number }
  | { type: 'gram'; side: Side }
  | { type: 'solve'; side: Side; steps: number }
  | { type: 'recommend'; k: number; items: SharedArrayBuffer; scores: SharedArrayBuffer };

/** What the worker answers. */
export type AlsReply = { type: 'done' } | { type: 'failed'; message: string };

const port = parentPort;
if (!port) throw new Error('als-worker runs only as a worker thread');
let engine: AlsEngine | undefined;
let slot = 0;

function run(task: AlsTask): void {
  if (task.type === 'attach') {
    engine = AlsEngine.attach(task.memory, task.layout, true, task.module);
    slot = task.slot;
    return;
  }
  if (!engine) throw new Error('als-worker: no engine attached');
  const current = engine;
  if (task.type === 'gram') {
    for (let chunk = current.claim(0); chunk < current.gramChunks(task.side); chunk = current.claim(0))
      current.gramChunk(task.side, chunk);
  } else if (task.type === 'solve') {
    for (let chunk = current.claim(0); chunk < current.solveChunks(task.side); chunk = current.claim(0))
      current.solveChunk(task.side, chunk, task.steps, slot);
  } else {
    const all = { k: task.k, items: new Int32Array(task.items), scores: new Float32Array(task.scores) };
    const users = current.layout.users;
    for (let group = current.claim(0); group * SCORE_USERS < users; group = current.claim(0))
      recommendUsers(current, group * SCORE_USERS, Math.min(users, (group + 1) * SCORE_USERS), all, slot);
  }
}

port.on('message', (task: AlsTask) => {
  try {
    run(task);
    port.postMessage({ type: 'done' } satisfies AlsReply);
  } catch (error) {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
});
