/**
 * The first link of the serving chain: served lists kept in the core host's memory, so a hit never
 * crosses into the db worker (the worker boundary alone costs about half a millisecond). The db
 * worker reports every committed write as a `data.changed` event on the same port as its replies,
 * so the host sees a change before the reply of any later call; {@link changeScope} says which lists a
 * change can touch: an interaction or a profile edit drops that reader's lists, a change to the
 * catalogue, the vectors or a setting drops every list. A list computed while a change to its
 * reader arrived is not stored (the per-reader generation), so nothing stale survives a write.
 */
import type { DataChange } from '../contract/events';
import type { RecommendedItem } from '../contract/recommend';

/** A cached list: the items without their per-serving fields. */
export interface CachedList {
  items: Omit<RecommendedItem, 'recLogId' | 'source' | 'position'>[];
  model: string | null;
  createdAt: number;
}

/** Lists live at most this long even without a write (exploration and recency should move on). */
export const CACHE_TTL_MS = 30 * 60 * 1000;
const MAX_ENTRIES = 5_000;

/** Which cached lists a committed change can make stale: none, some readers', or all. */
export function changeScope(change: DataChange): 'none' | 'all' | string[] {
  if (change.entity === 'jobs' || change.entity === 'classes') return 'none';
  const readers =
    change.entity === 'readers'
      ? change.ids
      : change.entity === 'interactions'
        ? change.readerIds
        : undefined;
  return readers && readers.length > 0 ? readers : 'all';
}

/** An LRU of served lists, keyed by reader and request options. */
export class ListCache {
  private readonly entries = new Map<string, CachedList>();
  private readonly byReader = new Map<string, Set<string>>();
  /** Bumped by every change that touches a reader (and, for all readers, {@link epoch}). */
  private readonly generations = new Map<string, number>();
  private epoch = 0;

  /** The key of a request. */
  static key(readerId: string, options: { k: number; ownedOnly: boolean; explain: boolean }): string {
    return `${readerId}|${options.k}|${options.ownedOnly ? 1 : 0}|${options.explain ? 1 : 0}`;
  }

  /** A token to pass to {@link set}: the list is stored only if no change touched the reader since. */
  generation(readerId: string): string {
    return `${this.epoch}:${this.generations.get(readerId) ?? 0}`;
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

  /** Stores a list for `readerId` unless a change touched the reader after `generation` was taken. */
  set(key: string, readerId: string, list: CachedList, generation = this.generation(readerId)): boolean {
    if (generation !== this.generation(readerId)) return false;
    this.entries.set(key, list);
    let keys = this.byReader.get(readerId);
    if (!keys) this.byReader.set(readerId, (keys = new Set()));
    keys.add(key);
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return true;
  }

  /** Applies a committed change: drops the lists it can make stale. */
  apply(change: DataChange): void {
    const scope = changeScope(change);
    if (scope === 'none') return;
    if (scope === 'all') this.clear();
    else for (const reader of scope) this.dropReader(reader);
  }

  /** Drops one reader's lists. */
  dropReader(readerId: string): void {
    this.generations.set(readerId, (this.generations.get(readerId) ?? 0) + 1);
    for (const key of this.byReader.get(readerId) ?? []) this.entries.delete(key);
    this.byReader.delete(readerId);
  }

  /** Drops every list. */
  clear(): void {
    this.epoch++;
    this.generations.clear();
    this.entries.clear();
    this.byReader.clear();
  }

  /** How many lists are cached. */
  get size(): number {
    return this.entries.size;
  }
}
