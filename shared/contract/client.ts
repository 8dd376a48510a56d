/**
 * Builds the nested, typed API object from a single `invoke(method, input)` transport. Used by the
 * Electron preload, the CLI and the tests, so every host speaks the same contract.
 */
import type { LuminApi } from './api';
import type { Result } from './errors';
import { METHOD_NAMES, type MethodName } from './methods';

export { METHOD_NAMES, isMethodName, type MethodName } from './methods';

/** A transport: sends one call and resolves to its result. */
export type Invoke = (method: MethodName, input: unknown) => Promise<Result<unknown>>;

/** The typed API over a transport. */
export function createClient(invoke: Invoke): LuminApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {};
  for (const method of METHOD_NAMES) {
    const [namespace, name] = method.split('.') as [string, string];
    (api[namespace] ??= {})[name] = (input?: unknown) => invoke(method, input);
  }
  return api as unknown as LuminApi;
}
