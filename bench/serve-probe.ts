/**
 * One serving measurement in a fresh process: `node serve-probe.js HOST_MODULE DATA_DIR BOOKS READERS`.
 * Prints one JSON line (progress goes to stderr).
 *
 * Setup: the core creates and migrates the database and closes; PGlite is then opened directly (one
 * owner at a time) for the bulk load: books, readers, clustered 384-d unit vectors of a synthetic model
 * made the active one, ~20 interactions per reader, and the model's HNSW index, where recall@20 is
 * measured against exact search. Everything else goes through the core's API, each session once the
 * serving memory is warm: the nightly job, then personalised, cache and feedback → fresh list; then, in
 * later sessions set up directly, the batch path (active model without vectors, no ALS model) and the
 * popular path (no batch lists either); last, the recall of the serving memory's scan.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Recommendations } from '../shared/contract/recommend';
import { efSearch, ensureIndex, nearestBooks, vectorLiteral } from '../workers/db/embeddings/vectors';
import { dataLayout } from '../workers/db/layout';
import { openCluster } from '../workers/db/open';
import type * as CoreModule from '../workers/host/core';
import { insertSyntheticVectors, vectorSource } from './serve-data';
import { scanRecall } from './serve-recall';

const [hostModule, dataDir, booksArg, readersArg] = process.argv.slice(2);
if (!hostModule || !dataDir || !booksArg || !readersArg)
  throw new Error('usage: serve-probe HOST_MODULE DATA_DIR BOOKS READERS');
const BOOKS = Number(booksArg);
const READERS = Number(readersArg);

const DIMENSION = 384;
const CLUSTERS = 50;
const BOOK_SPREAD = 0.35;
const READER_SPREAD = 0.5;
const INTERACTIONS_PER_READER = 20;
/** The synthetic model (a hub-style id, so parseModelId accepts it) and one that has no vectors. */
const MODEL = 'bench/synthetic-384';
const NO_VECTORS_MODEL = 'bench/no-vectors-384';
const MEASURED_READERS = Math.min(200, READERS);
const FEEDBACK_READERS = 50;
/**
 * Requests served before each measurement, for readers outside the measured ones: V8 compiles,
 * deoptimises and recompiles the serving code over its first hundred or so calls (measured: pauses
 * of 2–7 ms outside the db worker's own time on one request in ten until then), a one-off of every
 * start that is not steady serving.
 */
const WARM_UP_READERS = 200;
const CHUNK = 5000;

const log = (message: string) => process.stderr.write(`serve-probe: ${message}\n`);
const seconds = (since: number) => (performance.now() - since) / 1000;
const round = (value: number, digits = 3) => Number(value.toFixed(digits));
function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

const { random, randomUnit, around, pick } = vectorSource(20_240_601, DIMENSION);
const insertVectors = (
  db: PGlite,
  kind: 'book' | 'reader',
  ids: readonly string[],
  vectors: readonly Float32Array[],
) => insertSyntheticVectors(db, { kind, model: MODEL, dimension: DIMENSION }, ids, vectors);

const { openCore } = (await import(hostModule)) as typeof CoreModule;
/** Resolves once the core's serving memory is loaded. */
async function untilWarm(core: CoreModule.Core): Promise<void> {
  for (;;) {
    const status = await core.api.status.get();
    if (!status.ok) throw new Error(status.error.message);
    if (status.value.serving.warm) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
/** Seconds from opening the core until its serving memory was warm, per session. */
const warmSeconds: number[] = [];
/**
 * Opens the core and waits for its serving memory to load (the status says so), as an app does in
 * the background after opening: steady-state serving is measured, and the warm-up is reported apart.
 */
async function withCore<T>(task: (core: CoreModule.Core) => Promise<T>, warm = true): Promise<T> {
  const started = performance.now();
  const opened = await openCore({ dataDir: dataDir as string, autoBackup: false, purpose: 'bench' });
  if (!opened.ok) throw new Error(opened.error.message);
  try {
    if (warm) {
      await untilWarm(opened.value);
      warmSeconds.push(seconds(started));
    }
    return await task(opened.value);
  } finally {
    await opened.value.close();
  }
}
async function withDatabase<T>(task: (db: PGlite) => Promise<T>): Promise<T> {
  const { db } = await openCluster(dataLayout(dataDir as string).pgdata, []);
  try {
    return await task(db);
  } finally {
    await db.close();
  }
}

// ---- Setup -------------------------------------------------------------------------------------------
/**
 * LUMIN_BENCH_CACHE=DIR keeps the loaded library (about 3 minutes to build at 100K books) in DIR and
 * copies it back on the next run with the same sizes: for iterating on the serving code only; the
 * reported setup_s is then the original setup's.
 */
const cacheRoot = process.env['LUMIN_BENCH_CACHE'];
const cacheDir = cacheRoot ? join(cacheRoot, `serve-${BOOKS}-${READERS}`) : undefined;
const cached =
  cacheDir && existsSync(join(cacheDir, 'setup.json'))
    ? (JSON.parse(readFileSync(join(cacheDir, 'setup.json'), 'utf8')) as {
        readerIds: string[];
        recallAt20: number;
        setupS: number;
      })
    : undefined;
const setupStarted = performance.now();
if (!cached) {
  await withCore(async () => undefined, false); // creates and migrates the database
  log(`database created in ${seconds(setupStarted).toFixed(1)} s`);
}

const centres = Array.from({ length: CLUSTERS }, randomUnit);
const bookIds = Array.from({ length: BOOKS }, () => randomUUID());
const clusterBooks: string[][] = Array.from({ length: CLUSTERS }, () => []);
bookIds.forEach((id, index) => clusterBooks[index % CLUSTERS]?.push(id));
const readerIds = cached?.readerIds ?? Array.from({ length: READERS }, () => randomUUID());
const readerCluster = readerIds.map((_, index) => index % CLUSTERS);

if (cached && cacheDir) {
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(join(cacheDir, 'data'), dataDir, { recursive: true });
  log(`library copied from ${cacheDir}`);
}
const recallAt20 = cached
  ? cached.recallAt20
  : await withDatabase(async (db) => {
      let started = performance.now();
      for (let offset = 0; offset < BOOKS; offset += CHUNK) {
        const ids = bookIds.slice(offset, offset + CHUNK);
        await db.query(
          `INSERT INTO books (id, title, interest_level, interest_age_min, interest_age_max, reading_level,
                          reading_level_system, reading_level_source)
       SELECT x.id, 'Book ' || x.n, 'MG', 8, 12, (700 + (x.n % 11) * 10)::text || 'L', 'lexile', 'known'
         FROM unnest($1::uuid[], $2::int[]) AS x(id, n)`,
          [ids, ids.map((_, index) => offset + index)],
        );
        await insertVectors(
          db,
          'book',
          ids,
          ids.map((_, index) => around(centres[(offset + index) % CLUSTERS] as Float32Array, BOOK_SPREAD)),
        );
        if ((offset / CHUNK) % 4 === 3) log(`${offset + ids.length} books with vectors`);
      }
      log(`${BOOKS} books with vectors in ${seconds(started).toFixed(1)} s`);

      started = performance.now();
      await db.query(
        `INSERT INTO readers (id, name, grade, age, interests)
     SELECT x.id, 'Reader ' || x.n, 4, 9, '{}' FROM unnest($1::uuid[], $2::int[]) AS x(id, n)`,
        [readerIds, readerIds.map((_, index) => index)],
      );
      await insertVectors(
        db,
        'reader',
        readerIds,
        readerIds.map((_, index) =>
          around(centres[readerCluster[index] as number] as Float32Array, READER_SPREAD),
        ),
      );
      // Interactions on books of the reader's cluster, skewed towards each cluster's first books (so some
      // books are popular and ALS sees co-occurrence), within the last 60 days.
      const types = ['finish', 'checkout', 'thumbs_up'] as const;
      const events = {
        readers: [] as string[],
        books: [] as string[],
        types: [] as string[],
        days: [] as number[],
      };
      readerIds.forEach((reader, index) => {
        const pool = clusterBooks[readerCluster[index] as number] as string[];
        const chosen = new Set<string>();
        while (chosen.size < Math.min(INTERACTIONS_PER_READER, pool.length))
          chosen.add(pool[Math.floor(pool.length * random() ** 3)] as string);
        for (const book of chosen) {
          events.readers.push(reader);
          events.books.push(book);
          events.types.push(pick(types));
          events.days.push(random() * 60);
        }
      });
      for (let offset = 0; offset < events.readers.length; offset += CHUNK * 4)
        await db.query(
          `INSERT INTO interactions (id, reader_id, book_id, type, occurred_at)
       SELECT gen_random_uuid(), x.r, x.b, x.t, now() - x.d * interval '1 day'
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::float8[]) AS x(r, b, t, d)`,
          [
            events.readers.slice(offset, offset + CHUNK * 4),
            events.books.slice(offset, offset + CHUNK * 4),
            events.types.slice(offset, offset + CHUNK * 4),
            events.days.slice(offset, offset + CHUNK * 4),
          ],
        );
      await db.query(
        `INSERT INTO embedding_models (id, provider, dimension, completed_at) VALUES ($1, 'transformers', $2, now())
     ON CONFLICT (id) DO UPDATE SET dimension = excluded.dimension, completed_at = excluded.completed_at`,
        [MODEL, DIMENSION],
      );
      await db.query(
        `INSERT INTO settings (key, value) VALUES ('embeddings.model', to_jsonb($1::text))
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
        [MODEL],
      );
      log(`${READERS} readers, ${events.readers.length} interactions in ${seconds(started).toFixed(1)} s`);

      started = performance.now();
      log(`building the HNSW index over ${BOOKS} × ${DIMENSION} (one blocking statement)…`);
      await ensureIndex(db, MODEL, DIMENSION);
      log(`HNSW index built in ${seconds(started).toFixed(1)} s`);

      // Recall@20 of the index against exact search, on reader-like queries. nearestBooks sets
      // hnsw.ef_search to max(MIN_EF_SEARCH, k + excluded): the top 20 of a top-K query is the index's
      // top 20 at ef_search K, which gives recall at a larger candidate list too (stderr).
      const queries = Array.from({ length: 100 }, () => around(pick(centres), READER_SPREAD));
      const plan = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT owner_id FROM embeddings
      WHERE model_id = '${MODEL}' AND owner_kind = 'book' AND NOT (owner_id = ANY('{}'::text[]))
      ORDER BY embedding::vector(${DIMENSION}) <=> (SELECT $1::vector(${DIMENSION})) LIMIT 20`,
        [vectorLiteral(queries[0] as Float32Array)],
      );
      const planText = plan.rows.map((row) => row['QUERY PLAN'].trim()).join(' | ');
      log(`ANN plan: ${planText.slice(0, 160)}…`);
      if (!planText.includes('Index Scan using embeddings_hnsw_'))
        throw new Error('the ANN query does not use HNSW');
      const candidateLists = [20, 400];
      const approximate = new Map<number, string[][]>();
      for (const k of candidateLists) {
        const lists: string[][] = [];
        for (const query of queries)
          lists.push(
            (await nearestBooks(db, MODEL, DIMENSION, query, k)).slice(0, 20).map((item) => item.id),
          );
        approximate.set(k, lists);
      }
      await db.exec('SET enable_indexscan = off; SET enable_bitmapscan = off;');
      const overlap = new Map(candidateLists.map((k) => [k, 0]));
      try {
        for (const [index, query] of queries.entries()) {
          const exact = await nearestBooks(db, MODEL, DIMENSION, query, 20);
          for (const k of candidateLists) {
            const found = new Set(approximate.get(k)?.[index]);
            const hits = exact.filter((item) => found.has(item.id)).length / exact.length;
            overlap.set(k, (overlap.get(k) ?? 0) + hits);
          }
        }
      } finally {
        await db.exec('RESET enable_indexscan; RESET enable_bitmapscan;');
      }
      const recall = (k: number) => (overlap.get(k) ?? 0) / queries.length;
      log(
        `recall@20 by ef_search: ${candidateLists.map((k) => `${efSearch(k, 0)}: ${recall(k).toFixed(3)}`).join(', ')}`,
      );
      return recall(20);
    });
const setupS = cached ? cached.setupS : seconds(setupStarted);
if (cacheDir && !cached) {
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  cpSync(dataDir, join(cacheDir, 'data'), { recursive: true });
  writeFileSync(join(cacheDir, 'setup.json'), JSON.stringify({ readerIds, recallAt20, setupS }));
}
log(`setup done in ${setupS.toFixed(1)} s; recall@20 ${recallAt20.toFixed(3)}`);

// ---- Session 1: nightly, personalised, cache, feedback -----------------------------------------------
type Get = (readerId: string, fresh: boolean) => Promise<{ ms: number; value: Recommendations }>;
function getter(core: CoreModule.Core): Get {
  return async (readerId, fresh) => {
    const started = performance.now();
    const result = await core.api.recommend.get({ readerId, k: 10, ...(fresh ? { fresh: true } : {}) });
    const ms = performance.now() - started;
    if (!result.ok) throw new Error(`recommend.get: ${result.error.message}`);
    return { ms, value: result.value };
  };
}
function expectSource(value: Recommendations, source: Recommendations['source']): void {
  if (value.source !== source) throw new Error(`expected a ${source} list, got ${value.source}`);
  if (value.items.length === 0) throw new Error(`empty ${source} list`);
}
/** `count` readers starting at `from`, wrapping round. */
const readersFrom = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => readerIds[(from + index) % READERS] as string);
const warmUpReaders = readersFrom(MEASURED_READERS + 5 + FEEDBACK_READERS, WARM_UP_READERS);

const session1 = await withCore(async (core) => {
  const started = performance.now();
  const queued = await core.api.jobs.run({ kind: 'nightly' });
  if (!queued.ok) throw new Error(queued.error.message);
  for (;;) {
    const job = await core.api.jobs.get({ id: queued.value.id });
    if (!job.ok) throw new Error(job.error.message);
    if (job.value.state === 'failed' || job.value.state === 'cancelled')
      throw new Error(`nightly: ${job.value.lastError ?? job.value.state}`);
    if (job.value.state === 'succeeded') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const nightlyS = seconds(started);
  log(`nightly job in ${nightlyS.toFixed(1)} s`);
  await untilWarm(core); // the new batch lists are read with the readers' states

  const get = getter(core);
  const measured = readersFrom(0, MEASURED_READERS);
  for (const reader of warmUpReaders) await get(reader, true);
  const personalised: number[] = [];
  for (const reader of measured) {
    const { ms, value } = await get(reader, true);
    expectSource(value, 'personalised');
    personalised.push(ms);
  }
  const cache: number[] = [];
  for (const reader of measured) {
    const { ms, value } = await get(reader, false);
    expectSource(value, 'cache');
    cache.push(ms);
  }
  // Back to back, each call above waited for the previous list's impression write (queued behind it in
  // the worker); with a pause first, a hit is measured on an idle worker.
  const cacheIdle: number[] = [];
  for (const reader of measured) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const { ms, value } = await get(reader, false);
    expectSource(value, 'cache');
    cacheIdle.push(ms);
  }
  const feedback: number[] = [];
  for (const reader of readersFrom(MEASURED_READERS + 5, FEEDBACK_READERS)) {
    const before = await get(reader, true);
    expectSource(before.value, 'personalised');
    const disliked = before.value.items[0]?.bookId as string;
    const begun = performance.now();
    const sent = await core.api.recommend.feedback({ readerId: reader, bookId: disliked, kind: 'down' });
    if (!sent.ok) throw new Error(`recommend.feedback: ${sent.error.message}`);
    const after = await get(reader, false);
    feedback.push(performance.now() - begun);
    expectSource(after.value, 'personalised');
    if (after.value.items.some((item) => item.bookId === disliked))
      throw new Error('the thumbed-down book is still in the fresh list');
  }
  log('personalised, cache and feedback measured');
  return { nightlyS, personalised, cache, cacheIdle, feedback };
});

// ---- Session 2: the batch path (no usable vectors, no ALS model; the nightly lists stay) -------------
await withDatabase(async (db) => {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ('embeddings.model', to_jsonb($1::text))
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [NO_VECTORS_MODEL],
  );
  await db.query('DELETE FROM cf_models');
});
const measureFresh = (source: Recommendations['source']) =>
  withCore(async (core) => {
    const get = getter(core);
    for (const reader of warmUpReaders) await get(reader, true);
    const samples: number[] = [];
    for (const reader of readersFrom(0, MEASURED_READERS)) {
      const { ms, value } = await get(reader, true);
      expectSource(value, source);
      samples.push(ms);
    }
    log(`${source} measured`);
    return samples;
  });
const batch = await measureFresh('batch');

// ---- Session 3: the popular path (no batch lists either) ---------------------------------------------
await withDatabase(async (db) => {
  await db.query('DELETE FROM batch_recs');
  await db.query('DELETE FROM cf_models');
});
const popular = await measureFresh('popular');

// ---- The serving scan's recall (what serves the content candidates once the memory is warm) ---------
const scan = await withDatabase((db) =>
  scanRecall(
    db,
    { id: MODEL, dimension: DIMENSION },
    Array.from({ length: 100 }, () => around(pick(centres), READER_SPREAD)),
  ),
);
log(`scan recall@20 ${scan.at20.toFixed(3)}, @100 ${scan.at100.toFixed(3)}`);

process.stdout.write(
  `${JSON.stringify({
    books: BOOKS,
    readers: READERS,
    setup_s: round(setupS, 2),
    nightly_s: round(session1.nightlyS, 2),
    warm_s: round(Math.max(...warmSeconds), 2),
    recall_at_20: round(recallAt20),
    scan_recall_at_20: round(scan.at20),
    scan_recall_at_100: round(scan.at100),
    cache_p50_ms: round(percentile(session1.cache, 0.5)),
    cache_p95_ms: round(percentile(session1.cache, 0.95)),
    cache_idle_p50_ms: round(percentile(session1.cacheIdle, 0.5)),
    cache_idle_p95_ms: round(percentile(session1.cacheIdle, 0.95)),
    personalised_p50_ms: round(percentile(session1.personalised, 0.5)),
    personalised_p95_ms: round(percentile(session1.personalised, 0.95)),
    batch_p95_ms: round(percentile(batch, 0.95)),
    popular_p95_ms: round(percentile(popular, 0.95)),
    feedback_to_fresh_ms: round(percentile(session1.feedback, 0.5)),
  })}\n`,
);
process.exit(0);
