/**
 * The one back-off of outgoing calls (sync pushes and pulls, embedding requests): retry n waits a
 * random time in [½·d, d] where d = min(max, base·2ⁿ) ("equal jitter"), so a hundred devices or
 * workers that failed at the same moment do not all come back at the same moment.
 */

/** Back-off settings. */
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
