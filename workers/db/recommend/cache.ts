/**
 * The db worker's serving memory: catalogue-wide results every request reuses (the popularity order,
 * per-source click-through), each with when it was computed. The served lists themselves are cached
 * by the core host (shared/recommend/list-cache.ts); this memo is dropped by every change that is
 * not one reader's own, and otherwise expires after {@link SHARED_TTL_MS}.
 */

/** How long popularity and click-through are reused while only reader-level changes happen. */
export const SHARED_TTL_MS = 5 * 60 * 1000;

/** Values computed once and reused until dropped or too old. */
export class SharedMemo {
  private readonly values = new Map<string, { value: unknown; at: number }>();
  private readonly refreshing = new Set<string>();

  /**
   * `compute()`'s value under `key`, reused until dropped or older than `ttlMs`. One reader's thumbs
   * barely move the catalogue's popularity or a source's click-through, so reader-level changes
   * leave these alone and feedback gets its fresh list without recounting the catalogue.
   */
  async memo<T>(
    key: string,
    ttlMs: number,
    compute: () => Promise<T>,
    options: { refresh?: (task: () => Promise<void>) => void; now?: number } = {},
  ): Promise<T> {
    const now = options.now ?? Date.now();
    const found = this.values.get(key);
    if (found && now - found.at <= ttlMs) return found.value as T;
    // Only old (not dropped by a change): served as it is while `refresh` recomputes it behind this
    // request, so no request pays for a catalogue-wide count because five minutes passed.
    if (found && options.refresh) {
      if (!this.refreshing.has(key)) {
        this.refreshing.add(key);
        options.refresh(async () => {
          try {
            const value = await compute();
            if (this.values.get(key) === found) this.values.set(key, { value, at: Date.now() });
          } finally {
            this.refreshing.delete(key);
          }
        });
      }
      return found.value as T;
    }
    const value = await compute();
    this.values.set(key, { value, at: now });
    return value;
  }

  /** Drops everything. */
  clear(): void {
    this.values.clear();
  }
}
