/** The sync client's pause between attempts; the back-off itself is shared/egress/backoff.ts. */

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
