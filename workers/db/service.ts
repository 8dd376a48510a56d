/**
 * The database service: the only code that owns the PGlite instance. It runs inside the db worker
 * thread and does three things: open (and close), the queue, and dispatch of every operation the
 * registry places in `db` (handlers/table.ts). Calls run one at a time, which costs nothing (PGlite
 * executes one statement at a time anyway) and lets a backup see no open transaction. Side effects
 * subscribe to events ("The side effects, by event" below), never to operation names.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Output, ParsedInput } from '../../shared/contract/api';
import { type Result, LuminFailure, err, ok } from '../../shared/contract/errors';
import { type CoreEvents, createEmitter } from '../../shared/contract/events';
import type { DbOperationName } from '../../shared/contract/methods';
import { changeScope } from '../../shared/recommend/list-cache';
import { type RestoreReport, restoreSnapshot, takeSnapshot } from './backup';
import { createDurableWrites } from './durable-writes';
import { syncFolder } from './durability';
import { failureOf } from './failures';
import { dbHandlers } from './handlers/table';
import type { DbHandlers, WorkerContext } from './handlers/types';
import { createJobRunner } from './job-runner';
import { dataLayout } from './layout';
import { type DbOpenOptions, type DbOpened, openLibrary } from './open-library';
import { SharedMemo } from './recommend/cache';
import { ImpressionLog } from './recommend/logs';
import { ServingMemory } from './recommend/memory';
import { createWarmer } from './recommend/warm';

export type { DbOpenOptions, DbOpened } from './open-library';

/**
 * Operations that skip the queue: a ping measures the boundary, a cancel must reach a running commit;
 * the others queue their own work (or wait for the queue to drain) and must not hold it meanwhile.
 */
const UNQUEUED: ReadonlySet<DbOperationName> = new Set<DbOperationName>([
  'status.ping',
  'imports.cancel',
  'jobs.drain',
  'impressions.reserve',
  'impressions.log',
]);

const handlers: DbHandlers = dbHandlers;
const logFailure = (what: string) => (error: unknown) => console.error(`lumin: ${what} failed`, error);

/** Creates the service; `send` delivers events to the host. */
export function createDbService(
  send: <E extends keyof CoreEvents>(event: E, payload: CoreEvents[E]) => void,
) {
  // Shared serving results, dropped as writes commit (see recommend/cache.ts); the host caches lists.
  const memo = new SharedMemo();
  const memory = new ServingMemory();
  const bus = createEmitter<CoreEvents>();
  const emit: WorkerContext['emit'] = (event, payload) => {
    bus.emit(event, payload);
    send(event, payload);
  };
  let impressions: ImpressionLog | null = null;
  let db: PGlite | null = null;
  let options: DbOpenOptions | null = null;
  /** When the open library was opened: at close only files changed since need flushing. */
  let openedAt = 0;
  let tail: Promise<unknown> = Promise.resolve();
  /** Runs `task` after every earlier call has finished. */
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  }
  const open = () => (db && options ? { db, dataDir: options.dataDir } : null);
  const jobs = createJobRunner({ serial, open, emit });
  const warmer = createWarmer(memory, {
    serial: (task) => serial(task),
    context: () => (db && options ? context(db, options) : null),
  });

  const durable = createDurableWrites({ serial, open });

  // The side effects, by event.
  bus.on('data.changed', (change) => {
    if (changeScope(change) === 'all') memo.clear();
    memory.apply(change);
    // A wide change dropped part of the memory: load it again, a chunk at a time, behind it.
    if (memory.warming && memory.loading) warmer.warm();
    durable.written();
  });
  bus.on('job.queued', () => void jobs.drain().catch(logFailure('the job runner')));
  // After the answer, not before it: the import is committed either way; this makes it survive a power cut.
  bus.on('import.committed', () => void durable.soon());

  function context(database: PGlite, settings: DbOpenOptions): WorkerContext {
    return {
      db: database,
      dataDir: settings.dataDir,
      appVersion: settings.appVersion,
      changed: (change) => emit('data.changed', change),
      emit,
      recommend: { memo, memory, impressions: (impressions ??= new ImpressionLog(database)) },
      after: (task) => void serial(task).catch(logFailure('deferred write')),
      // Already inside the serial queue: nothing else runs while the dump is taken.
      snapshot: async (out) => {
        const info = await takeSnapshot(database, settings.dataDir, out ? { out } : {});
        emit('backup.created', info);
        return info;
      },
      drainJobs: () => jobs.drain(),
    };
  }

  return {
    /** Opens (creating if new) and migrates the database of `dataDir`. The host holds the lock. */
    async open(settings: DbOpenOptions): Promise<Result<DbOpened>> {
      if (db) return err('conflict', `the db worker already has ${options?.dataDir} open`);
      try {
        const library = await openLibrary(settings);
        db = library.db;
        options = settings;
        openedAt = Date.now();
        if (library.opened.recoveredJobs > 0) void jobs.drain().catch(logFailure('the job runner'));
        memo.clear();
        memory.reset();
        memory.loading = settings.servingMemory !== false;
        if (memory.loading) warmer.warm();
        return ok(library.opened);
      } catch (error) {
        if (error instanceof LuminFailure) return { ok: false, error: error.toShape() };
        return err('io', `cannot open the database in ${settings.dataDir}: ${(error as Error).message}`, {
          dataDir: settings.dataDir,
        });
      }
    },

    /** Runs one operation (the host validated its input against the registry's schema). */
    async call<M extends DbOperationName>(method: M, input: ParsedInput<M>): Promise<Result<Output<M>>> {
      if (!Object.hasOwn(handlers, method)) return err('unknown_method', `'${method}' is not a db operation`);
      const handler = handlers[method];
      const run = async (): Promise<Result<Output<M>>> => {
        if (!db || !options) return err('closed', `${method}: the database is closed`);
        try {
          // Served lists' rows first: this call may cite them (see recommend/logs.ts).
          if (!UNQUEUED.has(method) && method !== 'recommend.compute' && impressions?.waiting)
            await impressions.flush();
          return ok(await handler(input, context(db, options)));
        } catch (error) {
          return failureOf(error, method);
        }
      };
      return UNQUEUED.has(method) ? run() : serial(run);
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
        await impressions?.flush().catch(logFailure('writing impressions'));
        db = null;
        durable.stop();
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
