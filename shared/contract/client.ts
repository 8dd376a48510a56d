/**
 * Builds the nested, typed API object from a single `invoke(method, input)` transport. Used by the
 * Electron preload, the CLI and the tests, so every host speaks the same contract.
 */
import type { LuminApi, MethodName } from './api';
import type { Result } from './errors';
import { inputSchemas } from './schemas';

/** A transport: sends one call and resolves to its result. */
export type Invoke = (method: MethodName, input: unknown) => Promise<Result<unknown>>;

/** Every method name, in declaration order. */
export const METHOD_NAMES = Object.keys(inputSchemas) as MethodName[];

/** True when `name` is a method of the contract. */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(inputSchemas, name);
}

/** The typed API over a transport. */
export function createClient(invoke: Invoke): LuminApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {};
  for (const method of METHOD_NAMES) {
    const [namespace, name] = method.split('.') as [string, string];
    (api[namespace] ??= {})[name] = (input?: unknown) => invoke(method, input);
  }
  return api as unknown as LuminApi;
}
