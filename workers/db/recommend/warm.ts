/**
 * The serving memory's warm-up loop: each step is one task in the db worker's queue (a chunk of
 * facts, vectors or readers, about 0.1 s), so calls interleave with it; then the shared results, then
 * the item neighbours of the readers' liked books, a chunk of readers at a time.
 */
import type { Context } from '../context';
import type { ServingMemory } from './memory';
import type { ReaderState } from './reader-state';
import { prepareServing, prepareSimilar } from './shared-sources';

/** Readers whose liked books get their item neighbours per queued task (about 0.2 s). */
const NEIGHBOUR_CHUNK = 100;

/** What the loop needs from the worker: its queue, and a context while a library is open. */
export interface WarmHost {
  serial<T>(task: () => Promise<T>): Promise<T>;
  context(): Context | null;
}

/** Creates the loop over `memory`; `warm()` starts it unless it runs (it stops by itself when done). */
export function createWarmer(memory: ServingMemory, host: WarmHost): { warm(): void } {
  let running = false;

  const neighbours = (states: ReaderState[]): void => {
    memory.preparing = states.length > 0;
    if (states.length === 0) return;
    void host
      .serial(async () => {
        const context = host.context();
        if (context) await prepareSimilar(context, states.slice(0, NEIGHBOUR_CHUNK));
      })
      .then(() => neighbours(states.slice(NEIGHBOUR_CHUNK)))
      .catch((error: unknown) => {
        memory.preparing = false;
        console.error('lumin: preparing item neighbours failed', error);
      });
  };

  const step = (): void => {
    void host
      .serial(async () => {
        const context = host.context();
        if (!context) return false;
        if (await memory.warmStep(context.db)) return true;
        await prepareServing(context);
        return false;
      })
      .then((more) => {
        if (more) return step();
        running = false;
        neighbours(memory.heldStates());
      })
      .catch((error: unknown) => {
        running = false;
        console.error('lumin: warming the serving memory failed', error);
      });
  };

  return {
    warm(): void {
      if (running) return;
      running = true;
      step();
    },
  };
}
