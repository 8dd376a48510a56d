/**
 * The active model's book vectors held in the db worker's memory, int8-quantised (100K × 384 is
 * 38 MB), with an exact inner-product scan over them ({@link VectorScan}).
 *
 * Why: in PGlite every vector read costs about 0.25 ms even with warm buffers, and an HNSW query for
 * 100 candidates about 12 ms at 100K books, so a personalised list spent ~20 ms reading vectors. The
 * scan is exact (recall against a float search only loses what quantisation reorders) and takes a few
 * milliseconds. pgvector stays the store of record and the ANN used until this memory is loaded, and
 * for everything else (group picks, the CLI on a cold start).
 *
 * Kept in step by the worker, the database's only writer: the embedding runner hands over every batch
 * of book vectors it commits ({@link VectorMemory.stored}); removed books leave
 * ({@link VectorMemory.apply}); a change of the active model or a catalogue-wide change of books
 * makes the next warm step compare counts and reload when they differ.
 */
import type { DataChange } from '../../../shared/contract/events';
import { VectorScan } from '../../../shared/ml/vector-scan';
import type { Sql } from '../sql';
import type { ActiveVectors } from './reader-state';

/** Vectors per warm-up query: a short task in the worker's queue (about 100 ms), so calls interleave. */
export const VECTOR_CHUNK = 2_000;

/** Reads pgvector's binary COPY rows `(owner_id text, embedding vector)` into ids and a float matrix. */
export function parseBinaryVectors(
  bytes: Uint8Array,
  dimension: number,
): { ids: string[]; vectors: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  // Header: 11-byte signature, flags (int32), extension length (int32) and the extension.
  let at = 11 + 4;
  at += 4 + view.getInt32(at);
  const ids: string[] = [];
  const starts: number[] = [];
  for (;;) {
    const fields = view.getInt16(at);
    at += 2;
    if (fields === -1) break;
    if (fields !== 2) throw new Error(`vector copy: expected 2 fields, got ${fields}`);
    const idLength = view.getInt32(at);
    ids.push(decoder.decode(bytes.subarray(at + 4, at + 4 + idLength)));
    at += 4 + idLength;
    const length = view.getInt32(at);
    const stored = view.getInt16(at + 4);
    if (stored !== dimension) throw new Error(`vector copy: expected ${dimension} dimensions, got ${stored}`);
    // vector_send: int16 dimension, int16 unused, then big-endian float4s.
    starts.push(at + 8);
    at += 4 + length;
  }
  // Byte-swapped into a little-endian buffer (byte copies are ~10× faster than DataView floats).
  const swapped = new Uint8Array(starts.length * dimension * 4);
  let out = 0;
  for (const start of starts)
    for (let index = start; index < start + dimension * 4; index += 4, out += 4) {
      swapped[out] = bytes[index + 3] as number;
      swapped[out + 1] = bytes[index + 2] as number;
      swapped[out + 2] = bytes[index + 1] as number;
      swapped[out + 3] = bytes[index] as number;
    }
  return { ids, vectors: new Float32Array(swapped.buffer) };
}

/** Scales each row of `vectors` to unit length (cosine is then the inner product the scan computes). */
function normalise(vectors: Float32Array, dimension: number): Float32Array {
  for (let row = 0; row < vectors.length; row += dimension) {
    let norm = 0;
    for (let index = row; index < row + dimension; index += 1) norm += (vectors[index] as number) ** 2;
    if (norm === 0 || Math.abs(norm - 1) < 1e-6) continue;
    const scale = 1 / Math.sqrt(norm);
    for (let index = row; index < row + dimension; index += 1)
      vectors[index] = (vectors[index] as number) * scale;
  }
  return vectors;
}

/** Book vectors of `modelId` after `after` (by owner id), at most `limit`, through a binary COPY. */
async function readChunk(
  sql: Sql,
  model: ActiveVectors,
  after: string,
  limit: number,
): Promise<{ ids: string[]; vectors: Float32Array }> {
  // COPY takes no parameters: the model id is quoted (it is a setting's value, not trusted text).
  const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const result = await sql.query(
    `COPY (SELECT owner_id, embedding FROM embeddings
            WHERE model_id = ${quoted(model.id)} AND owner_kind = 'book' AND owner_id > ${quoted(after)}
            ORDER BY owner_id LIMIT ${Math.trunc(limit)}) TO '/dev/blob' WITH (FORMAT binary)`,
  );
  const blob = (result as { blob?: Blob }).blob;
  if (!blob) return { ids: [], vectors: new Float32Array(0) };
  return parseBinaryVectors(new Uint8Array(await blob.arrayBuffer()), model.dimension);
}

/** The active model's book vectors in memory. */
export class VectorMemory {
  private model: ActiveVectors | null = null;
  private scan: VectorScan | null = null;
  /** Owner id the load has reached ('' before the first chunk), or null once loaded. */
  private cursor: string | null = '';
  /** Whether the active model or the catalogue may have changed under the loaded vectors. */
  private unsure = true;

  /** Whether every book vector of `modelId` is in memory. */
  ready(modelId: string): boolean {
    return this.model?.id === modelId && this.cursor === null && !this.unsure && this.scan !== null;
  }

  /** Vectors held (for the status). */
  get size(): number {
    return this.scan?.size ?? 0;
  }

  /** Book `id`'s vector under `modelId` (dequantised), if held. */
  get(modelId: string, id: string): Float32Array | undefined {
    return this.model?.id === modelId ? this.scan?.get(id) : undefined;
  }

  /** The `k` books nearest `query` (inner product of unit vectors), or null when not loaded. */
  nearest(
    modelId: string,
    query: Float32Array,
    k: number,
    exclude: ReadonlySet<string>,
  ): { id: string; score: number }[] | null {
    if (!this.ready(modelId) || !this.scan) return null;
    return this.scan.search(query, k, exclude);
  }

  /** Takes a committed batch of the embedding runner (books only; other owners are ignored). */
  stored(modelId: string, ids: readonly string[], vectors: readonly ArrayLike<number>[]): void {
    if (this.model?.id !== modelId || !this.scan) return;
    const dimension = this.scan.dimension;
    ids.forEach((id, index) => {
      const vector = vectors[index] as ArrayLike<number>;
      if (vector.length === dimension) this.scan?.set(id, normalise(Float32Array.from(vector), dimension));
    });
  }

  /** Follows a committed change (see the module's comment). */
  apply(change: DataChange): void {
    // A settings change may switch the active model; the first vectors of a model make it usable.
    if (change.entity === 'settings' || (change.entity === 'embeddings' && !this.model)) this.unsure = true;
    if (change.entity !== 'books') return;
    if (change.ids.length === 0) this.unsure = true;
    else if (change.op === 'delete') for (const id of change.ids) this.scan?.delete(id);
  }

  /** Whether {@link warmStep} has work to do. */
  get warming(): boolean {
    return this.unsure || this.cursor !== null;
  }

  /**
   * One step of loading, given the active model: checks a possibly changed model or catalogue
   * (one count), or loads the next chunk. Returns whether more steps are needed.
   */
  async warmStep(sql: Sql, active: ActiveVectors | null): Promise<boolean> {
    if (this.unsure) {
      this.unsure = false;
      if (!active) {
        this.model = null;
        this.scan = null;
        this.cursor = null;
        return false;
      }
      const sameModel = this.model?.id === active.id && this.model.dimension === active.dimension;
      if (sameModel && this.cursor === null) {
        const count = await sql.query<{ count: number }>(
          "SELECT count(*)::int AS count FROM embeddings WHERE model_id = $1 AND owner_kind = 'book'",
          [active.id],
        );
        if (count.rows[0]?.count === this.scan?.size) return false;
      }
      if (!sameModel || this.cursor === null) {
        this.model = active;
        this.scan = new VectorScan(active.dimension);
        this.cursor = '';
      }
    }
    if (this.cursor === null || !this.model || !this.scan) return false;
    const chunk = await readChunk(sql, this.model, this.cursor, VECTOR_CHUNK);
    this.scan.setMany(chunk.ids, normalise(chunk.vectors, this.model.dimension));
    this.cursor = chunk.ids.length < VECTOR_CHUNK ? null : (chunk.ids[chunk.ids.length - 1] as string);
    return this.warming;
  }
}
