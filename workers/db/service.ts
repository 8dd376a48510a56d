/**
 * The database service: the only code that owns the PGlite instance. It runs inside the db worker
 * thread; the host validates every call before it arrives here. Calls run one at a time, which costs
 * nothing (PGlite executes one statement at a time anyway) and lets a backup see no open transaction.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { MethodName } from '../../shared/contract/api';
import { type Result, LuminFailure, err, ok } from '../../shared/contract/errors';
import type { DataChange, EventName, LuminEvents } from '../../shared/contract/events';
import type { BackupInfo } from '../../shared/contract/domain';
import { SETTING_DEFAULTS } from '../../shared/contract/setting-defaults';
import {
  type RestoreReport,
  listBackups,
  pruneAutomaticBackups,
  restoreSnapshot,
  takeSnapshot,
} from './backup';
import type { Context, Handlers } from './context';
import { analyticsHandlers } from './handlers/analytics';
import { bookHandlers } from './handlers/books';
import { embeddingHandlers } from './handlers/embeddings';
import { recommendHandlers } from './handlers/recommend';
import { createEmbedRunnerApi } from './embeddings/runner-api';
import type { EmbedItem } from './embeddings/queue';
import { createSyncRunnerApi } from './sync/runner-api';
import { SharedMemo } from './recommend/cache';
import { ServingMemory } from './recommend/memory';
import { createWarmer } from './recommend/warm';
import { type Impression, ImpressionLog } from './recommend/logs';
import { changeScope } from '../../shared/recommend/list-cache';
import { runEnrich, runNightly } from './recommend/jobs';
import { interactionHandlers } from './handlers/interactions';
import { importHandlers } from './handlers/imports';
import { jobHandlers } from './handlers/jobs';
import { classHandlers, readerHandlers } from './handlers/readers';
import { readerPrivacyHandlers } from './handlers/reader-privacy';
import { settingHandlers } from './handlers/settings';
import { backupHandlers, statusHandlers } from './handlers/status';
import { claimNextJob, enqueueJob, finishJob, recoverInterruptedJobs, reportProgress } from './jobs';
import { isDiskFull } from './disk';
import { DURABLE_INTERVAL_MS, durablePoint, syncFolder } from './durability';
import { dataLayout } from './layout';
import { loadMigrations, migrate } from './migrate';
import { openCluster } from './open';

const handlers = {
  ...statusHandlers,
  ...bookHandlers,
  ...classHandlers,
  ...readerHandlers,
  ...readerPrivacyHandlers,
  ...interactionHandlers,
  ...settingHandlers,
  ...jobHandlers,
  ...backupHandlers,
  ...importHandlers,
  ...embeddingHandlers,
  ...recommendHandlers,
  ...analyticsHandlers,
} satisfies Handlers;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Options of `open`. */
export interface DbOpenOptions {
  dataDir: string;
  appVersion: string;
  migrationsDir: string;
  /** Load the serving memory in the background (default true; one-shot CLI commands skip it). */
  servingMemory?: boolean;
}

/** What `open` reports. */
export interface DbOpened {
  schemaVersion: number;
  /** How the cluster was made on this open: copied from the build-time template, initdb, or not at all. */
  created: 'template' | 'initdb' | false;
  recoveredJobs: number;
  /** Where open's time went, in ms (for benchmarks and slow-start reports). */
  timings: { cluster: number; migrate: number };
}

/** Maps a Postgres error raised by a race the handlers' own checks could not see. */
function fromPostgres(error: unknown, method: string): LuminFailure | null {
  const code = (error as { code?: unknown }).code;
  const detail = (error as { detail?: string }).detail ?? (error as Error).message;
  if (code === '23505') return new LuminFailure('conflict', `${method}: ${detail}`);
  if (code === '23503') return new LuminFailure('not_found', `${method}: ${detail}`);
  if (code === '23514' || code === '22P02' || code === '22003')
    return new LuminFailure('invalid_argument', `${method}: ${detail}`);
  return null;
}

/** Ids a change names at most; beyond, it says "everything" (as the bulk book insert does). */
const MAX_NAMED_CHANGES = 1000;

/** Characters of description below which a readability estimate is left to an LLM (when enabled). */
const ENRICH_MIN_TEXT = 200;

/** Calls that skip the queue: a ping measures the boundary, a cancel must reach a running commit. */
const UNQUEUED: ReadonlySet<string> = new Set(['status.ping', 'imports.cancel']);

const logFlushFailure = (error: unknown) => console.error('lumin: writing impressions failed', error);

/** Creates the service; `emit` delivers events to the host. */
export function createDbService(send: <E extends EventName>(event: E, payload: LuminEvents[E]) => void) {
  // Shared serving results, dropped as writes commit (see recommend/cache.ts); the host caches lists.
  const memo = new SharedMemo();
  const memory = new ServingMemory();
  let impressions: ImpressionLog | null = null;
  const emit = <E extends EventName>(event: E, payload: LuminEvents[E]): void => {
    if (event === 'data.changed') {
      invalidate(payload as DataChange);
      written = true;
      // Armed by a write, not kept ticking: an idle worker has no timer at all.
      durableTimer ??= setTimeout(() => {
        durableTimer = null;
        void durableSoon();
      }, DURABLE_INTERVAL_MS).unref();
    }
    send(event, payload);
  };
  // Durability (see durability.ts): a durable point after each import and, while writes come in, at
  // most every DURABLE_INTERVAL_MS, queued behind the calls like any other.
  let written = false;
  let durableTimer: ReturnType<typeof setTimeout> | null = null;
  function durableSoon(): Promise<void> {
    return serial(async () => {
      if (!db || !options || !written) return;
      written = false;
      await durablePoint(db, dataLayout(options.dataDir).pgdata);
    }).catch((error: unknown) => console.error('lumin: durable checkpoint failed', error));
  }
  function invalidate(change: DataChange): void {
    if (changeScope(change) === 'all') memo.clear();
    memory.apply(change);
    // A wide change dropped part of the memory: load it again, a chunk at a time, behind it.
    if (memory.warming && memory.loading) warmer.warm();
  }
  let db: PGlite | null = null;
  let options: DbOpenOptions | null = null;
  /** When the open library was opened: at close only files changed since need flushing. */
  let openedAt = 0;
  let tail: Promise<unknown> = Promise.resolve();
  let jobsRunning = false;
  const warmer = createWarmer(memory, {
    serial: (task) => serial(task),
    context: () => (db && options ? context(db, options) : null),
  });

  /** Runs `task` after every earlier call has finished. */
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  }

  function context(database: PGlite, settings: DbOpenOptions): Context {
    return {
      db: database,
      dataDir: settings.dataDir,
      appVersion: settings.appVersion,
      changed: (change) => emit('data.changed', change),
      emit,
      recommend: { memo, memory, impressions: (impressions ??= new ImpressionLog(database)) },
      after: (task) =>
        void serial(task).catch((error: unknown) => console.error('lumin: deferred write failed', error)),
      // Already inside the serial queue: nothing else runs while the dump is taken.
      snapshot: async (out) => {
        const info = await takeSnapshot(database, settings.dataDir, out ? { out } : {});
        emit('backup.created', info);
        return info;
      },
    };
  }

  async function runBackupJob(
    database: PGlite,
    settings: DbOpenOptions,
    id: string,
  ): Promise<BackupInfo | null> {
    await reportProgress(database, id, 0.1, 'writing snapshot');
    const info = await takeSnapshot(database, settings.dataDir, { auto: true });
    if ('skipped' in info) {
      const { reason, freeBytes, neededBytes } = info;
      emit('backup.skipped', { reason, freeBytes, neededBytes });
      await reportProgress(database, id, 1, reason);
      return null;
    }
    const keep = await database.query<{ value: number }>(
      "SELECT value FROM settings WHERE key = 'backup.keep'",
    );
    pruneAutomaticBackups(settings.dataDir, Number(keep.rows[0]?.value ?? SETTING_DEFAULTS['backup.keep']));
    emit('backup.created', info);
    return info;
  }

  /** Runs queued jobs this worker knows, one by one, until none is ready. */
  async function drainJobs(): Promise<void> {
    if (jobsRunning) return;
    jobsRunning = true;
    try {
      for (;;) {
        const done = await serial(async () => {
          if (!db || !options) return true;
          const row = await claimNextJob(db, ['backup', 'nightly', 'enrich']);
          if (!row) return true;
          emit('job.progress', { id: row.id, kind: row.kind, state: 'running', progress: 0, message: null });
          let job;
          try {
            if (row.kind === 'backup') await runBackupJob(db, options, row.id);
            else {
              // New batch lists and item factors (nightly) change what every reader should be served:
              // the shared memo and the host's lists are dropped. New levels (enrich) name their books,
              // so the serving memory reads only those again.
              if (row.kind === 'nightly') {
                await reportProgress(db, row.id, 1, await runNightly(db, row.id));
                emit('data.changed', { entity: 'recommendations', op: 'update', ids: [] });
              } else {
                const enriched = await runEnrich(db, row.id);
                await reportProgress(db, row.id, 1, enriched.summary);
                if (enriched.ids.length > 0)
                  emit('data.changed', {
                    entity: 'books',
                    op: 'update',
                    ids: enriched.ids.length <= MAX_NAMED_CHANGES ? enriched.ids : [],
                  });
              }
            }
            job = await finishJob(db, row.id, { ok: true });
          } catch (error) {
            job = await finishJob(db, row.id, { ok: false, error: (error as Error).message });
          }
          emit('job.progress', {
            id: job.id,
            kind: job.kind,
            state: job.state,
            progress: job.progress,
            message: job.state === 'failed' || job.kind === 'backup' ? job.lastError : job.progressMessage,
          });
          emit('data.changed', { entity: 'jobs', op: 'update', ids: [job.id] });
          return false;
        });
        if (done) return;
      }
    } finally {
      jobsRunning = false;
    }
  }

  const embedRunner = createEmbedRunnerApi(
    (task) => serial(async () => (db ? task(db) : null)),
    emit,
    (modelId, items, vectors) => {
      const books = items.flatMap((item, index) => (item.kind === 'book' ? [index] : []));
      memory.vectorMemory.stored(
        modelId,
        books.map((index) => (items[index] as EmbedItem).id),
        books.map((index) => vectors[index] as Float32Array),
      );
    },
  );

  const syncRunner = createSyncRunnerApi((task) => serial(async () => (db ? task(db) : null)), emit);

  return {
    ...embedRunner,
    ...syncRunner,
    /** Opens (creating if new) and migrates the database of `dataDir`. The host holds the lock. */
    async open(settings: DbOpenOptions): Promise<Result<DbOpened>> {
      if (db) return err('conflict', `the db worker already has ${options?.dataDir} open`);
      let opened: PGlite | null = null;
      try {
        const started = performance.now();
        const migrations = loadMigrations(settings.migrationsDir);
        const cluster = await openCluster(
          dataLayout(settings.dataDir).pgdata,
          migrations.map((migration) => migration.checksum),
        );
        opened = cluster.db;
        const clusterReady = performance.now();
        const schemaVersion = await migrate(opened, migrations);
        const timings = { cluster: clusterReady - started, migrate: performance.now() - clusterReady };
        const recoveredJobs = await recoverInterruptedJobs(opened);
        db = opened;
        options = settings;
        openedAt = Date.now();
        if (recoveredJobs > 0) void drainJobs();
        memo.clear();
        memory.reset();
        memory.loading = settings.servingMemory !== false;
        if (memory.loading) warmer.warm();
        return ok({ schemaVersion, created: cluster.created, recoveredJobs, timings });
      } catch (error) {
        await opened?.close().catch(() => undefined);
        if (error instanceof LuminFailure) return { ok: false, error: error.toShape() };
        return err('io', `cannot open the database in ${settings.dataDir}: ${(error as Error).message}`, {
          dataDir: settings.dataDir,
        });
      }
    },

    /** Runs one validated call. */
    async call(method: MethodName, input: unknown): Promise<Result<unknown>> {
      const handler = handlers[method as keyof typeof handlers] as
        ((input: unknown, context: Context) => Promise<unknown>) | undefined;
      if (!handler) return err('unknown_method', `'${method}' is not a Lumin method`);
      const run = async () => {
        if (!db || !options) return err('closed', `${method}: the database is closed`);
        try {
          // Served lists' rows first: this call may cite them (see recommend/logs.ts).
          if (!UNQUEUED.has(method) && method !== 'recommend.get' && impressions?.waiting)
            await impressions.flush();
          return ok(await handler(input, context(db, options)));
        } catch (error) {
          if (error instanceof LuminFailure) return { ok: false as const, error: error.toShape() };
          if (isDiskFull(error))
            return err(
              'io',
              `${method}: the disk is full (${(error as Error).message}); free some space, then restart Lumin`,
            );
          const mapped = fromPostgres(error, method);
          if (mapped) return { ok: false as const, error: mapped.toShape() };
          console.error(`lumin: ${method} failed`, error);
          return err('internal', `${method}: ${(error as Error).message}`);
        }
      };
      // A ping measures the boundary, not the queue; a cancel must reach a commit that is running.
      const result = UNQUEUED.has(method) ? run() : serial(run);
      if (method === 'jobs.run' || method === 'jobs.resume') void result.then(() => drainJobs());
      // After the answer, not before it: the import is committed either way; this makes it survive a power cut.
      if (method === 'imports.commit') void result.then((answer) => (answer.ok ? durableSoon() : undefined));
      return result;
    },

    /**
     * The recommendation service's schedule (the desktop app calls it at start and every few minutes):
     * a nightly run when the last one is older than 24 hours, an enrichment run when some book could
     * get an estimated level. Returns what it queued.
     */
    async scheduleIfDue(): Promise<Result<{ nightly: boolean; enrich: boolean }>> {
      const queued = await serial(async () => {
        if (!db) return { nightly: false, enrich: false };
        const due = await db.query<{ nightly: boolean; enrich: boolean }>(
          `SELECT coalesce((SELECT (value #>> '{}')::timestamptz < now() - interval '24 hours' FROM settings
                             WHERE key = 'recommend.lastNightly'), true) AS nightly,
                  EXISTS (SELECT 1 FROM books WHERE reading_level IS NULL AND length(description) > ${ENRICH_MIN_TEXT}) AS enrich`,
        );
        const wanted = due.rows[0] ?? { nightly: false, enrich: false };
        for (const kind of ['nightly', 'enrich'] as const)
          if (wanted[kind]) {
            const { job, created } = await enqueueJob(db, { kind, dedupeKey: kind });
            if (created) emit('data.changed', { entity: 'jobs', op: 'insert', ids: [job.id] });
          }
        return wanted;
      });
      if (queued.nightly || queued.enrich) void drainJobs();
      return ok(queued);
    },

    /**
     * Reserves `count` consecutive rec_logs ids for lists the host serves from its cache (no queue:
     * ids are handed out in memory once the log knows where to start).
     */
    async reserveImpressionIds(count: number): Promise<number> {
      if (!db) throw new Error('the database is closed');
      impressions ??= new ImpressionLog(db);
      return impressions.reserve(count);
    },

    /**
     * Logs a list the host served from its cache (ids from {@link reserveImpressionIds}). Queued like
     * a call, so any later call (an interaction citing one of the ids) finds the rows.
     */
    async logImpressions(firstId: number, served: Impression[]): Promise<void> {
      if (!db) return;
      impressions ??= new ImpressionLog(db);
      impressions.enqueue(firstId, served, (task) => void serial(task).catch(logFlushFailure));
    },

    /**
     * Books an LLM may give an estimated reading level: no level, too little text for a readability
     * estimate (the enrichment job's share), and not asked before (attempts are kept by key).
     */
    async llmLevelCandidates(
      limit: number,
    ): Promise<{ id: string; title: string; authors: string[]; subjects: string[] }[]> {
      return serial(async () => {
        if (!db) return [];
        const rows = await db.query<{ id: string; title: string; authors: string[]; subjects: string[] }>(
          `SELECT id, title, authors, subjects FROM books b
            WHERE reading_level IS NULL AND coalesce(length(description), 0) <= ${ENRICH_MIN_TEXT}
              AND NOT EXISTS (SELECT 1 FROM explanation_cache c WHERE c.key = 'level:' || b.id::text)
            ORDER BY id LIMIT $1`,
          [limit],
        );
        return rows.rows;
      });
    },

    /**
     * Stores LLM reading-level estimates (school grades; null when the model could not tell), each
     * marked estimated and only where no level arrived meanwhile; every attempt is remembered.
     */
    async storeLlmLevels(levels: { id: string; grade: number | null }[]): Promise<number> {
      return serial(async () => {
        if (!db || levels.length === 0) return 0;
        const known = levels.filter((level) => level.grade !== null);
        const updated = await db.transaction(async (tx) => {
          const rows = await tx.query<{ id: string }>(
            `UPDATE books b SET reading_level = x.level, reading_level_system = 'grade',
                    reading_level_source = 'estimated', updated_at = now()
               FROM unnest($1::uuid[], $2::text[]) AS x(id, level)
              WHERE b.id = x.id AND b.reading_level IS NULL RETURNING b.id::text AS id`,
            [known.map((level) => level.id), known.map((level) => String(Math.floor(level.grade as number)))],
          );
          await tx.query(
            `INSERT INTO explanation_cache (key, text) SELECT 'level:' || x.id, x.grade FROM unnest($1::text[], $2::text[]) AS x(id, grade)
             ON CONFLICT (key) DO UPDATE SET text = excluded.text, created_at = now()`,
            [
              levels.map((level) => level.id),
              levels.map((level) => (level.grade === null ? 'unknown' : String(level.grade))),
            ],
          );
          return rows.rows.map((row) => row.id);
        });
        if (updated.length > 0) emit('data.changed', { entity: 'books', op: 'update', ids: updated });
        return updated.length;
      });
    },

    /** Cached LLM explanations by key. */
    async explanationsGet(keys: string[]): Promise<Record<string, string>> {
      return serial(async () => {
        if (!db || keys.length === 0) return {};
        const rows = await db.query<{ key: string; text: string }>(
          'SELECT key, text FROM explanation_cache WHERE key = ANY($1::text[])',
          [keys],
        );
        return Object.fromEntries(rows.rows.map((row) => [row.key, row.text]));
      });
    },

    /** Stores LLM explanations by key. */
    async explanationsPut(entries: Record<string, string>): Promise<void> {
      await serial(async () => {
        if (!db) return;
        await db.query(
          `INSERT INTO explanation_cache (key, text) SELECT * FROM unnest($1::text[], $2::text[])
           ON CONFLICT (key) DO UPDATE SET text = excluded.text, created_at = now()`,
          [Object.keys(entries), Object.values(entries)],
        );
      });
    },

    /** Enqueues the daily automatic backup if it is on and the newest automatic one is a day old. */
    async autoBackupIfDue(now = Date.now()): Promise<Result<{ enqueued: boolean }>> {
      const enqueued = await serial(async () => {
        if (!db || !options) return false;
        const setting = await db.query<{ value: boolean }>(
          "SELECT value FROM settings WHERE key = 'backup.auto'",
        );
        if ((setting.rows[0]?.value ?? SETTING_DEFAULTS['backup.auto']) === false) return false;
        const newest = listBackups(options.dataDir).find((backup) => backup.auto);
        if (newest && now - Date.parse(newest.createdAt) < DAY_MS) return false;
        const { job, created } = await enqueueJob(db, {
          kind: 'backup',
          payload: { auto: true },
          dedupeKey: 'backup.auto',
        });
        if (created) emit('data.changed', { entity: 'jobs', op: 'insert', ids: [job.id] });
        return true;
      });
      if (enqueued) await drainJobs();
      return ok({ enqueued });
    },

    /** Restores a snapshot into a directory the host has locked (no database open in this worker). */
    async restore(file: string, dataDir: string, migrationsDir: string): Promise<Result<RestoreReport>> {
      if (db) return err('conflict', 'restore needs a worker with no database open');
      try {
        return ok(await restoreSnapshot(file, dataDir, migrationsDir));
      } catch (error) {
        if (error instanceof LuminFailure) return { ok: false, error: error.toShape() };
        return err('io', `restore: ${(error as Error).message}`, { path: file });
      }
    },

    /** Waits for running calls, checkpoints and closes. */
    async close(): Promise<void> {
      await serial(async () => {
        if (!db) return;
        const closing = db;
        await impressions?.flush().catch(logFlushFailure);
        db = null;
        if (durableTimer) clearTimeout(durableTimer);
        durableTimer = null;
        await closing.exec('CHECKPOINT').catch(() => undefined);
        await closing.close();
        try {
          // Files untouched since open were flushed by the close before (2 s of slack for coarse file times).
          if (options) syncFolder(dataLayout(options.dataDir).pgdata, openedAt - 2_000);
        } catch (error) {
          console.error('lumin: could not flush the database files at close', error);
        }
      });
    },
  };
}

/** The service's type, as the host sees it through comlink. */
export type DbService = ReturnType<typeof createDbService>;
