/**
 * `npm run bench -- erase [--books 100000] [--readers 1000] [--interactions 10000] [--backups 0] --json`:
 * how long `readers.remove` takes to erase one student completely (rows in one transaction, their row
 * of the ALS model, VACUUM FULL of the text tables, statistics, WAL cycled; with `--backups N`, N
 * automatic backups rewritten too) in a library of BOOKS books and READERS readers, the erased one
 * with INTERACTIONS interactions and 100 served lists of 10 items.
 *   setup_s   bulk load through PGlite directly, then the nightly job (ALS + batch lists) through the core
 *   erase_ms  the `readers.remove` call through the core's API, on a reopened core once its serving memory is warm
 */
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataLayout } from '../workers/db/layout';
import { openCluster } from '../workers/db/open';
import { openCore } from '../workers/host/core';
import { option } from './options';

const log = (message: string) => process.stderr.write(`erase: ${message}\n`);

/** Runs the benchmark and returns the JSON line's object. */
export async function runEraseBench(args: string[]): Promise<Record<string, unknown>> {
  const books = option(args, 'books', 100_000);
  const readers = option(args, 'readers', 1000, 2);
  const interactions = option(args, 'interactions', 10_000);
  const backups = option(args, 'backups', 0, 0);
  const dataDir = mkdtempSync(join(tmpdir(), 'lumin-bench-erase-'));
  // LUMIN_BENCH_CACHE=DIR keeps the built library (about 6 minutes at 100K books) for the next run with
  // the same sizes: for iterating on the erase only; setup_s is then the original setup's.
  const cacheRoot = process.env['LUMIN_BENCH_CACHE'];
  const cacheDir = cacheRoot
    ? join(cacheRoot, `erase-${books}-${readers}-${interactions}-${backups}`)
    : undefined;
  try {
    if (cacheDir && existsSync(join(cacheDir, 'setup.json'))) {
      const cached = JSON.parse(readFileSync(join(cacheDir, 'setup.json'), 'utf8')) as {
        target: string;
        setupS: number;
      };
      cpSync(join(cacheDir, 'data'), dataDir, { recursive: true });
      return await measure(dataDir, cached.target, cached.setupS);
    }
    const started = performance.now();
    const created = await openCore({ dataDir, autoBackup: false, purpose: 'bench' });
    if (!created.ok) throw new Error(created.error.message);
    await created.value.close();
    const target = randomUUID();
    const { db } = await openCluster(dataLayout(dataDir).pgdata, []);
    try {
      await db.query(
        `INSERT INTO books (title, interest_level, interest_age_min, interest_age_max, reading_level,
                            reading_level_system, reading_level_source)
         SELECT 'Book ' || n, 'MG', 8, 12, (700 + (n % 11) * 10)::text || 'L', 'lexile', 'known'
           FROM generate_series(1, $1::int) n`,
        [books],
      );
      await db.query(
        `INSERT INTO readers (id, name, grade, age, interests, notes)
         SELECT CASE WHEN n = 0 THEN $2::uuid ELSE gen_random_uuid() END,
                CASE WHEN n = 0 THEN 'Erased Student' ELSE 'Reader ' || n END, 4, 9,
                ARRAY['interest ' || n, 'topic ' || (n % 40)], 'notes about reader ' || n
           FROM generate_series(0, $1::int - 1) n`,
        [readers, target],
      );
      // ~20 interactions per other reader, INTERACTIONS for the erased one, over random books.
      await db.query(
        `WITH numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM books),
              events AS (
                SELECT r.id AS reader_id, (random() * ($1::int - 1))::int + 1 AS n, g
                  FROM readers r, generate_series(1, 20) g WHERE r.id <> $2::uuid
                UNION ALL
                SELECT $2::uuid, (random() * ($1::int - 1))::int + 1, g FROM generate_series(1, $3::int) g)
         INSERT INTO interactions (id, reader_id, book_id, type, occurred_at)
         SELECT gen_random_uuid(), e.reader_id, b.id,
                (ARRAY['checkout','finish','thumbs_up','rating','pin','block'])[1 + e.g % 5],
                now() - (e.g % 300) * interval '1 day'
           FROM events e JOIN numbered b ON b.n = e.n`,
        [books, target, interactions],
      );
      await db.query("UPDATE interactions SET value = 4 WHERE type = 'rating'");
      // Served lists: 10 per other reader and 100 for the erased one, 10 items each, with explanations.
      await db.query(
        `WITH lists AS (
           SELECT r.id AS reader_id, gen_random_uuid() AS request_id, l
             FROM readers r, generate_series(1, CASE WHEN r.id = $1::uuid THEN 100 ELSE 10 END) l),
              picks AS (SELECT id, row_number() OVER () AS n FROM books LIMIT 1000)
         INSERT INTO rec_logs (request_id, reader_id, book_id, position, source, score, explanation, served_at)
         SELECT x.request_id, x.reader_id, p.id, pos, 'personalised', 0.5,
                jsonb_build_object('text', 'Matches your interest in ' || r.interests[1]), now() - x.l * interval '1 hour'
           FROM lists x JOIN readers r ON r.id = x.reader_id, generate_series(0, 9) pos
           JOIN picks p ON p.n = pos + 1`,
        [target],
      );
      await db.exec('ANALYZE');
    } finally {
      await db.close();
    }
    const opened = await openCore({ dataDir, autoBackup: false, purpose: 'bench' });
    if (!opened.ok) throw new Error(opened.error.message);
    const core = opened.value;
    try {
      const job = await core.api.jobs.run({ kind: 'nightly' });
      if (!job.ok) throw new Error(job.error.message);
      for (;;) {
        const state = await core.api.jobs.get({ id: job.value.id });
        if (state.ok && ['succeeded', 'failed', 'cancelled'].includes(state.value.state)) {
          if (state.value.state !== 'succeeded')
            throw new Error(`nightly ${state.value.state}: ${state.value.lastError}`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      for (let index = 0; index < backups; index += 1) {
        const made = await core.api.backup.create({});
        if (!made.ok) throw new Error(made.error.message);
      }
    } finally {
      await core.close();
    }
    const setupS = (performance.now() - started) / 1000;
    log(`library ready in ${setupS.toFixed(1)} s`);
    if (cacheDir) {
      cpSync(dataDir, join(cacheDir, 'data'), { recursive: true });
      writeFileSync(join(cacheDir, 'setup.json'), JSON.stringify({ target, setupS }));
    }
    return await measure(dataDir, target, setupS);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  async function measure(
    directory: string,
    target: string,
    setupS: number,
  ): Promise<Record<string, unknown>> {
    const opened = await openCore({ dataDir: directory, autoBackup: false, purpose: 'bench' });
    if (!opened.ok) throw new Error(opened.error.message);
    const core = opened.value;
    try {
      // As in the app: the serving memory loads after opening; the erase is measured once it has.
      for (;;) {
        const status = await core.api.status.get();
        if (!status.ok) throw new Error(status.error.message);
        if (status.value.serving.warm) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const before = performance.now();
      const erased = await core.api.readers.remove({ id: target });
      const eraseMs = performance.now() - before;
      if (!erased.ok) throw new Error(erased.error.message);
      if (erased.value.deleted['interactions'] !== interactions || !erased.value.modelRowDropped)
        throw new Error(`unexpected erase: ${JSON.stringify(erased.value)}`);
      return {
        books,
        readers,
        interactions,
        backups,
        setup_s: Number(setupS.toFixed(1)),
        erase_ms: Math.round(eraseMs),
      };
    } finally {
      await core.close();
    }
  }
}
