/**
 * What the serving chain keeps in the db worker's memory between requests, so a request needs no
 * query once the library is warm: the catalogue's book facts (about 1 KB a book), the active model's
 * book vectors ({@link VectorMemory}; a bounded LRU of those read before it is loaded), and each
 * reader's state (profile, history, user vector) with their batch list, until that reader changes.
 * All of it is loaded when the library opens, a chunk per queued task so calls interleave
 * ({@link ServingMemory.warmStep}), like a feature store. The worker is the database's only writer
 * and reports every write as a `data.changed` event, which this memory follows
 * ({@link ServingMemory.apply}). Reader states also expire after {@link READER_TTL_MS}, so the
 * recency decay of their history moves on.
 */
import type { DataChange } from '../../../shared/contract/events';
import type { Sql } from '../sql';
import { type BookFacts, bookVectors, loadBookFacts } from './books';
import {
  type ActiveVectors,
  type BatchList,
  READER_CHUNK,
  type ReaderState,
  activeVectors,
  loadReaders,
} from './reader-state';
import { VectorMemory } from './vector-memory';

/**
 * How long a reader's state is reused without a change: an hour moves the recency decay of their
 * history (half-life 120 days) by a few thousandths.
 */
export const READER_TTL_MS = 60 * 60 * 1000;
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
  private readonly batches = new Map<string, BatchList>();
  /** The active model's book vectors. */
  vectorMemory = new VectorMemory();
  /** Where each warm-up stage has reached: a key to continue after ('' to start), null when done. */
  private factsCursor: string | null = '';
  /** Books added or changed since their facts were read: read again by the next warm step. */
  private readonly staleFacts = new Set<string>();
  private readersCursor: string | null = '';
  /** The active model while its vectors load. */
  private active: ActiveVectors | null | undefined;

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
      const known = this.vectorMemory.get(modelId, id) ?? this.vectors.get(`${modelId}\u0000${id}`);
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

  /** The reader states held, oldest first. */
  heldStates(): ReaderState[] {
    return [...this.readers.values()].map((entry) => entry.state);
  }

  /** Reader `id`'s batch list, from memory once the readers are warm. */
  async batchList(id: string, load: () => Promise<BatchList>): Promise<BatchList> {
    const known = this.batches.get(id);
    if (known) return known;
    const list = await load();
    remember(this.batches, id, list, MAX_READERS);
    return list;
  }

  /** Forgets everything (a library was opened: it may not be the one this memory followed). */
  reset(): void {
    this.facts.clear();
    this.staleFacts.clear();
    this.vectors.clear();
    this.readers.clear();
    this.batches.clear();
    this.vectorMemory = new VectorMemory();
    this.factsCursor = '';
    this.readersCursor = '';
    this.active = undefined;
  }

  /** Whether a warm-up stage has work left (the worker then queues {@link warmStep}). */
  get warming(): boolean {
    return (
      this.factsCursor !== null ||
      this.staleFacts.size > 0 ||
      this.vectorMemory.warming ||
      this.readersCursor !== null
    );
  }

  /** Set while what is computed from the memory (item neighbours) is still being prepared. */
  preparing = false;

  /** What is held, for the status. */
  /** Whether the host loads this memory (set at open; a one-shot CLI command does not). */
  loading = true;

  get held(): { warm: boolean; books: number; vectors: number; readers: number; loading: boolean } {
    return {
      warm: this.loading && !this.warming && !this.preparing,
      books: this.facts.size,
      vectors: this.vectorMemory.size,
      readers: this.readers.size,
      loading: this.loading,
    };
  }

  /**
   * One queued warm-up task: the next chunk of book facts, then of the active model's vectors, then
   * of reader states with their batch lists. Returns whether more steps are needed.
   */
  async warmStep(sql: Sql): Promise<boolean> {
    if (this.factsCursor !== null) {
      this.factsCursor = await this.warmFacts(sql, this.factsCursor || null);
      return true;
    }
    if (this.staleFacts.size > 0) {
      const chunk = [...this.staleFacts].slice(0, WARM_CHUNK);
      for (const id of chunk) this.staleFacts.delete(id);
      for (const [id, facts] of await loadBookFacts(sql, chunk)) remember(this.facts, id, facts, MAX_FACTS);
      return true;
    }
    if (this.vectorMemory.warming) {
      if (this.active === undefined) this.active = await activeVectors(sql);
      if (await this.vectorMemory.warmStep(sql, this.active)) return true;
    }
    this.active = undefined;
    if (this.readersCursor !== null) {
      const model = await activeVectors(sql);
      const loaded = await loadReaders(
        sql,
        { after: this.readersCursor || null, limit: READER_CHUNK },
        { model, vectors: this },
      );
      const now = Date.now();
      let last: string | null = null;
      for (const [id, { state, batch }] of loaded) {
        remember(this.readers, id, { state, at: now }, MAX_READERS);
        remember(this.batches, id, batch, MAX_READERS);
        last = id;
      }
      // Beyond what memory keeps, readers load on request.
      this.readersCursor = loaded.size < READER_CHUNK || this.readers.size >= MAX_READERS ? null : last;
    }
    return this.warming;
  }

  /** Loads the facts of the next chunk of books after `after` (by id); the last id, or null when done. */
  private async warmFacts(sql: Sql, after: string | null): Promise<string | null> {
    const ids = await sql.query<{ id: string }>(
      'SELECT id::text AS id FROM books WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2',
      [after, WARM_CHUNK],
    );
    const chunk = ids.rows.map((row) => row.id);
    if (chunk.length === 0) return null;
    for (const [id, facts] of await loadBookFacts(sql, chunk)) remember(this.facts, id, facts, MAX_FACTS);
    return chunk.length < WARM_CHUNK ? null : (chunk[chunk.length - 1] as string);
  }

  /**
   * Follows a committed change: a reader's edit or interactions drop their state; books drop their
   * facts (all of them when the change names none) and every reader state (their vectors and read
   * sets may involve them); vectors and settings (the active model, the filters) drop every reader
   * state and vector; anything else wide (a bulk import of interactions) drops the reader states.
   * A nightly run changes nothing kept here (the ALS model lives in the shared memo).
   */
  apply(change: DataChange): void {
    this.vectorMemory.apply(change);
    switch (change.entity) {
      case 'jobs':
      case 'classes':
        return;
      case 'recommendations':
        // New batch lists: read them again with the readers.
        this.batches.clear();
        this.readersCursor = '';
        return;
      case 'readers':
        if (change.ids.length === 0) {
          this.readers.clear();
          this.batches.clear();
          this.readersCursor = '';
        }
        for (const id of change.ids) {
          this.readers.delete(id);
          this.batches.delete(id);
        }
        return;
      case 'interactions':
        if (!change.readerIds?.length) this.readers.clear();
        for (const id of change.readerIds ?? []) this.readers.delete(id);
        return;
      case 'books':
        if (change.ids.length === 0) {
          this.facts.clear();
          this.staleFacts.clear();
          this.factsCursor = '';
        }
        for (const id of change.ids) {
          this.facts.delete(id);
          if (change.op === 'delete') this.staleFacts.delete(id);
          else this.staleFacts.add(id);
        }
        this.readers.clear();
        return;
      default:
        // Cleared states load again on request: re-reading every reader after each batch of an
        // embedding pass would slow the pass for nothing.
        this.vectors.clear();
        this.readers.clear();
    }
  }
}
