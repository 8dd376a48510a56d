/**
 * The db worker's handler types, from the operation registry (shared/contract/methods.ts): every
 * operation that runs in `db`, public or internal, has exactly one handler.
 */
import type { Output, ParsedInput } from '../../../shared/contract/api';
import type { CoreEvents } from '../../../shared/contract/events';
import type { DbOperationName } from '../../../shared/contract/methods';
import type { Context } from '../context';

/** What a handler gets in the db worker: the call's context, able to emit the core's own events too. */
export interface WorkerContext extends Context {
  /** Queues an event (a contract event or one of the core's own) for the host, and this worker's subscribers. */
  emit<E extends keyof CoreEvents>(event: E, payload: CoreEvents[E]): void;
  /** Runs the worker's ready jobs; resolves when none is left (the caller must be outside the queue). */
  drainJobs(): Promise<void>;
}

/** The implementation of every operation the db worker answers. */
export type DbHandlers = {
  [M in DbOperationName]: (input: ParsedInput<M>, context: WorkerContext) => Promise<Output<M>>;
};

/** The handlers of namespace `P`. */
export type HandlerSlice<P extends string> = {
  [M in keyof DbHandlers as M extends `${P}.${string}` ? M : never]: DbHandlers[M];
};
