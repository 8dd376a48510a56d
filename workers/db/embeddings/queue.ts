/**
 * The embedding queue's database side. An `embed` job walks books, then readers, then tags, in id
 * order with a keyset cursor kept in the job's checkpoint; each batch's vectors and the new cursor
 * commit in one transaction, so after a SIGKILL the job resumes where the last commit left it and no
 * owner ends up with two vectors (the table's unique key) or none (the walk finds what is missing).
 * An owner whose text did not change since its vector was made (same content hash) is not re-embedded.
 */
import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { parseModelId } from '../../../shared/embed/models';
import { bookText, readerText } from '../../../shared/embed/texts';
import type { EmbedCheckpoint, EmbedCursor, EmbedItem } from '../../../shared/contract/internal';
import type { Sql } from '../sql';
import { EMBED_BATCH_SPACE, assertFreeSpace } from '../disk';
import { reportProgress } from '../jobs';
import { vectorLiteral } from './vectors';

export type { EmbedCheckpoint, EmbedCursor, EmbedItem } from '../../../shared/contract/internal';

const PHASES: EmbedCursor['phase'][] = ['book', 'reader', 'tag'];

/** The tag vocabulary: book tags and subjects and reader interests, normalised like `tagKey`. */
const TAGS_SQL = `SELECT DISTINCT lower(regexp_replace(btrim(tag), '\\s+', ' ', 'g')) AS tag FROM (
    SELECT unnest(tags || subjects) AS tag FROM books
    UNION ALL SELECT unnest(interests) FROM readers) AS raw WHERE btrim(tag) <> ''`;

/** The catalogue's tags only (book tags and subjects): all a remote model may see. */
const CATALOGUE_TAGS_SQL = `SELECT DISTINCT lower(regexp_replace(btrim(tag), '\\s+', ' ', 'g')) AS tag FROM (
    SELECT unnest(tags || subjects) AS tag FROM books) AS raw WHERE btrim(tag) <> ''`;

/**
 * True when `modelId` runs on a remote endpoint. Such a model embeds catalogue texts only (the egress
 * table): readers get no profile vector under it, and their interests count only where a catalogue
 * tag of the same name has a vector (see `loadReaders`), so every reader vector stays in the model's space.
 */
export function isRemoteModel(modelId: string): boolean {
  const parsed = parseModelId(modelId);
  return 'spec' in parsed && parsed.spec.provider === 'openai';
}

function tagsSql(modelId: string): string {
  return isRemoteModel(modelId) ? CATALOGUE_TAGS_SQL : TAGS_SQL;
}

function stale(kind: 'book' | 'reader', table: string): string {
  return `FROM ${table} o LEFT JOIN embeddings e
      ON e.owner_kind = '${kind}' AND e.owner_id = o.id::text AND e.model_id = $1
    WHERE (e.id IS NULL OR e.source_updated_at IS NULL OR e.source_updated_at < o.updated_at)`;
}

/** How many owners need a look under `modelId` (missing or changed since their vector). */
export async function countStale(sql: Sql, modelId: string): Promise<number> {
  const result = await sql.query<{ books: number; readers: number; tags: number }>(
    `SELECT (SELECT count(*)::int ${stale('book', 'books')}) AS books,
            (SELECT count(*)::int ${stale('reader', 'readers')} AND NOT $2::boolean) AS readers,
            (SELECT count(*)::int FROM (${tagsSql(modelId)}) t WHERE NOT EXISTS (SELECT 1 FROM embeddings e
               WHERE e.owner_kind = 'tag' AND e.owner_id = t.tag AND e.model_id = $1)) AS tags`,
    [modelId, isRemoteModel(modelId)],
  );
  const row = result.rows[0];
  return row ? row.books + row.readers + row.tags : 0;
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

interface Candidate {
  id: string;
  text: string;
  updated_at: Date | null;
  content_hash: string | null;
}

async function candidates(sql: Sql, modelId: string, cursor: EmbedCursor, limit: number) {
  if (cursor.phase === 'book') {
    const rows = await sql.query<Candidate & Record<string, unknown>>(
      `SELECT o.id::text AS id, o.title, o.subtitle, o.authors, o.subjects, o.tags, o.series, o.description,
              o.updated_at, e.content_hash ${stale('book', 'books')} AND o.id > $2::uuid ORDER BY o.id LIMIT $3`,
      [modelId, cursor.after || '00000000-0000-0000-0000-000000000000', limit],
    );
    return rows.rows.map((row) => ({
      ...row,
      text: bookText({
        title: row.title as string,
        subtitle: row.subtitle as string | null,
        authors: row.authors as string[],
        subjects: row.subjects as string[],
        tags: row.tags as string[],
        series: row.series as string | null,
        description: row.description as string | null,
      }),
    }));
  }
  if (cursor.phase === 'reader') {
    // A reader's profile text is embedded on the device only, never by a remote endpoint.
    if (isRemoteModel(modelId)) return [];
    const rows = await sql.query<Candidate & Record<string, unknown>>(
      `SELECT o.id::text AS id, o.interests, o.grade, o.age, o.reading_level, o.reading_level_system,
              o.updated_at, e.content_hash ${stale('reader', 'readers')} AND o.id > $2::uuid ORDER BY o.id LIMIT $3`,
      [modelId, cursor.after || '00000000-0000-0000-0000-000000000000', limit],
    );
    return rows.rows.map((row) => ({
      ...row,
      // No name, no id: see shared/embed/texts.ts.
      text: readerText({
        interests: row.interests as string[],
        grade: row.grade as number | null,
        age: row.age as number | null,
        readingLevel: row.reading_level as string | null,
        readingLevelSystem: row.reading_level_system as string | null,
      }),
    }));
  }
  const rows = await sql.query<{ tag: string }>(
    `SELECT t.tag FROM (${tagsSql(modelId)}) t WHERE t.tag > $2 AND NOT EXISTS (SELECT 1 FROM embeddings e
       WHERE e.owner_kind = 'tag' AND e.owner_id = t.tag AND e.model_id = $1) ORDER BY t.tag LIMIT $3`,
    [modelId, cursor.after, limit],
  );
  return rows.rows.map((row) => ({ id: row.tag, text: row.tag, updated_at: null, content_hash: null }));
}

/**
 * The next batch of owners whose vectors must be (re)computed, at most `limit` looked at. Owners whose
 * text is unchanged are marked fresh on the way. `cursor: null` means the walk is over.
 */
export async function nextBatch(
  db: PGlite,
  modelId: string,
  checkpoint: EmbedCheckpoint,
  limit: number,
): Promise<{ items: EmbedItem[]; cursor: EmbedCursor | null; looked: number }> {
  let cursor: EmbedCursor | null = checkpoint.cursor;
  while (cursor) {
    const rows = await candidates(db, modelId, cursor, limit);
    if (rows.length === 0) {
      const next: EmbedCursor['phase'] | undefined = PHASES[PHASES.indexOf(cursor.phase) + 1];
      cursor = next ? { phase: next, after: '' } : null;
      continue;
    }
    const last = rows[rows.length - 1] as Candidate;
    const items: EmbedItem[] = [];
    const unchanged: { id: string; updatedAt: string | null }[] = [];
    for (const row of rows) {
      const hash = digest(row.text);
      const updatedAt = row.updated_at ? row.updated_at.toISOString() : null;
      if (row.content_hash === hash) unchanged.push({ id: row.id, updatedAt });
      else items.push({ kind: cursor.phase, id: row.id, text: row.text, hash, sourceUpdatedAt: updatedAt });
    }
    if (unchanged.length > 0)
      await db.query(
        `UPDATE embeddings e SET source_updated_at = x.u FROM unnest($3::text[], $4::timestamptz[]) AS x(id, u)
          WHERE e.owner_kind = $1 AND e.model_id = $2 AND e.owner_id = x.id`,
        [cursor.phase, modelId, unchanged.map((row) => row.id), unchanged.map((row) => row.updatedAt)],
      );
    return { items, cursor: { phase: cursor.phase, after: last.id }, looked: rows.length };
  }
  return { items: [], cursor: null, looked: 0 };
}

/**
 * Writes one batch's vectors and the job's new checkpoint in one transaction. Owners deleted while
 * their batch was being embedded are skipped, so no vector outlives its book or reader. Returns the
 * job's state (a pause or cancel shows here).
 */
export async function storeBatch(
  db: PGlite,
  jobId: string,
  model: { id: string; dimension: number },
  items: readonly EmbedItem[],
  vectors: readonly ArrayLike<number>[],
  checkpoint: EmbedCheckpoint,
): Promise<string> {
  if (vectors.length !== items.length)
    throw new Error(`embedding batch: ${items.length} texts but ${vectors.length} vectors`);
  // A batch stopped for space leaves the job's checkpoint where it was: the pass resumes from there.
  if (db.dataDir) assertFreeSpace('embedding pass', db.dataDir, EMBED_BATCH_SPACE);
  return db.transaction(async (tx) => {
    for (const kind of PHASES) {
      const indices = items.flatMap((item, index) => (item.kind === kind ? [index] : []));
      if (indices.length === 0) continue;
      const exists =
        kind === 'book'
          ? 'EXISTS (SELECT 1 FROM books WHERE id::text = x.id)'
          : kind === 'reader'
            ? 'EXISTS (SELECT 1 FROM readers WHERE id::text = x.id)'
            : 'true';
      await tx.query(
        `INSERT INTO embeddings (owner_kind, owner_id, model_id, dimension, embedding, content_hash, source_updated_at)
         SELECT $1, x.id, $2, $3, x.v::vector, x.h, x.u
           FROM unnest($4::text[], $5::text[], $6::text[], $7::timestamptz[]) AS x(id, v, h, u) WHERE ${exists}
         ON CONFLICT (owner_kind, owner_id, model_id) DO UPDATE SET embedding = excluded.embedding,
           dimension = excluded.dimension, content_hash = excluded.content_hash,
           source_updated_at = excluded.source_updated_at, updated_at = now()`,
        [
          kind,
          model.id,
          model.dimension,
          indices.map((index) => (items[index] as EmbedItem).id),
          indices.map((index) => vectorLiteral(vectors[index] as ArrayLike<number>)),
          indices.map((index) => (items[index] as EmbedItem).hash),
          indices.map((index) => (items[index] as EmbedItem).sourceUpdatedAt),
        ],
      );
    }
    const progress = checkpoint.total > 0 ? Math.min(0.99, checkpoint.done / checkpoint.total) : 0.5;
    return reportProgress(
      tx,
      jobId,
      progress,
      `embedded ${checkpoint.embedded} of ${checkpoint.total}`,
      checkpoint,
    );
  });
}
