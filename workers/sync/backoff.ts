/**
 * Exponential backoff with jitter for sync retries: attempt n waits a random time in
 * [½·d, d] where d = min(max, base·2ⁿ) ("equal jitter"), so a hundred devices that lost the server
 * at the same moment do not all come back at the same moment.
 */

/** Backoff settings. */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** The default: 500 ms doubling up to a minute. */
export const DEFAULT_BACKOFF: Backoff = { baseMs: 500, maxMs: 60_000 };

/** The wait before retry `attempt` (0-based). */
export function backoffDelay(
  attempt: number,
  backoff: Backoff = DEFAULT_BACKOFF,
  random = Math.random,
): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Resolves after `ms` (or at once when `signal` aborts). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
