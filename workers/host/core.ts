/**
 * The core host: takes the data directory's lock, starts the db worker, and exposes the contract.
 * Electron's main process, the CLI and the tests all open the core through `openCore`, so every host
 * gets the same validation, events and lifetimes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseProxy } from 'comlink';
import type { LuminApi, ParsedInput } from '../../shared/contract/api';
import { type Invoke, createClient } from '../../shared/contract/client';
import { type Result, LuminFailure, err, ok } from '../../shared/contract/errors';
import { type CoreEvents, type Subscribe, createEmitter } from '../../shared/contract/events';
import type { HostOperationName } from '../../shared/contract/methods';
import { inHost, validateInput } from '../../shared/contract/validate';
import { COVERS_ORIGIN } from '../../shared/egress/destinations';
import { type DirectoryLock, acquireLock } from '../db/lock';
import { migrationsDir, packageRoot } from '../db/layout';
import type { DbOpened } from '../db/service';
import { fileSecretStore, type SecretStore } from '../egress/secrets';
import { createDbClient } from '../../shared/contract/db-client';
import { connect, forwardEvents } from './db-worker';
import { type EmbeddingHost, createEmbeddingHost } from './embedding';
import { type CoverOptions, type Covers, createCovers } from './covers';
import { hostHandlers } from './handlers';
import type { HostContext, HostHandlers } from './host-types';
import { estimateLevelsWithLlm } from './llm-levels';
import { createRecommendCache } from './recommend-cache';
import { removeLegacyUploads } from './legacy-uploads';
import { startWorker } from './spawn';
import { type SyncClient, createSyncClient } from '../sync/client';

/** Options of {@link openCore}. */
export interface CoreOptions {
  /** The data directory (created if missing). */
  dataDir: string;
  /**
   * The daily automatic backup: first check `firstCheckMs` after open (default one minute, so
   * start-up stays fast), then every `intervalMs` (default one hour). `false` turns it off.
   */
  autoBackup?: false | { firstCheckMs?: number; intervalMs?: number };
  /** Who holds the lock, for the message another process sees (`desktop`, `cli`, `test`). */
  purpose?: string;
  /**
   * Load the serving memory (book facts, vectors, reader states) in the background after opening:
   * worth it for a host that serves many requests (the app, tests); a one-shot CLI command turns it
   * off and serves from the database (default true).
   */
  servingMemory?: boolean;
  /** The SQL migrations folder (default: the shipped workers/db/migrations); tests point it elsewhere. */
  migrationsDir?: string;
  /**
   * Embedding: `background` embeds new and changed records without being asked (the desktop app; the
   * CLI runs passes only for `lumin embed`); `remoteHost` replaces the Hugging Face hub (tests);
   * `upgradeTo` is the recommended model the app moves to from the bundled one once it can download it.
   */
  embedding?: { background?: boolean; remoteHost?: string; upgradeTo?: string };
  /**
   * Run the recommendation service's schedule: a nightly retrain when the last is a day old (checked
   * at start and hourly) and enrichment every `enrichEveryMs` (default 5 minutes). The desktop app.
   */
  schedule?: boolean | { firstCheckMs?: number; everyMs?: number };
  /** Where API keys live (default: 0600 files in `<dataDir>/secrets`; Electron passes a safeStorage store). */
  secrets?: SecretStore;
  /**
   * Push and pull in the background (default: when `schedule` is on, i.e. the desktop app). The loop
   * idles while the `sync.enabled` setting is off, which is the default; timings are for tests.
   */
  sync?: boolean | { debounceMs?: number; everyMs?: number; pullEveryMs?: number; rotateEveryMs?: number };
  /** Covers from the internet (test hook: `origin` redirects the cover host to a local server). */
  covers?: CoverOptions;
}

/** An open core. */
export interface Core {
  /** The typed API. */
  api: LuminApi;
  /** The untyped transport the API is built on (Electron IPC forwards straight to it). */
  invoke: Invoke;
  /** Subscribes to core events. */
  on: Subscribe;
  /** The data directory, resolved. */
  dataDir: string;
  /** What happened at open. */
  opened: DbOpened;
  /** The embedding runner (benchmarks and tests load models and embed texts through it). */
  embedding: EmbeddingHost;
  /**
   * Runs the LLM share of enrichment now (reading levels for books with too little text; nothing
   * while LLM features are off). The schedule and `jobs.run({kind: 'enrich'})` start it too.
   */
  estimateLevels(): Promise<{ asked: number; estimated: number }>;
  /** The sync client (answers `sync.*`). */
  sync: SyncClient;
  /** The cover cache (the desktop app's `lumin-cover:` scheme serves its files). */
  covers: Covers;
  /** Runs the automatic-backup check now (the timer calls it too). */
  checkAutoBackup(): Promise<Result<{ enqueued: boolean }>>;
  /** Finishes running calls, closes the database, stops the worker and releases the lock. */
  close(): Promise<void>;
}

let cachedVersion: string | undefined;
/** Lumin's version, from package.json. */
export function appVersion(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
  ).version;
  return cachedVersion;
}

const handlers: HostHandlers = hostHandlers;

/**
 * Opens the core on a data directory. Fails (as a value) with `locked` when another process or
 * another open in this process holds the directory, and with `migration_failed` when the schema
 * cannot be brought up to date; the directory's data is untouched in both cases.
 */
export async function openCore(options: CoreOptions): Promise<Result<Core>> {
  let lock: DirectoryLock;
  try {
    lock = acquireLock(options.dataDir, options.purpose ?? 'core');
  } catch (error) {
    if (error instanceof LuminFailure) return { ok: false, error: error.toShape() };
    return err('io', `cannot use the data directory ${options.dataDir}: ${(error as Error).message}`, {
      dataDir: options.dataDir,
    });
  }
  removeLegacyUploads(lock.dataDir);
  const worker = startWorker('db');
  const emitter = createEmitter<CoreEvents>();
  forwardEvents(worker, emitter.emit);
  const { remote, guard } = connect(worker);
  const stopWorker = async () => {
    remote[releaseProxy]();
    await worker.terminate();
  };

  let opened: Result<DbOpened>;
  try {
    opened = await guard<Result<DbOpened>>(
      remote.open({
        dataDir: lock.dataDir,
        appVersion: appVersion(),
        migrationsDir: options.migrationsDir ?? migrationsDir(),
        servingMemory: options.servingMemory ?? true,
      }),
    );
  } catch (error) {
    opened = err('internal', (error as Error).message);
  }
  if (!opened.ok) {
    await stopWorker();
    lock.release();
    return opened;
  }

  let closed = false;
  const secrets = options.secrets ?? fileSecretStore(lock.dataDir);
  const db = createDbClient((call) => guard<Result<unknown>>(remote.call(call.method, call.input)));
  const embedding = createEmbeddingHost({
    db,
    dataDir: lock.dataDir,
    secrets,
    emit: emitter.emit,
    background: options.embedding?.background ?? false,
    ...(options.embedding?.remoteHost ? { remoteHost: options.embedding.remoteHost } : {}),
    ...(options.embedding?.upgradeTo ? { upgradeTo: options.embedding.upgradeTo } : {}),
  });
  const sync = createSyncClient({
    db,
    secrets,
    ...(typeof options.sync === 'object' ? { background: options.sync } : {}),
  });
  const recommendations = createRecommendCache(db);
  const covers = createCovers({
    dataDir: lock.dataDir,
    setting: (key) => db.settings.get({ key }),
    ...(options.covers ? { cover: options.covers } : {}),
  });
  // One LLM enrichment run at a time; a request during a run gets that run's outcome.
  let levelRun: Promise<{ asked: number; estimated: number }> | null = null;
  const estimateLevels = () =>
    (levelRun ??= estimateLevelsWithLlm(db, secrets)
      .catch((error: unknown) => {
        console.error('lumin: LLM enrichment failed', error);
        return { asked: 0, estimated: 0 };
      })
      .finally(() => {
        levelRun = null;
      }));

  // The host's side effects, by event.
  emitter.on('data.changed', (change) => embedding.onChange(change));
  emitter.on('data.changed', (change) => {
    if (change.entity === 'interactions' && change.op === 'insert') sync.nudge();
  });
  emitter.on('data.changed', (change) => recommendations.apply(change));
  // The LLM share of enrichment runs in the host, where the key is; embedding passes run from here too.
  emitter.on('job.queued', (job) => {
    if (job.kind === 'enrich') void estimateLevels();
    if (job.kind === 'embed') embedding.kick();
  });

  const context: HostContext = {
    db,
    embedding,
    secrets,
    sync,
    recommendations,
    origins: {
      coverOrigin: new URL(options.covers?.origin ?? COVERS_ORIGIN).origin,
      ...(options.embedding?.remoteHost ? { hubOrigin: new URL(options.embedding.remoteHost).origin } : {}),
    },
  };
  const runInHost = <M extends HostOperationName>(method: M, input: ParsedInput<M>) =>
    handlers[method](input, context);
  /** Every host call: validated, then run where the registry places it (a host handler or the db worker). */
  const invoke: Invoke = async (method, input) => {
    if (closed) return err('closed', `${String(method)}: the Lumin core is closed`);
    const call = validateInput(method, input);
    if (!call.ok) return call;
    if (inHost(call)) return runInHost(call.method, call.input);
    try {
      return await guard<Result<unknown>>(remote.call(call.method, call.input));
    } catch (error) {
      return err('internal', `${call.method}: ${(error as Error).message}`);
    }
  };

  const checkAutoBackup = async (): Promise<Result<{ enqueued: boolean }>> => {
    if (closed) return err('closed', 'the Lumin core is closed');
    try {
      const queued = await db.schedule.backup();
      // Answered once the backup ran (or was skipped), so the caller sees it.
      if (queued.ok && queued.value.enqueued) await db.jobs.drain();
      return queued;
    } catch (error) {
      return err('internal', (error as Error).message);
    }
  };
  const timers: NodeJS.Timeout[] = [];
  if (options.autoBackup !== false) {
    const { firstCheckMs = 60_000, intervalMs = 3_600_000 } = options.autoBackup ?? {};
    timers.push(setTimeout(() => void checkAutoBackup(), firstCheckMs).unref());
    timers.push(setInterval(() => void checkAutoBackup(), intervalMs).unref());
  }

  let closing: Promise<void> | null = null;
  const core: Core = {
    api: createClient(invoke),
    invoke,
    on: emitter.on,
    dataDir: lock.dataDir,
    opened: opened.value,
    embedding,
    estimateLevels,
    sync,
    covers,
    checkAutoBackup,
    close() {
      closing ??= (async () => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        await sync.close().catch(() => undefined);
        await embedding.close().catch(() => undefined);
        try {
          await guard(remote.close());
        } finally {
          await stopWorker();
          lock.release();
        }
      })();
      return closing;
    },
  };
  embedding.start();
  if (options.sync ?? Boolean(options.schedule)) sync.start();
  if (options.schedule) {
    const { firstCheckMs = 5_000, everyMs = 300_000 } = options.schedule === true ? {} : options.schedule;
    const check = () => {
      void db.schedule.recommend();
      void estimateLevels();
    };
    timers.push(setTimeout(check, firstCheckMs).unref());
    timers.push(setInterval(check, everyMs).unref());
  }
  return ok(core);
}

export { restoreBackup } from './db-worker';
