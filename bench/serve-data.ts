/**
 * The serving benchmark's synthetic data: clustered unit vectors from a seeded generator, and their
 * bulk load into `embeddings`.
 */
import type { PGlite } from '@electric-sql/pglite';
import { seededRandom } from '../shared/ml/random';

/** A seeded source of unit vectors around cluster centres. */
export function vectorSource(seed: number, dimension: number) {
  const random = seededRandom(seed);
  const DIMENSION = dimension;
  function gaussian(): number {
    // Box–Muller; 1 - random() is in (0, 1], so the log is finite.
    return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  }
  function normalise(vector: Float32Array): Float32Array {
    let norm = 0;
    for (const value of vector) norm += value * value;
    const scale = 1 / Math.sqrt(norm);
    for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] as number) * scale;
    return vector;
  }
  function randomUnit(): Float32Array {
    return normalise(Float32Array.from({ length: DIMENSION }, gaussian));
  }
  /** normalise(centre + spread · a random unit vector). */
  function around(centre: Float32Array, spread: number): Float32Array {
    const noise = randomUnit();
    return normalise(centre.map((value, index) => value + spread * (noise[index] as number)));
  }
  function pick<T>(items: readonly T[]): T {
    return items[Math.floor(random() * items.length)] as T;
  }
  return { random, randomUnit, around, pick };
}

/**
 * Stores vectors of the synthetic model through a binary COPY (pgvector's binary input: no float
 * parsing, about 20× faster than text literals in PGlite), staged in a temporary table.
 */
export async function insertSyntheticVectors(
  db: PGlite,
  target: { kind: 'book' | 'reader'; model: string; dimension: number },
  ids: readonly string[],
  vectors: readonly Float32Array[],
): Promise<void> {
  const { kind, model: MODEL, dimension: DIMENSION } = target;
  const encoder = new TextEncoder();
  const names = ids.map((id) => encoder.encode(id));
  let size = 11 + 4 + 4 + 2;
  for (const name of names) size += 2 + 4 + name.length + 4 + 4 + DIMENSION * 4;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]); // PGCOPY\n\377\r\n\0
  let at = 19; // signature, flags and header extension length (both 0)
  names.forEach((name, row) => {
    const vector = vectors[row] as Float32Array;
    view.setInt16(at, 2);
    view.setInt32(at + 2, name.length);
    bytes.set(name, at + 6);
    at += 6 + name.length;
    view.setInt32(at, 4 + DIMENSION * 4);
    view.setInt16(at + 4, DIMENSION);
    view.setInt16(at + 6, 0);
    at += 8;
    for (let index = 0; index < DIMENSION; index++, at += 4) view.setFloat32(at, vector[index] as number);
  });
  view.setInt16(at, -1);
  await db.exec('CREATE TEMP TABLE IF NOT EXISTS bench_vectors (owner_id text, embedding vector)');
  await db.query("COPY bench_vectors (owner_id, embedding) FROM '/dev/blob' WITH (FORMAT binary)", [], {
    blob: new Blob([bytes]),
  });
  await db.query(
    `INSERT INTO embeddings (owner_kind, owner_id, model_id, dimension, embedding, source_updated_at)
     SELECT $1, owner_id, $2, ${DIMENSION}, embedding, now() FROM bench_vectors`,
    [kind, MODEL],
  );
  await db.exec('TRUNCATE bench_vectors');
}
