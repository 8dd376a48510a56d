/**
 * The nightly job, per tenant: archive what is older than 48 h, then train ALS (the shared core in
 * shared/ml, the same trainer the devices use) over the tenant's evidence — archived weights plus the
 * hot table — and write a new version of batch lists per pseudonymous reader, item similarity (cosine
 * of item factors) and popular books per grade band, in one transaction per tenant.
 */
import { createAls } from '../shared/ml/als';
import { IdMap, buildMatrix } from '../shared/ml/matrix';
import { type ArchiveReport, archiveOld } from './archive';
import type { Queryable, ServerDb } from './db';
import { EVIDENCE_WEIGHT_SQL } from './weights';

/** ALS settings (those of the devices' nightly retrain). */
export const SERVER_ALS = { factors: 64, iterations: 15, regularization: 50, alpha: 10, seed: 42 } as const;
/** Books per reader's batch list. */
export const BATCH_LIST_SIZE = 50;
/** Neighbours kept per book. */
export const SIMILAR_PER_BOOK = 20;
/** Item similarity is all pairs; above this many books it is skipped (the Spark job's task then). */
export const SIMILARITY_MAX_BOOKS = 5000;
/** Popular books kept per band. */
export const POPULAR_PER_BAND = 200;
/** Popular cells and item neighbours need at least this many distinct pseudonyms (k-anonymity). */
export const K_ANONYMITY_MIN = 5;
/** The advisory lock that makes exactly one instance run the nightly job. */
export const NIGHTLY_LOCK = 'lumin-server-nightly';

/** `k` checked: a whole number, never below {@link K_ANONYMITY_MIN} (it is configurable upward only). */
export function kAnonymity(value: number | undefined): number {
  if (value === undefined) return K_ANONYMITY_MIN;
  if (!Number.isInteger(value) || value < K_ANONYMITY_MIN)
    throw new RangeError(`k-anonymity: must be a whole number of at least ${K_ANONYMITY_MIN} (got ${value})`);
  return value;
}

/** Batch versions kept per tenant (the newest and the one before, for devices mid-pull). */
const VERSIONS_KEPT = 2;

/** What one tenant's run did. */
export interface TenantNightly {
  tenantId: string;
  version: number | null;
  readers: number;
  books: number;
  entries: number;
}

/** What a nightly run did (`ran: false`: another instance holds the nightly lock). */
export interface NightlyReport {
  ran: boolean;
  archive: ArchiveReport;
  tenants: TenantNightly[];
}

/** Options of a nightly run. */
export interface NightlyOptions {
  now?: Date;
  tenantId?: string;
  /** Least distinct pseudonyms behind a popular cell or an item neighbour (default and minimum 5). */
  kAnonymity?: number;
  /** Skip when a run finished this recently (instances' timers: one run per period across them). */
  skipIfRanWithinMs?: number;
}

interface EvidenceRow {
  reader: string;
  book_key: string;
  weight: number;
  band: string | null;
}

async function loadEvidence(db: Queryable, tenantId: string): Promise<EvidenceRow[]> {
  const rows = await db.query<EvidenceRow>(
    `SELECT reader, book_key, sum(weight)::float8 AS weight, max(band) AS band FROM (
       SELECT reader, book_key, weight, band FROM evidence WHERE tenant_id = $1
       UNION ALL
       SELECT reader, book_key, (${EVIDENCE_WEIGHT_SQL})::float8, band FROM interactions WHERE tenant_id = $1
     ) x GROUP BY reader, book_key`,
    [tenantId],
  );
  return rows.rows.filter((row) => row.weight > 0);
}

/** Indices of the `k` highest finite scores, best first (a k-slot insertion pass: O(n) for small k). */
function topIndices(scores: Float32Array, k: number): number[] {
  const best: number[] = [];
  for (let index = 0; index < scores.length; index++) {
    const score = scores[index] ?? -Infinity;
    if (score === -Infinity) continue;
    if (best.length === k && score <= (scores[best[k - 1] as number] ?? -Infinity)) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && (scores[best[at - 1] as number] ?? -Infinity) < score) {
      best[at] = best[at - 1] as number;
      at -= 1;
    }
    best[at] = index;
  }
  return best;
}

/** Top neighbours of every book by cosine of item factors, among books `eligible` (k readers or more). */
function itemSimilarity(
  factors: Float32Array,
  books: number,
  width: number,
  eligible: (book: number) => boolean,
): { book: number; similar: number; score: number }[] {
  if (books > SIMILARITY_MAX_BOOKS || books < 2) return [];
  const norms = new Float32Array(books);
  for (let item = 0; item < books; item++) {
    let sum = 0;
    for (let f = 0; f < width; f++) sum += (factors[item * width + f] ?? 0) ** 2;
    norms[item] = Math.sqrt(sum) || 1;
  }
  const out: { book: number; similar: number; score: number }[] = [];
  const scores = new Float32Array(books);
  for (let item = 0; item < books; item++) {
    if (!eligible(item)) continue;
    for (let other = 0; other < books; other++) {
      if (!eligible(other)) {
        scores[other] = -Infinity;
        continue;
      }
      let dot = 0;
      for (let f = 0; f < width; f++)
        dot += (factors[item * width + f] ?? 0) * (factors[other * width + f] ?? 0);
      scores[other] = other === item ? -Infinity : dot / ((norms[item] ?? 1) * (norms[other] ?? 1));
    }
    for (const similar of topIndices(scores, SIMILAR_PER_BOOK))
      out.push({ book: item, similar, score: scores[similar] ?? 0 });
  }
  return out;
}

/** Popular books per band: readers with positive evidence, then summed weight; cells of k readers or more. */
function popularByBand(
  rows: EvidenceRow[],
  k: number,
): { band: string; book: string; readers: number; score: number }[] {
  const bands = new Map<string, Map<string, { readers: number; score: number }>>();
  for (const row of rows) {
    const band = row.band;
    for (const name of band ? ['all', band] : ['all']) {
      const books = bands.get(name) ?? new Map<string, { readers: number; score: number }>();
      const entry = books.get(row.book_key) ?? { readers: 0, score: 0 };
      entry.readers += 1;
      entry.score += row.weight;
      books.set(row.book_key, entry);
      bands.set(name, books);
    }
  }
  return [...bands].flatMap(([band, books]) =>
    [...books]
      .filter(([, entry]) => entry.readers >= k)
      .sort((a, b) => b[1].readers - a[1].readers || b[1].score - a[1].score)
      .slice(0, POPULAR_PER_BAND)
      .map(([book, entry]) => ({ band, book, ...entry })),
  );
}

/** Trains and publishes one tenant's lists. */
export async function trainTenant(
  db: ServerDb,
  tenantId: string,
  k = K_ANONYMITY_MIN,
): Promise<TenantNightly> {
  const rows = await loadEvidence(db, tenantId);
  const readers = new IdMap();
  const books = new IdMap();
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  for (const row of rows) {
    users.push(readers.add(row.reader));
    items.push(books.add(row.book_key));
    weights.push(row.weight);
  }
  const summary = { tenantId, readers: readers.size, books: books.size, entries: users.length };
  if (users.length === 0) return { ...summary, version: null };
  const model = createAls(SERVER_ALS);
  model.fit(buildMatrix({ users, items, weights }, readers.size, books.size));
  const all = model.recommendAll(Math.min(BATCH_LIST_SIZE, books.size));
  const list = {
    readers: [] as string[],
    books: [] as string[],
    ranks: [] as number[],
    scores: [] as number[],
  };
  for (let user = 0; user < readers.size; user++)
    for (let rank = 0; rank < all.k; rank++) {
      const item = all.items[user * all.k + rank] ?? -1;
      if (item < 0) break;
      list.readers.push(readers.ids[user] as string);
      list.books.push(books.ids[item] as string);
      list.ranks.push(rank + 1);
      list.scores.push(all.scores[user * all.k + rank] ?? 0);
    }
  const readersPerBook = new Uint32Array(books.size);
  for (const item of items) readersPerBook[item] = (readersPerBook[item] ?? 0) + 1;
  const similar = itemSimilarity(
    model.itemFactors,
    books.size,
    SERVER_ALS.factors,
    (book) => (readersPerBook[book] ?? 0) >= k,
  );
  const popular = popularByBand(rows, k);
  const version = await db.transaction(async (tx) => {
    // One nightly per tenant at a time, across instances.
    await tx.query('SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
    const next = await tx.query<{ version: number }>(
      'SELECT coalesce(max(version), 0)::int + 1 AS version FROM rec_versions WHERE tenant_id = $1',
      [tenantId],
    );
    const created = next.rows[0]?.version ?? 1;
    await tx.query(
      'INSERT INTO rec_versions (tenant_id, version, readers, interactions) VALUES ($1, $2, $3, $4)',
      [tenantId, created, readers.size, users.length],
    );
    await tx.query(
      `INSERT INTO batch_recs (tenant_id, version, reader, book_key, rank, score)
       SELECT $1, $2, x.r, x.b, x.k, x.s FROM unnest($3::text[], $4::text[], $5::int[], $6::real[]) AS x(r, b, k, s)`,
      [tenantId, created, list.readers, list.books, list.ranks, list.scores],
    );
    await tx.query('DELETE FROM rec_versions WHERE tenant_id = $1 AND version <= $2', [
      tenantId,
      created - VERSIONS_KEPT,
    ]);
    await tx.query('DELETE FROM item_similarity WHERE tenant_id = $1', [tenantId]);
    await tx.query(
      `INSERT INTO item_similarity (tenant_id, book_key, neighbour, score)
       SELECT $1, x.b, x.s, x.c FROM unnest($2::text[], $3::text[], $4::real[]) AS x(b, s, c)`,
      [
        tenantId,
        similar.map((pair) => books.ids[pair.book] as string),
        similar.map((pair) => books.ids[pair.similar] as string),
        similar.map((pair) => pair.score),
      ],
    );
    await tx.query('DELETE FROM popular WHERE tenant_id = $1', [tenantId]);
    await tx.query(
      `INSERT INTO popular (tenant_id, band, book_key, readers, score)
       SELECT $1, x.band, x.b, x.n, x.s FROM unnest($2::text[], $3::text[], $4::int[], $5::real[]) AS x(band, b, n, s)`,
      [
        tenantId,
        popular.map((entry) => entry.band),
        popular.map((entry) => entry.book),
        popular.map((entry) => entry.readers),
        popular.map((entry) => entry.score),
      ],
    );
    return created;
  });
  return { ...summary, version };
}

/**
 * Runs the nightly job over every tenant (or one), on exactly one instance: it holds a PostgreSQL
 * advisory lock while it runs, and a second caller meanwhile gets `ran: false`.
 */
export async function runServerNightly(
  db: ServerDb,
  archiveDir: string,
  options: NightlyOptions = {},
): Promise<NightlyReport> {
  const k = kAnonymity(options.kAnonymity);
  const outcome = await db.exclusively(NIGHTLY_LOCK, async () => {
    if (options.skipIfRanWithinMs) {
      const recent = await db.query<{ recent: boolean }>(
        `SELECT coalesce(max(finished_at) > now() - make_interval(secs => $1), false) AS recent FROM nightly_runs`,
        [options.skipIfRanWithinMs / 1000],
      );
      if (recent.rows[0]?.recent) return null;
    }
    const started = new Date();
    const archive = await archiveOld(db, archiveDir, options);
    const tenants = await db.query<{ id: string }>(
      'SELECT id::text FROM tenants WHERE ($1::uuid IS NULL OR id = $1) ORDER BY created_at',
      [options.tenantId ?? null],
    );
    const report: NightlyReport = { ran: true, archive, tenants: [] };
    for (const { id } of tenants.rows) report.tenants.push(await trainTenant(db, id, k));
    await db.query('INSERT INTO nightly_runs (started_at, tenants) VALUES ($1, $2)', [
      started,
      report.tenants.length,
    ]);
    return report;
  });
  return outcome.ran && outcome.value
    ? outcome.value
    : { ran: false, archive: { files: [], rows: 0 }, tenants: [] };
}
