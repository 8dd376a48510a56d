/**
 * A `window.lumin` for renderer unit tests of the analytics, jobs and settings views: the contract's
 * own client over a table of canned answers (the core itself is tested through the e2e suite), with
 * a real event emitter so tests can fire `data.changed`, `job.progress` and `model.download`.
 */
import type { LuminBridge, MethodName } from '../../shared/contract/api';
import { createClient } from '../../shared/contract/client';
import type { Result } from '../../shared/contract/errors';
import { createEmitter } from '../../shared/contract/events';

/** Answers by method; a missing method answers `unknown_method`. */
export type Answers = Partial<Record<MethodName, (input: unknown) => unknown>>;

/** The fake bridge, the calls it saw, and its emitter. */
export function fakeBridge(answers: Answers) {
  const calls: { method: MethodName; input: unknown }[] = [];
  const emitter = createEmitter();
  const client = createClient(async (method, input) => {
    calls.push({ method, input });
    const answer = answers[method];
    if (!answer)
      return {
        ok: false,
        error: { name: 'LuminError', code: 'unknown_method', message: `${method}: not faked` },
      };
    const value = answer(input);
    return (
      value && typeof value === 'object' && 'ok' in value ? value : { ok: true, value }
    ) as Result<unknown>;
  });
  const bridge: LuminBridge = { ...client, on: emitter.on };
  return {
    bridge,
    calls,
    emit: emitter.emit,
    called: (method: MethodName) => calls.filter((call) => call.method === method),
  };
}

/** Waits until `check` stops throwing (store loads are asynchronous). */
export async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
