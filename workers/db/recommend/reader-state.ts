/**
 * Everything the serving chain knows about one reader, loaded in a few queries: their profile and
 * band, what they did (read, dismissed, blocked, pinned), and the vectors of the active model that
 * make their hybrid user vector (content of the books they touched, their interests as tags, their
 * profile text).
 */
import type { InteractionType, ReaderKind, ReadingLevel } from '../../../shared/contract/domain';
import { LuminFailure } from '../../../shared/contract/errors';
import { tagKey } from '../../../shared/embed/texts';
import { type LevelBand, readerBand } from '../../../shared/recommend/levels';
import {
  contentVector,
  hybridVector,
  interactionWeight,
  meanVector,
} from '../../../shared/recommend/profile';
import { type Sql, readingLevelOf } from '../sql';
import { activeModel } from '../embeddings/active-model';
import { parseVector } from '../embeddings/vectors';
import { evidenceWeight } from '../../../shared/recommend/evidence';

/** A reader as the serving chain sees them. */
export interface ReaderState {
  id: string;
  kind: ReaderKind;
  age: number | null;
  grade: number | null;
  level: ReadingLevel | null;
  interests: string[];
  band: LevelBand | null;
  /** Finished, rated or checked out: never recommended again. */
  read: Set<string>;
  /** Work keys of the books in `read`: their other editions are never recommended either. */
  readWorks: Set<string>;
  /** Dismissed or thumbed down. */
  dismissed: Set<string>;
  /** Blocked by a teacher. */
  blocked: Set<string>;
  /** Pinned by a teacher (latest pin not undone by a block). */
  pinned: string[];
  /** Signed taste weights per book (recency-decayed), for the content vector and explanations. */
  weights: Map<string, number>;
  /** Positive evidence per book as ALS confidence weights (for the collaborative fold-in). */
  evidence: Map<string, number>;
  /** The active model and its dimension (null when it has no vectors yet). */
  model: { id: string; dimension: number } | null;
  /** Unit vectors of the books the reader interacted with, by book id. */
  bookVectors: Map<string, Float32Array>;
  /** The hybrid user vector (null when nothing is known). */
  vector: Float32Array | null;
}

const DAY_MS = 86_400_000;

/** The active model with vectors, or null: reused until a setting or the vectors change. */
export interface ActiveVectors {
  id: string;
  dimension: number;
}

/** The active model and its dimension, or null when it has no vectors yet. */
export async function activeVectors(sql: Sql): Promise<ActiveVectors | null> {
  const modelId = await activeModel(sql);
  const dimension = await sql.query<{ dimension: number }>(
    'SELECT dimension FROM embeddings WHERE model_id = $1 LIMIT 1',
    [modelId],
  );
  return dimension.rows[0] ? { id: modelId, dimension: dimension.rows[0].dimension } : null;
}

/** Book vectors kept between requests (the serving memory). */
export interface BookVectorCache {
  knownVectors(
    modelId: string,
    ids: Iterable<string>,
  ): { found: Map<string, Float32Array>; missing: string[] };
  rememberVectors(modelId: string, entries: Iterable<[string, Float32Array]>): void;
}

/** Batch lists by reader (the nightly run's or the sync server's), best first. */
export type BatchList = { id: string; score: number }[];

/** One reader's row: the profile, the whole history and the batch list. */
interface ReaderRow {
  id: string;
  kind: ReaderKind;
  age: number | null;
  grade: number | null;
  reading_level: string | null;
  reading_level_system: ReadingLevel['system'] | null;
  reading_level_source: ReadingLevel['source'] | null;
  interests: string[];
  read_works: string[];
  events: [string, InteractionType, number | null, number][];
  batch: [string, number | null][];
}

/** Interactions that make a book read: never recommended again, nor another edition of its work. */
const READ_TYPES: readonly InteractionType[] = ['finish', 'rating', 'checkout', 'return'];

/** Readers per warm-up query: a short task in the worker's queue. */
export const READER_CHUNK = 100;

/** Reader rows of `ids` (absent ids are missing), or of the `limit` readers after `after` by id. */
async function readerRows(
  sql: Sql,
  which: { ids: readonly string[] } | { after: string | null; limit: number },
): Promise<ReaderRow[]> {
  const where =
    'ids' in which
      ? 'r.id = ANY($1::uuid[])'
      : '($1::uuid IS NULL OR r.id > $1::uuid) ORDER BY r.id LIMIT $2';
  const found = await sql.query<ReaderRow>(
    `SELECT r.id::text AS id, kind, age, grade, reading_level, reading_level_system, reading_level_source,
            interests,
            coalesce((SELECT array_agg(DISTINCT b.work_key) FROM interactions i JOIN books b ON b.id = i.book_id
                       WHERE i.reader_id = r.id AND i.type IN (${READ_TYPES.map((type) => `'${type}'`).join(', ')})
                         AND b.work_key IS NOT NULL), '{}') AS read_works,
            coalesce((SELECT json_agg(json_build_array(i.book_id, i.type, i.value,
                                      extract(epoch FROM i.occurred_at) * 1000) ORDER BY i.occurred_at)
                        FROM interactions i WHERE i.reader_id = r.id), '[]'::json) AS events,
            coalesce((SELECT json_agg(json_build_array(b.book_id, b.score) ORDER BY b.rank)
                        FROM batch_recs b WHERE b.reader_id = r.id), '[]'::json) AS batch
       FROM readers r WHERE ${where}`,
    'ids' in which ? [[...which.ids]] : [which.after, which.limit],
  );
  return found.rows;
}

/** Where a reader's vectors come from: the serving memory, then the database. */
export interface ReaderStateOptions {
  now?: number;
  model?: ActiveVectors | null;
  vectors?: BookVectorCache;
}

/** A reader's state with their batch list. */
export interface LoadedReader {
  state: ReaderState;
  batch: BatchList;
}

/**
 * Loads reader `id` (`not_found` when absent) in two queries: the profile with the whole history,
 * then (when the model has vectors) the reader's profile and interest-tag vectors with those of their
 * books that `vectors` (the serving memory) does not hold.
 */
export async function loadReaderState(
  sql: Sql,
  id: string,
  options: ReaderStateOptions = {},
): Promise<ReaderState> {
  const loaded = (await loadReaders(sql, { ids: [id] }, options)).get(id);
  if (!loaded) throw new LuminFailure('not_found', `no reader with id ${id}`, { id });
  return loaded.state;
}

/**
 * Loads readers (by ids, or a page of them by id) in two queries, whatever their number: the rows,
 * then the vectors the serving memory does not hold.
 */
export async function loadReaders(
  sql: Sql,
  which: { ids: readonly string[] } | { after: string | null; limit: number },
  options: ReaderStateOptions = {},
): Promise<Map<string, LoadedReader>> {
  const now = options.now ?? Date.now();
  const rows = await readerRows(sql, which);
  const model = options.model !== undefined ? options.model : await activeVectors(sql);
  const histories = rows.map((row) => history(row, now));
  const bookVectors = new Map<string, Float32Array>();
  const tagVectors = new Map<string, Float32Array>();
  const profiles = new Map<string, Float32Array>();
  if (model && rows.length > 0) {
    const books = [...new Set(histories.flatMap((entry) => [...entry.weights.keys()]))];
    const cached = options.vectors?.knownVectors(model.id, books) ?? { found: new Map(), missing: books };
    for (const [book, vector] of cached.found) bookVectors.set(book, vector);
    const tags = [...new Set(rows.flatMap((row) => row.interests.map(tagKey)))];
    const vectors = await sql.query<{ owner_kind: string; owner_id: string; embedding: string }>(
      `SELECT owner_kind, owner_id, embedding::text AS embedding FROM embeddings
        WHERE model_id = $1 AND ((owner_kind = 'book' AND owner_id = ANY($2::text[]))
           OR (owner_kind = 'tag' AND owner_id = ANY($3::text[]))
           OR (owner_kind = 'reader' AND owner_id = ANY($4::text[])))`,
      [model.id, cached.missing, tags, rows.map((row) => row.id)],
    );
    const loaded: [string, Float32Array][] = [];
    for (const item of vectors.rows) {
      const parsed = parseVector(item.embedding);
      if (item.owner_kind === 'book') loaded.push([item.owner_id, parsed]);
      else if (item.owner_kind === 'tag') tagVectors.set(item.owner_id, parsed);
      else profiles.set(item.owner_id, parsed);
    }
    for (const [book, vector] of loaded) bookVectors.set(book, vector);
    options.vectors?.rememberVectors(model.id, loaded);
  }
  const result = new Map<string, LoadedReader>();
  rows.forEach((row, index) => {
    const entry = histories[index] as History;
    let vector: Float32Array | null = null;
    const own = new Map<string, Float32Array>();
    if (model) {
      for (const book of entry.weights.keys()) {
        const bookVector = bookVectors.get(book);
        if (bookVector) own.set(book, bookVector);
      }
      const content = contentVector(
        [...entry.weights].flatMap(([book, weight]) => {
          const bookVector = own.get(book);
          return bookVector ? [{ vector: bookVector, weight }] : [];
        }),
      );
      const tags = row.interests.flatMap((interest) => tagVectors.get(tagKey(interest)) ?? []);
      vector = hybridVector({ content, tags: meanVector(tags), profile: profiles.get(row.id) ?? null });
    }
    const level = readingLevelOf(row);
    result.set(row.id, {
      state: {
        id: row.id,
        kind: row.kind,
        age: row.age,
        grade: row.grade,
        level,
        interests: row.interests,
        band: readerBand({ level, grade: row.grade, age: row.age }),
        ...entry,
        model,
        bookVectors: own,
        vector,
      },
      batch: row.batch.map(([id, score], rank) => ({ id, score: score ?? 1 / (rank + 1) })),
    });
  });
  return result;
}

/** What a reader did, folded into sets and weights. */
type History = Pick<
  ReaderState,
  'read' | 'readWorks' | 'dismissed' | 'blocked' | 'pinned' | 'weights' | 'evidence'
>;

function history(row: ReaderRow, now: number): History {
  const read = new Set<string>();
  const dismissed = new Set<string>();
  const blocked = new Set<string>();
  const pins = new Set<string>();
  const weights = new Map<string, number>();
  const evidence = new Map<string, number>();
  for (const [book, type, value, occurredAt] of row.events) {
    const confidence = evidenceWeight(type, value);
    if (confidence !== 0) evidence.set(book, (evidence.get(book) ?? 0) + confidence);
    if (READ_TYPES.includes(type)) read.add(book);
    if (type === 'dismiss' || type === 'thumbs_down') dismissed.add(book);
    if (type === 'block') {
      blocked.add(book);
      pins.delete(book);
    }
    if (type === 'pin') {
      pins.add(book);
      blocked.delete(book);
    }
    const weight = interactionWeight(type, value, (now - occurredAt) / DAY_MS);
    if (weight !== 0) weights.set(book, (weights.get(book) ?? 0) + weight);
  }
  return {
    read,
    readWorks: new Set(row.read_works),
    dismissed,
    blocked,
    pinned: [...pins].filter((book) => !blocked.has(book)),
    weights,
    evidence: new Map([...evidence].filter(([, weight]) => weight > 0)),
  };
}
