/**
 * What the serving chain keeps in the db worker's memory between requests, so an uncached request
 * costs one or two queries instead of ten: the catalogue's book facts (loaded in chunks when the
 * library opens, like a feature store; about 1 KB a book), book vectors by id (a bounded LRU), and
 * each reader's state (profile, history, user vector) until that reader changes. The worker is the
 * database's only writer and reports every write as a `data.changed` event, which this memory
 * follows ({@link ServingMemory.apply}). Reader states also expire after {@link READER_TTL_MS}, so
 * the recency decay of their history moves on.
 */
import type { DataChange } from '../../../shared/contract/events';
import type { Sql } from '../context';
import { type BookFacts, bookVectors, loadBookFacts } from './books';
import type { ReaderState } from './reader-state';

/** How long a reader's state is reused without a change. */
export const READER_TTL_MS = 5 * 60 * 1000;
/** Books per warm-up query (each a short task in the worker's queue, so calls interleave). */
export const WARM_CHUNK = 1_000;
const MAX_FACTS = 250_000;
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
    const { found, missing } = this.knownVectors(modelId, ids);
    if (missing.length > 0) {
      const loaded = await bookVectors(sql, modelId, [...new Set(missing)]);
      this.rememberVectors(modelId, loaded);
      for (const [id, vector] of loaded) found.set(id, vector);
    }
    return found;
  }

  /** The vectors of `ids` in memory, and the ids that are not. */
  knownVectors(
    modelId: string,
    ids: Iterable<string>,
  ): { found: Map<string, Float32Array>; missing: string[] } {
    const found = new Map<string, Float32Array>();
    const missing: string[] = [];
    for (const id of ids) {
      const known = this.vectors.get(`${modelId}\u0000${id}`);
      if (known) found.set(id, known);
      else missing.push(id);
    }
    return { found, missing };
  }

  /** Keeps vectors read elsewhere (an ANN query's rows, a reader's books). */
  rememberVectors(modelId: string, entries: Iterable<[string, Float32Array]>): void {
    for (const [id, vector] of entries) remember(this.vectors, `${modelId}\u0000${id}`, vector, MAX_VECTORS);
  }

  /** Reader `id`'s state, loaded by `load` unless a fresh one is in memory. */
  async readerState(id: string, load: () => Promise<ReaderState>, now = Date.now()): Promise<ReaderState> {
    const known = this.readers.get(id);
    if (known && now - known.at <= READER_TTL_MS) return known.state;
    const state = await load();
    remember(this.readers, id, { state, at: now }, MAX_READERS);
    return state;
  }

  /**
   * Loads the facts of the next {@link WARM_CHUNK} books after `after` (by id) into memory; returns
   * the last id loaded, or null when the catalogue is done.
   */
  async warm(sql: Sql, after: string | null): Promise<string | null> {
    const ids = await sql.query<{ id: string }>(
      'SELECT id::text AS id FROM books WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2',
      [after, WARM_CHUNK],
    );
    const chunk = ids.rows.map((row) => row.id);
    if (chunk.length === 0) return null;
    for (const [id, facts] of await loadBookFacts(sql, chunk)) remember(this.facts, id, facts, MAX_FACTS);
    return chunk.length < WARM_CHUNK ? null : (chunk[chunk.length - 1] as string);
  }

  /** Whether the facts were dropped wholesale since the last warm-up (the caller warms again). */
  get cold(): boolean {
    return this.facts.size === 0;
  }

  /**
   * Follows a committed change: a reader's edit or interactions drop their state; books drop their
   * facts (all of them when the change names none) and every reader state (their vectors and read
   * sets may involve them); vectors and settings (the active model, the filters) drop every reader
   * state and vector; anything else wide (a bulk import of interactions) drops the reader states.
   * A nightly run changes nothing kept here (the ALS model lives in the shared memo).
   */
  apply(change: DataChange): void {
    switch (change.entity) {
      case 'jobs':
      case 'classes':
      case 'recommendations':
        return;
      case 'readers':
        if (change.ids.length === 0) this.readers.clear();
        for (const id of change.ids) this.readers.delete(id);
        return;
      case 'interactions':
        if (!change.readerIds?.length) this.readers.clear();
        for (const id of change.readerIds ?? []) this.readers.delete(id);
        return;
      case 'books':
        if (change.ids.length === 0) this.facts.clear();
        for (const id of change.ids) this.facts.delete(id);
        this.readers.clear();
        return;
      default:
        this.vectors.clear();
        this.readers.clear();
    }
  }
}
