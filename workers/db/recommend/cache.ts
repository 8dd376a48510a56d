/**
 * The first link of the serving chain: served lists kept in the db worker's memory. The db worker is
 * the only writer of the database, so it sees every change as it commits and drops what a change can
 * touch: an interaction or a profile edit drops that reader's lists, and a change to the catalogue,
 * the vectors or a setting drops every list. A hit therefore never needs a query (p50 well under a
 * millisecond through the worker boundary), and nothing stale survives a write.
 */
import type { RecommendedItem } from '../../../shared/contract/recommend';

/** A cached list. */
export interface CachedList {
  items: Omit<RecommendedItem, 'recLogId' | 'source' | 'position'>[];
  model: string | null;
  createdAt: number;
}

/** Lists live at most this long even without a write (exploration and recency should move on). */
export const CACHE_TTL_MS = 30 * 60 * 1000;
const MAX_ENTRIES = 5_000;

/** How long popularity and click-through are reused while only reader-level changes happen. */
export const SHARED_TTL_MS = 5 * 60 * 1000;

/** An LRU of served lists, keyed by reader and request options. */
export class RecommendationCache {
  private readonly entries = new Map<string, CachedList>();
  private readonly byReader = new Map<string, Set<string>>();

  /** The key of a request. */
  static key(readerId: string, options: { k: number; ownedOnly: boolean; explain: boolean }): string {
    return `${readerId}|${options.k}|${options.ownedOnly ? 1 : 0}|${options.explain ? 1 : 0}`;
  }

  /** A fresh list, or undefined. */
  get(key: string, now = Date.now()): CachedList | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.createdAt > CACHE_TTL_MS) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh its place in the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores a list for `readerId`. */
  set(key: string, readerId: string, list: CachedList): void {
    this.entries.set(key, list);
    let keys = this.byReader.get(readerId);
    if (!keys) this.byReader.set(readerId, (keys = new Set()));
    keys.add(key);
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /**
   * Drops one reader's lists. The shared results stay: one reader's thumbs barely move the
   * catalogue's popularity or a source's click-through, and they expire by age instead
   * ({@link SHARED_TTL_MS}), so feedback gets its fresh list without recounting the catalogue.
   */
  dropReader(readerId: string): void {
    for (const key of this.byReader.get(readerId) ?? []) this.entries.delete(key);
    this.byReader.delete(readerId);
  }

  /**
   * Catalogue-wide results every request reuses (the popularity order, per-source click-through),
   * each with when it was computed. Dropped with every list, and otherwise after {@link SHARED_TTL_MS}.
   */
  readonly shared = new Map<string, { value: unknown; at: number }>();

  /** `compute()`'s value under `key`, reused until dropped or older than `ttlMs`. */
  async memo<T>(key: string, ttlMs: number, compute: () => Promise<T>, now = Date.now()): Promise<T> {
    const found = this.shared.get(key);
    if (found && now - found.at <= ttlMs) return found.value as T;
    const value = await compute();
    this.shared.set(key, { value, at: now });
    return value;
  }

  /** Drops every list. */
  clear(): void {
    this.entries.clear();
    this.byReader.clear();
    this.shared.clear();
  }

  /** How many lists are cached. */
  get size(): number {
    return this.entries.size;
  }
}
