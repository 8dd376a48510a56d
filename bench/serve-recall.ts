/**
 * Recall of the serving memory's scan (int8 vectors in memory, {@link VectorScan}) against exact
 * float search, on the same library and queries as the HNSW recall: the vectors are read the way the
 * serving memory reads them ({@link VectorMemory}), then every query is answered both ways.
 */
import type { PGlite } from '@electric-sql/pglite';
import { VectorScan } from '../shared/ml/vector-scan';
import { parseBinaryVectors } from '../workers/db/recommend/vector-memory';

/** Exact top-k by inner product over a row-major matrix, in float64. */
function exactTop(matrix: Float32Array, dimension: number, query: Float32Array, k: number): number[] {
  const rows = matrix.length / dimension;
  const scores = new Float64Array(rows);
  for (let row = 0; row < rows; row += 1) {
    let sum = 0;
    const base = row * dimension;
    for (let index = 0; index < dimension; index += 1)
      sum += (matrix[base + index] as number) * (query[index] as number);
    scores[row] = sum;
  }
  return [...scores.keys()].sort((a, b) => (scores[b] as number) - (scores[a] as number)).slice(0, k);
}

/** Recall@20 and @100 of the in-memory scan's top 100 against exact search over `queries`. */
export async function scanRecall(
  db: PGlite,
  model: { id: string; dimension: number },
  queries: readonly Float32Array[],
): Promise<{ at20: number; at100: number }> {
  const result = await db.query(
    `COPY (SELECT owner_id, embedding FROM embeddings WHERE model_id = '${model.id.replaceAll("'", "''")}'
            AND owner_kind = 'book' ORDER BY owner_id) TO '/dev/blob' WITH (FORMAT binary)`,
  );
  const blob = (result as { blob?: Blob }).blob;
  if (!blob) throw new Error('scan recall: the COPY returned nothing');
  const { ids, vectors } = parseBinaryVectors(new Uint8Array(await blob.arrayBuffer()), model.dimension);
  const scan = new VectorScan(model.dimension);
  scan.setMany(ids, vectors);
  let at20 = 0;
  let at100 = 0;
  for (const query of queries) {
    const exact = exactTop(vectors, model.dimension, query, 100).map((row) => ids[row] as string);
    const found = scan.search(query, 100).map((hit) => hit.id);
    const top20 = new Set(found.slice(0, 20));
    const top100 = new Set(found);
    at20 += exact.slice(0, 20).filter((id) => top20.has(id)).length / 20;
    at100 += exact.filter((id) => top100.has(id)).length / 100;
  }
  return { at20: at20 / queries.length, at100: at100 / queries.length };
}
