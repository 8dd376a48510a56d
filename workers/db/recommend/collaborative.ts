/**
 * The collaborative part: implicit ALS (Hu, Koren & Volinsky 2008) trained by the nightly job on every
 * reader's interactions, kept serialised in `cf_models`, and used at serving time by folding the
 * reader in against the fixed item factors (one small solve), so a thumbs-up moves the next list at
 * once without a retrain. Hyper-parameters: 64 factors, λ = 50, α = 10, 15 iterations — the ALS
 * member `lumin eval --algo auto` picked on validation splits of MovieLens-100K (see DEVELOPERS.md).
 */
import type { PGlite } from '@electric-sql/pglite';
import { type AlsRecommender, createAls, deserializeAls } from '../../../shared/ml/als';
import { IdMap, buildMatrix } from '../../../shared/ml/matrix';
import { EVIDENCE_WEIGHT_SQL } from '../../../shared/recommend/evidence';
import type { Sql } from '../context';

/** The ALS settings of the nightly retrain. */
export const NIGHTLY_ALS = { factors: 64, iterations: 15, regularization: 50, alpha: 10, seed: 42 } as const;

/** A trained model with its id maps. */
export interface CollaborativeModel {
  model: AlsRecommender;
  readers: IdMap;
  books: IdMap;
  trainedAt: string;
  /**
   * Item-similarity neighbours by book, filled on first use: the item-similarity table of this
   * training, built lazily instead of all-pairs at night (quadratic in the catalogue).
   */
  similar: Map<string, { id: string; score: number }[]>;
}

/** The SQL of a reader's (or everyone's) positive evidence: ratings of 4+ count like a finish. */
const EVIDENCE = `SELECT reader_id::text AS reader, book_id::text AS book,
    sum(${EVIDENCE_WEIGHT_SQL})::float8 AS weight
  FROM interactions`;

/** Trains ALS on every reader's evidence and stores it; returns how many readers, books and entries. */
export async function trainCollaborative(
  db: PGlite,
): Promise<{ readers: number; books: number; entries: number }> {
  const rows = await db.query<{ reader: string; book: string; weight: number }>(
    `${EVIDENCE} GROUP BY 1, 2 HAVING sum(1) > 0`,
  );
  const readers = new IdMap();
  const books = new IdMap();
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  for (const row of rows.rows) {
    if (!(row.weight > 0)) continue;
    users.push(readers.add(row.reader));
    items.push(books.add(row.book));
    weights.push(row.weight);
  }
  if (users.length === 0) {
    await db.query("DELETE FROM cf_models WHERE name = 'als'");
    return { readers: 0, books: 0, entries: 0 };
  }
  const model = createAls(NIGHTLY_ALS);
  model.fit(buildMatrix({ users, items, weights }, readers.size, books.size));
  await db.query(
    `INSERT INTO cf_models (name, model, reader_ids, book_ids, interactions) VALUES ('als', $1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET model = excluded.model, reader_ids = excluded.reader_ids,
       book_ids = excluded.book_ids, interactions = excluded.interactions, trained_at = now()`,
    [model.serialize(), readers.ids, books.ids, users.length],
  );
  return { readers: readers.size, books: books.size, entries: users.length };
}

let cached: { trainedAt: string; value: CollaborativeModel } | null = null;

/** Drops the deserialised model kept in memory (a reader's row was erased from the stored one). */
export function forgetCollaborative(): void {
  cached = null;
}

/** The stored model (deserialised once per training), or null before the first nightly run. */
export async function loadCollaborative(sql: Sql): Promise<CollaborativeModel | null> {
  const stamp = await sql.query<{ trained_at: Date }>("SELECT trained_at FROM cf_models WHERE name = 'als'");
  const trainedAt = stamp.rows[0]?.trained_at.toISOString();
  if (!trainedAt) return null;
  if (cached?.trainedAt === trainedAt) return cached.value;
  const row = await sql.query<{ model: Uint8Array; reader_ids: string[]; book_ids: string[] }>(
    "SELECT model, reader_ids, book_ids FROM cf_models WHERE name = 'als'",
  );
  const found = row.rows[0];
  if (!found) return null;
  const readers = new IdMap();
  for (const id of found.reader_ids) readers.add(id);
  const books = new IdMap();
  for (const id of found.book_ids) books.add(id);
  const value = { model: deserializeAls(found.model), readers, books, trainedAt, similar: new Map() };
  cached = { trainedAt, value };
  return value;
}

/**
 * Collaborative candidates for a reader: their evidence folded in against the item factors, top `k`
 * books (excluding `exclude`). Empty before the first nightly run or without evidence on trained books.
 */
export function collaborativeCandidates(
  model: CollaborativeModel,
  evidence: Map<string, number>,
  k: number,
  exclude: ReadonlySet<string>,
): { id: string; score: number }[] {
  const items: number[] = [];
  const weights: number[] = [];
  for (const [book, weight] of evidence) {
    const index = model.books.get(book);
    if (index === undefined) continue;
    items.push(index);
    weights.push(weight);
  }
  if (items.length === 0) return [];
  const skip = new Set<number>();
  for (const id of exclude) {
    const index = model.books.get(id);
    if (index !== undefined) skip.add(index);
  }
  return model.model
    .recommendFor(items, weights, { k, exclude: skip })
    .map((scored) => ({ id: model.books.ids[scored.item] as string, score: scored.score }));
}

/** Books most similar to `bookId` by item factors (the "readers who liked X also liked" source). */
export function similarByFactors(
  model: CollaborativeModel,
  bookId: string,
  k: number,
): { id: string; score: number }[] {
  const known = model.similar.get(bookId);
  if (known && known.length >= k) return known.slice(0, k);
  const index = model.books.get(bookId);
  if (index === undefined) return [];
  const found = model.model
    .similarItems(index, k)
    .map((scored) => ({ id: model.books.ids[scored.item] as string, score: scored.score }));
  model.similar.set(bookId, found);
  return found;
}
