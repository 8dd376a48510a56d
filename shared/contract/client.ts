/**
 * Builds the nested, typed API object from a single `invoke(method, input)` transport. Used by the
 * Electron preload, the CLI and the tests, so every host speaks the same contract; the core host
 * builds its typed db client the same way (`buildClient` over the db worker's operations).
 */
import type { LuminApi } from './api';
import type { Result } from './errors';
import { METHOD_NAMES, type MethodName, type OperationName } from './methods';

export { METHOD_NAMES, isMethodName, type MethodName } from './methods';

/** A transport: sends one call and resolves to its result. */
export type Invoke = (method: MethodName, input: unknown) => Promise<Result<unknown>>;

/** The nested object `namespace.name(input)` over the operations `names`, each sent through `send`. */
export function buildClient<Api, N extends OperationName>(
  names: readonly N[],
  send: (method: N, input: unknown) => Promise<Result<unknown>>,
): Api {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {};
  for (const method of names) {
    const [namespace, name] = method.split('.') as [string, string];
    (api[namespace] ??= {})[name] = (input?: unknown) => send(method, input);
  }
  // The names are the API's own (checked in ./api.ts), so the object has the API's shape.
  return api as unknown as Api;
}

/** The typed API over a transport. */
export function createClient(invoke: Invoke): LuminApi {
  return buildClient<LuminApi, MethodName>(METHOD_NAMES, invoke);
}
