/**
 * What the serving chain keeps in the db worker's memory between requests, so an uncached request
 * costs one or two queries instead of ten: book facts and book vectors by id (bounded LRUs), and
 * each reader's state (profile, history, user vector) until that reader changes. The worker is the
 * database's only writer and reports every write as a `data.changed` event, which this memory
 * follows: a reader's own change drops their state; anything wider (books, vectors, settings, the
 * nightly run) drops everything. Reader states also expire after {@link READER_TTL_MS}, so the
 * recency decay of their history moves on.
 */
import type { Sql } from '../context';
import { type BookFacts, bookVectors, loadBookFacts } from './books';
import type { ReaderState } from './reader-state';

/** How long a reader's state is reused without a change. */
export const READER_TTL_MS = 5 * 60 * 1000;
const MAX_FACTS = 100_000;
const MAX_VECTORS = 30_000;
const MAX_READERS = 2_000;

/** Inserts into a Map used as an LRU (insertion order), evicting the oldest beyond `limit`. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) map.delete(map.keys().next().value as K);
}

/** The serving chain's memory in the db worker. */
export class ServingMemory {
  private readonly facts = new Map<string, BookFacts>();
  private readonly vectors = new Map<string, Float32Array>();
  private readonly readers = new Map<string, { state: ReaderState; at: number }>();

  /** Facts of `ids` (absent books are simply missing), querying only those not in memory. */
  async bookFacts(sql: Sql, ids: Iterable<string>): Promise<Map<string, BookFacts>> {
    const found = new Map<string, BookFacts>();
    const missing: string[] = [];
    for (const id of ids) {
      if (found.has(id)) continue;
      const known = this.facts.get(id);
      if (known) found.set(id, known);
      else missing.push(id);
    }
    if (missing.length > 0)
      for (const [id, facts] of await loadBookFacts(sql, [...new Set(missing)])) {
        remember(this.facts, id, facts, MAX_FACTS);
        found.set(id, facts);
      }
    return found;
  }

  /** Unit vectors of `ids` under `modelId`, querying only those not in memory. */
  async bookVectors(sql: Sql, modelId: string, ids: Iterable<string>): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    const missing: string[] = [];
    for (const id of ids) {
      const known = this.vectors.get(`${modelId}\u0000${id}`);
      if (known) found.set(id, known);
      else missing.push(id);
    }
    if (missing.length > 0)
      for (const [id, vector] of await bookVectors(sql, modelId, [...new Set(missing)])) {
        remember(this.vectors, `${modelId}\u0000${id}`, vector, MAX_VECTORS);
        found.set(id, vector);
      }
    return found;
  }

  /** Reader `id`'s state, loaded by `load` unless a fresh one is in memory. */
  async readerState(id: string, load: () => Promise<ReaderState>, now = Date.now()): Promise<ReaderState> {
    const known = this.readers.get(id);
    if (known && now - known.at <= READER_TTL_MS) return known.state;
    const state = await load();
    remember(this.readers, id, { state, at: now }, MAX_READERS);
    return state;
  }

  /** Forgets one reader's state (their profile or history changed). */
  dropReader(id: string): void {
    this.readers.delete(id);
  }

  /** Forgets everything (the catalogue, the vectors or a setting changed). */
  clear(): void {
    this.facts.clear();
    this.vectors.clear();
    this.readers.clear();
  }
}
