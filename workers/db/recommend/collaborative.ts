/**
 * The collaborative part: the nightly job runs the same search as `lumin offline-recs --algo auto`
 * (`shared/ml/tune.ts`: popularity, item-kNN, RP3beta, EASE^R, implicit ALS and blends, decided on
 * validation folds of the library's own interactions) with a small time budget, fits the winner on every
 * reader's interactions and keeps it serialised in `cf_models` under its kind. Serving folds a reader's
 * newest evidence into whatever won, without a retrain: ALS solves for the reader against the fixed item
 * factors; EASE^R (or SANSA, its approximation for large catalogues) and RP3beta score
 * `history × item–item matrix` (top-N neighbours per book); a blend does both. Below `SEARCH_MIN_ENTRIES` interactions there is too little to validate on, and ALS with the
 * settings `lumin eval --algo auto` picked on MovieLens-100K (64 factors, λ = 50, α = 10) is trained as before.
 */
import type { PGlite } from '@electric-sql/pglite';
import { NIGHTLY_ALS, createAls } from '../../../shared/ml/als';
import { deserializeBlend } from '../../../shared/ml/blend';
import { IdMap, buildMatrix } from '../../../shared/ml/matrix';
import type { InteractionMatrix, Recommender } from '../../../shared/ml/recommender';
import { DESERIALIZERS, isAlgorithmName } from '../../../shared/ml/registry';
import { createChoice, describeChoice, tune } from '../../../shared/ml/tune';
import { EVIDENCE_WEIGHT_SQL } from '../../../shared/recommend/evidence';
import type { Sql } from '../sql';

/** Seconds the nightly search may take (`lumin offline-recs --algo auto` has 120). */
export const NIGHTLY_BUDGET_SECONDS = 20;

/** Fewer interactions than this, and the nightly job trains NIGHTLY_ALS without a search. */
export const SEARCH_MIN_ENTRIES = 200;

/**
 * Neighbours per book the item–item models keep when they serve: 100 books × 8 bytes (by target and by
 * source) is 1.6 kB a book, 160 MB at 100,000 books at most.
 */
const SERVING_NEIGHBOURS = 100;

/** A trained model with its id maps. */
export interface CollaborativeModel {
  model: Recommender;
  /** Its kind as stored: `als`, `ease`, `sansa`, `rp3`, `knn`, `pop` or `blend`. */
  kind: string;
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

/**
 * The model to serve for `matrix`: the winner of a budgeted search over the personalised models, or
 * NIGHTLY_ALS when there is too little data to validate on. Returns it unfitted, with its kind and
 * description.
 */
export async function chooseCollaborative(
  matrix: InteractionMatrix,
  budgetSeconds = NIGHTLY_BUDGET_SECONDS,
): Promise<{ model: Recommender; kind: string; description: string }> {
  if (matrix.userIndices.length < SEARCH_MIN_ENTRIES)
    return { model: createAls(NIGHTLY_ALS), kind: 'als', description: 'als (too little data to search)' };
  const tuned = await tune(matrix, {
    // Popularity has its own source in the chain; this one is for personalised models.
    algorithms: ['knn', 'rp3', 'ease', 'als'],
    seed: 42,
    budgetSeconds,
    alsTrials: 8,
    fixed: { iterations: 10 },
  });
  // Serving keeps fewer neighbours than the search's models: memory grows with books × neighbours.
  const members = tuned.choice.members.map((member) =>
    member.algo === 'ease' || member.algo === 'sansa' || member.algo === 'rp3'
      ? { ...member, options: { ...member.options, neighbours: SERVING_NEIGHBOURS } }
      : member,
  );
  const choice = { ...tuned.choice, members };
  const [only] = members;
  return {
    model: createChoice(choice),
    kind: members.length === 1 && only ? only.algo : 'blend',
    description: `${describeChoice(choice)}: ${tuned.reason}`,
  };
}

/** Restores a stored model of `kind`. */
function deserializeKind(kind: string, bytes: Uint8Array): Recommender {
  if (kind === 'blend') return deserializeBlend(bytes);
  if (isAlgorithmName(kind)) return DESERIALIZERS[kind](bytes);
  throw new Error(`cf_models: unknown model kind '${kind}'`);
}

/**
 * Chooses, trains and stores the collaborative model on every reader's evidence (replacing any other
 * kind); returns how many readers, books and entries, and what was chosen and why.
 */
export async function trainCollaborative(
  db: PGlite,
  budgetSeconds = NIGHTLY_BUDGET_SECONDS,
): Promise<{ readers: number; books: number; entries: number; model?: string }> {
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
    await db.query('DELETE FROM cf_models');
    return { readers: 0, books: 0, entries: 0 };
  }
  const matrix = buildMatrix({ users, items, weights }, readers.size, books.size);
  const { model, kind, description } = await chooseCollaborative(matrix, budgetSeconds);
  model.fit(matrix);
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM cf_models WHERE name <> $1', [kind]);
    await tx.query(
      `INSERT INTO cf_models (name, model, reader_ids, book_ids, interactions) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO UPDATE SET model = excluded.model, reader_ids = excluded.reader_ids,
         book_ids = excluded.book_ids, interactions = excluded.interactions, trained_at = now()`,
      [kind, model.serialize(), readers.ids, books.ids, users.length],
    );
  });
  return { readers: readers.size, books: books.size, entries: users.length, model: description };
}

let cached: { trainedAt: string; value: CollaborativeModel } | null = null;

/** Drops the deserialised model kept in memory (a reader's row was erased from the stored one). */
export function forgetCollaborative(): void {
  cached = null;
}

/** The stored model (deserialised once per training), or null before the first nightly run. */
export async function loadCollaborative(sql: Sql): Promise<CollaborativeModel | null> {
  // The newest row: the nightly job keeps one, the one it chose.
  const stamp = await sql.query<{ trained_at: Date; name: string }>(
    'SELECT trained_at, name FROM cf_models ORDER BY trained_at DESC LIMIT 1',
  );
  const trainedAt = stamp.rows[0]?.trained_at.toISOString();
  const kind = stamp.rows[0]?.name;
  if (!trainedAt || !kind) return null;
  if (cached?.trainedAt === trainedAt && cached.value.kind === kind) return cached.value;
  const row = await sql.query<{ model: Uint8Array; reader_ids: string[]; book_ids: string[] }>(
    'SELECT model, reader_ids, book_ids FROM cf_models WHERE name = $1',
    [kind],
  );
  const found = row.rows[0];
  if (!found) return null;
  const readers = new IdMap();
  for (const id of found.reader_ids) readers.add(id);
  const books = new IdMap();
  for (const id of found.book_ids) books.add(id);
  const value = {
    model: deserializeKind(kind, found.model),
    kind,
    readers,
    books,
    trainedAt,
    similar: new Map<string, { id: string; score: number }[]>(),
  };
  cached = { trainedAt, value };
  return value;
}

/**
 * Collaborative candidates for a reader: their evidence folded into the model (ALS: against the item
 * factors; item–item models: history × neighbours), top `k` books (excluding `exclude`). Empty before the first nightly run or without evidence on trained books.
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

/** Books most similar to `bookId` by the model (the "readers who liked X also liked" source). */
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
