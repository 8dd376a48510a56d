/**
 * The serving chain's first link, in the core host: `recommend.get` is answered from the host's
 * {@link ListCache} when it can be, so a hit costs no trip into the db worker. A hit is still a
 * served list: its items get rec_logs ids from a block the host reserves ahead, and its impressions
 * are sent to the db worker without waiting (queued there like a call, so an interaction that cites
 * one of the ids, sent later, finds the row).
 */
import { randomUUID } from 'node:crypto';
import { type Result, unwrap } from '../../shared/contract/errors';
import type { DataChange } from '../../shared/contract/events';
import type { ImpressionInput, RecommendInput } from '../../shared/contract/internal';
import type { Recommendations } from '../../shared/contract/recommend';
import { type CachedList, ListCache } from '../../shared/recommend/list-cache';
import type { DbClient } from '../../shared/contract/db-client';

/** Ids reserved at a time; a new block is fetched when fewer than a quarter remain. */
const ID_BLOCK = 4096;

/** The host's list cache with its id block; `db` reserves ids and logs impressions. */
export function createRecommendCache(db: Pick<DbClient, 'impressions'>) {
  const cache = new ListCache();
  const block = { next: 0, end: 0 };
  let refill: Promise<void> | null = null;

  const ensureIds = (count: number): Promise<void> | null => {
    if (block.end - block.next >= Math.max(count, ID_BLOCK / 4)) return null;
    refill ??= db.impressions
      .reserve({ count: ID_BLOCK })
      .then(unwrap)
      .then((first) => {
        // A block runs out only by use; the unused rest of an older block is simply skipped.
        block.next = first;
        block.end = first + ID_BLOCK;
      })
      .finally(() => {
        refill = null;
      });
    return block.end - block.next >= count ? null : refill;
  };

  const hit = async (input: RecommendInput, list: CachedList, started: number): Promise<Recommendations> => {
    const waiting = ensureIds(list.items.length);
    if (waiting) await waiting;
    const first = block.next;
    block.next += list.items.length;
    const requestId = randomUUID();
    const items = list.items.map((item, position) => ({
      ...item,
      source: 'cache' as const,
      position,
      recLogId: first + position,
    }));
    const impressions: ImpressionInput[] = items.map((item) => ({
      requestId,
      readerId: input.readerId,
      bookId: item.bookId,
      position: item.position,
      source: 'cache',
      proposedBy: item.proposedBy,
      score: item.score,
      exploratory: item.exploratory,
      explanation: item.explanation,
    }));
    db.impressions
      .log({ firstId: first, served: impressions })
      .then(unwrap)
      .catch((error: unknown) => console.error('lumin: impression log failed', error));
    return {
      requestId,
      readerId: input.readerId,
      source: 'cache',
      items,
      model: list.model,
      tookMs: performance.now() - started,
    };
  };

  return {
    /** Serves `input` from the cache, or asks `compute` (the db worker) and caches its list. */
    async get(
      input: RecommendInput,
      compute: () => Promise<Result<Recommendations>>,
    ): Promise<Result<Recommendations>> {
      const started = performance.now();
      const key = ListCache.key(input.readerId, input);
      const found = input.fresh ? undefined : cache.get(key);
      if (found) return { ok: true, value: await hit(input, found, started) };
      const generation = cache.generation(input.readerId);
      const result = await compute();
      if (result.ok && result.value.items.length > 0 && result.value.source !== 'cache') {
        cache.set(
          key,
          input.readerId,
          {
            items: result.value.items.map(
              ({ recLogId: _id, source: _source, position: _position, ...item }) => item,
            ),
            model: result.value.model,
            createdAt: Date.now(),
          },
          generation,
        );
        void ensureIds(input.k);
      }
      return result;
    },
    /** Applies a committed change (every `data.changed` event). */
    apply(change: DataChange): void {
      cache.apply(change);
    },
    /** How many lists are cached. */
    get size(): number {
      return cache.size;
    },
  };
}

/** The host's list cache. */
export type RecommendCache = ReturnType<typeof createRecommendCache>;
