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
import type { Sql } from '../context';
import { activeModel } from '../embeddings/runner-api';
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

/**
 * Loads reader `id` (`not_found` when absent) in two queries: the profile with the whole history,
 * then (when the model has vectors) the reader's profile and interest-tag vectors with those of their
 * books that `vectors` (the serving memory) does not hold.
 */
export async function loadReaderState(
  sql: Sql,
  id: string,
  options: { now?: number; model?: ActiveVectors | null; vectors?: BookVectorCache } = {},
): Promise<ReaderState> {
  const now = options.now ?? Date.now();
  const found = await sql.query<{
    kind: ReaderKind;
    age: number | null;
    grade: number | null;
    reading_level: string | null;
    reading_level_system: ReadingLevel['system'] | null;
    reading_level_source: ReadingLevel['source'] | null;
    interests: string[];
    events: [string, InteractionType, number | null, number][];
  }>(
    `SELECT kind, age, grade, reading_level, reading_level_system, reading_level_source, interests,
            coalesce((SELECT json_agg(json_build_array(i.book_id, i.type, i.value,
                                      extract(epoch FROM i.occurred_at) * 1000) ORDER BY i.occurred_at)
                        FROM interactions i WHERE i.reader_id = r.id), '[]'::json) AS events
       FROM readers r WHERE id = $1`,
    [id],
  );
  const row = found.rows[0];
  if (!row) throw new LuminFailure('not_found', `no reader with id ${id}`, { id });
  const level: ReadingLevel | null =
    row.reading_level && row.reading_level_system
      ? {
          value: row.reading_level,
          system: row.reading_level_system,
          source: row.reading_level_source ?? 'known',
        }
      : null;

  const read = new Set<string>();
  const dismissed = new Set<string>();
  const blocked = new Set<string>();
  const pins = new Set<string>();
  const weights = new Map<string, number>();
  const evidence = new Map<string, number>();
  for (const [book, type, value, occurredAt] of row.events) {
    const confidence = evidenceWeight(type, value);
    if (confidence !== 0) evidence.set(book, (evidence.get(book) ?? 0) + confidence);
    if (type === 'finish' || type === 'rating' || type === 'checkout' || type === 'return') read.add(book);
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

  const model = options.model !== undefined ? options.model : await activeVectors(sql);
  let bookVectors = new Map<string, Float32Array>();
  let vector: Float32Array | null = null;
  if (model) {
    const tags = row.interests.map(tagKey);
    const books = [...weights.keys()];
    const cached = options.vectors?.knownVectors(model.id, books) ?? { found: new Map(), missing: books };
    bookVectors = cached.found;
    const vectors = await sql.query<{ owner_kind: string; owner_id: string; embedding: string }>(
      `SELECT owner_kind, owner_id, embedding::text AS embedding FROM embeddings
        WHERE model_id = $1 AND ((owner_kind = 'book' AND owner_id = ANY($2::text[]))
           OR (owner_kind = 'tag' AND owner_id = ANY($3::text[])) OR (owner_kind = 'reader' AND owner_id = $4))`,
      [model.id, cached.missing, tags, id],
    );
    const tagVectors: Float32Array[] = [];
    let profile: Float32Array | null = null;
    const loaded: [string, Float32Array][] = [];
    for (const item of vectors.rows) {
      const parsed = parseVector(item.embedding);
      if (item.owner_kind === 'book') loaded.push([item.owner_id, parsed]);
      else if (item.owner_kind === 'tag') tagVectors.push(parsed);
      else profile = parsed;
    }
    for (const [book, vector] of loaded) bookVectors.set(book, vector);
    options.vectors?.rememberVectors(model.id, loaded);
    const content = contentVector(
      [...weights].flatMap(([book, weight]) => {
        const bookVector = bookVectors.get(book);
        return bookVector ? [{ vector: bookVector, weight }] : [];
      }),
    );
    vector = hybridVector({ content, tags: meanVector(tagVectors), profile });
  }

  return {
    id,
    kind: row.kind,
    age: row.age,
    grade: row.grade,
    level,
    interests: row.interests,
    band: readerBand({ level, grade: row.grade, age: row.age }),
    read,
    dismissed,
    blocked,
    pinned: [...pins].filter((book) => !blocked.has(book)),
    weights,
    evidence: new Map([...evidence].filter(([, weight]) => weight > 0)),
    model,
    bookVectors,
    vector,
  };
}
