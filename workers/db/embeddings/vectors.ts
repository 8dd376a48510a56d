/**
 * Vectors in and out of pgvector, and the one HNSW index per model. pgvector returns vectors as text
 * (`[0.1,0.2,…]`); the embeddings column has no fixed dimension (models differ), so every index and
 * every nearest-neighbour query casts to `vector(D)` with the model id as a literal: the planner can
 * only use a partial index whose predicate it can prove, and a bound parameter proves nothing.
 */
import { createHash } from 'node:crypto';
import type { Sql } from '../sql';

/** pgvector's text form of `vector`. */
export function vectorLiteral(vector: ArrayLike<number>): string {
  let text = '[';
  for (let index = 0; index < vector.length; index++) {
    if (index > 0) text += ',';
    const value = vector[index] as number;
    if (!Number.isFinite(value)) throw new Error(`vector component ${index} is not a finite number`);
    text += value.toPrecision(7);
  }
  return `${text}]`;
}

/** Parses pgvector's text form. */
export function parseVector(text: string): Float32Array {
  const body = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  if (body === '') return new Float32Array(0);
  return Float32Array.from(body.split(','), Number);
}

/** A string as a SQL literal (for model ids in partial-index predicates; ids are also length-checked). */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The name of model `modelId`'s HNSW index (ids can hold any character, so a digest names it). */
export function indexName(modelId: string): string {
  return `embeddings_hnsw_${createHash('sha1').update(modelId).digest('hex').slice(0, 16)}`;
}

/** pgvector indexes at most 2,000 dimensions of `vector`; larger models are searched exactly. */
export const MAX_INDEXED_DIMENSION = 2_000;

/** True when model `modelId`'s book index exists. */
export async function hasIndex(sql: Sql, modelId: string): Promise<boolean> {
  const result = await sql.query('SELECT 1 FROM pg_indexes WHERE indexname = $1', [indexName(modelId)]);
  return result.rows.length > 0;
}

/**
 * Builds the cosine HNSW index over model `modelId`'s book vectors, if missing. Called after a bulk
 * load: building once is far cheaper than growing the graph row by row, and a big
 * maintenance_work_mem keeps the build in memory (18× faster at 100K×384, measured). The table is
 * analysed afterwards: PGlite has no autovacuum, and without statistics the planner takes
 * `model_id = …` for a handful of rows and reads every vector of the model to find a reader's few
 * (220 ms instead of 1 ms per recommendation at 100K books, measured by `npm run bench -- serve`).
 */
export async function ensureIndex(sql: Sql, modelId: string, dimension: number): Promise<boolean> {
  if (dimension > MAX_INDEXED_DIMENSION || (await hasIndex(sql, modelId))) return false;
  await sql.exec(`SET maintenance_work_mem = '512MB'`);
  try {
    await sql.exec(
      `CREATE INDEX IF NOT EXISTS ${indexName(modelId)} ON embeddings
         USING hnsw ((embedding::vector(${dimension})) vector_cosine_ops)
         WHERE model_id = ${sqlLiteral(modelId)} AND owner_kind = 'book'`,
    );
  } finally {
    await sql.exec('RESET maintenance_work_mem');
  }
  await sql.exec('ANALYZE embeddings');
  return true;
}

/** Drops model `modelId`'s index (when its vectors are deleted). */
export async function dropIndex(sql: Sql, modelId: string): Promise<void> {
  await sql.exec(`DROP INDEX IF EXISTS ${indexName(modelId)}`);
}

/**
 * The smallest HNSW candidate list (`hnsw.ef_search`; pgvector's default is 40). Recall@20 against
 * exact search on 100K clustered 384-d vectors (`npm run bench -- serve`): 0.72 at 40, 0.90 at 100,
 * 0.97 at 200, for about 1 ms more per query than 115.
 */
export const MIN_EF_SEARCH = 200;

/**
 * The HNSW candidate list of a top-`k` query that filters out `excluded` rows: an HNSW index scan
 * returns at most ef_search rows and the filter runs on those, so the list must hold `k + excluded`
 * for the query to return `k` rows (the default 40 cut the serving chain's top 100 to 40 minus the
 * reader's books). At least {@link MIN_EF_SEARCH}, at most pgvector's maximum, 1000.
 */
export function efSearch(k: number, excluded: number): number {
  return Math.min(1000, Math.max(MIN_EF_SEARCH, Math.trunc(k) + excluded));
}

/** The `k` books nearest to `query` under model `modelId` (cosine), excluding `excludeIds`. */
export async function nearestBooks(
  sql: Sql,
  modelId: string,
  dimension: number,
  query: ArrayLike<number>,
  k: number,
  excludeIds: readonly string[] = [],
): Promise<{ id: string; score: number }[]> {
  const cast = `vector(${Math.trunc(dimension)})`;
  await sql.exec(`SET hnsw.ef_search = ${efSearch(k, excludeIds.length)}`);
  // The query vector in a scalar subquery (an InitPlan, computed once): with `$1::vector(D)` written
  // in place, a top-100 at 100K×384 took 16 ms in PGlite instead of 7 (measured, same rows).
  const result = await sql.query<{ owner_id: string; distance: number }>(
    `SELECT owner_id, embedding::${cast} <=> (SELECT $1::${cast}) AS distance FROM embeddings
      WHERE model_id = ${sqlLiteral(modelId)} AND owner_kind = 'book' AND NOT (owner_id = ANY($2::text[]))
      ORDER BY embedding::${cast} <=> (SELECT $1::${cast}) LIMIT $3`,
    [vectorLiteral(query), [...excludeIds], k],
  );
  return result.rows.map((row) => ({ id: row.owner_id, score: 1 - Number(row.distance) }));
}
