/**
 * Starting the optional sync server: its configuration from the environment ({@link configFromEnv}, and
 * the README's "Running the sync server"), its database, the nightly job and {@link serve}. The entry
 * point is server/index.ts; the admin subcommands are in server/cli.ts.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { acquireLock, type DirectoryLock } from '../workers/db/lock';
import { startAdminEndpoint } from './admin-http';
import { type AppOptions, buildApp } from './app';
import type { RateLimit } from './auth';
import { type ServerDb, openServerDb } from './db';
import { migrateServer } from './migrate';
import { type NightlyReport, kAnonymity, runServerNightly } from './nightly';
import { runNightlyInWorker } from './nightly-worker';
import { DEFAULT_QUOTAS, type Quotas } from './push';

/** Where the server keeps things and its limits, from the environment. */
export interface ServerConfig {
  /** DATABASE_URL: PostgreSQL; unset: embedded PGlite in `<dataDir>/pgdata`. */
  databaseUrl?: string | undefined;
  /** LUMIN_SERVER_SCHEMA: a schema to work in. */
  schema?: string | undefined;
  /** LUMIN_SERVER_DATA (default `.lumin-server`). */
  dataDir: string;
  /** LUMIN_SERVER_ARCHIVE (default `<data>/archive`). */
  archiveDir: string;
  /** LUMIN_SERVER_POOL: PostgreSQL connections (default 16). */
  poolSize: number;
  /** LUMIN_SERVER_STATEMENT_TIMEOUT_MS (default 30000). */
  statementTimeoutMs: number;
  /** LUMIN_SERVER_REQUEST_TIMEOUT_MS (default 60000). */
  requestTimeoutMs: number;
  /** LUMIN_SERVER_K_ANONYMITY: least readers behind a popular cell or neighbour (default and minimum 5). */
  kAnonymity: number;
  /** LUMIN_SERVER_TRUST_PROXY: `true`, a hop count, or comma-separated proxy addresses (default off). */
  trustProxy: boolean | number | string[];
  /** LUMIN_SERVER_QUOTA_EVENTS_PER_DAY / LUMIN_SERVER_QUOTA_STORED_ROWS. */
  quotas: Quotas;
  /** LUMIN_SERVER_RATE_LIMIT, LUMIN_SERVER_ENROL_LIMIT, LUMIN_SERVER_FAILED_AUTH_LIMIT: `perMinute/burst`. */
  rateLimit?: RateLimit | undefined;
  enrolLimit?: RateLimit | undefined;
  failedAuthLimit?: RateLimit | undefined;
  /** LUMIN_SERVER_LOG=0 turns request logging off (on by default). */
  log: boolean;
}

function positive(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${name}: '${text}' must be a whole number`);
  return value;
}

function limit(text: string | undefined, name: string): RateLimit | undefined {
  if (!text) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new RangeError(`${name}: '${text}' must be perMinute/burst, e.g. 600/120`);
  return { perMinute: Number(match[1]), burst: Number(match[2]) };
}

function trustProxy(text: string | undefined): boolean | number | string[] {
  if (!text || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** The configuration from `env` (throws naming a malformed variable). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = resolve(env.LUMIN_SERVER_DATA || '.lumin-server');
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    schema: env.LUMIN_SERVER_SCHEMA || undefined,
    dataDir,
    archiveDir: resolve(env.LUMIN_SERVER_ARCHIVE || join(dataDir, 'archive')),
    poolSize: positive(env.LUMIN_SERVER_POOL, 16, 'LUMIN_SERVER_POOL') || 16,
    statementTimeoutMs: positive(
      env.LUMIN_SERVER_STATEMENT_TIMEOUT_MS,
      30_000,
      'LUMIN_SERVER_STATEMENT_TIMEOUT_MS',
    ),
    requestTimeoutMs: positive(
      env.LUMIN_SERVER_REQUEST_TIMEOUT_MS,
      60_000,
      'LUMIN_SERVER_REQUEST_TIMEOUT_MS',
    ),
    kAnonymity: kAnonymity(env.LUMIN_SERVER_K_ANONYMITY ? Number(env.LUMIN_SERVER_K_ANONYMITY) : undefined),
    trustProxy: trustProxy(env.LUMIN_SERVER_TRUST_PROXY),
    quotas: {
      eventsPerDay: positive(
        env.LUMIN_SERVER_QUOTA_EVENTS_PER_DAY,
        DEFAULT_QUOTAS.eventsPerDay,
        'LUMIN_SERVER_QUOTA_EVENTS_PER_DAY',
      ),
      storedRows: positive(
        env.LUMIN_SERVER_QUOTA_STORED_ROWS,
        DEFAULT_QUOTAS.storedRows,
        'LUMIN_SERVER_QUOTA_STORED_ROWS',
      ),
    },
    rateLimit: limit(env.LUMIN_SERVER_RATE_LIMIT, 'LUMIN_SERVER_RATE_LIMIT'),
    enrolLimit: limit(env.LUMIN_SERVER_ENROL_LIMIT, 'LUMIN_SERVER_ENROL_LIMIT'),
    failedAuthLimit: limit(env.LUMIN_SERVER_FAILED_AUTH_LIMIT, 'LUMIN_SERVER_FAILED_AUTH_LIMIT'),
    log: env.LUMIN_SERVER_LOG !== '0' && env.LUMIN_SERVER_LOG !== 'false',
  };
}

/** An open database with, for embedded PGlite, the data directory's lock (one writer). */
export interface OpenedDb {
  db: ServerDb;
  /** Closes the database and releases the lock. */
  close(): Promise<void>;
}

/**
 * Opens and migrates the database of `config`. Embedded PGlite first takes the data directory's lock
 * (the device library's lock module): a second process gets a `locked` failure naming the holder.
 */
export async function openConfiguredDb(config: ServerConfig, purpose = 'lumin-server'): Promise<OpenedDb> {
  let lock: DirectoryLock | null = null;
  if (!config.databaseUrl) {
    mkdirSync(config.dataDir, { recursive: true });
    lock = acquireLock(config.dataDir, purpose);
  }
  try {
    const db = await openServerDb({
      databaseUrl: config.databaseUrl,
      schema: config.schema,
      dataDir: join(config.dataDir, 'pgdata'),
      poolSize: config.poolSize,
      statementTimeoutMs: config.statementTimeoutMs,
    });
    try {
      await migrateServer(db);
    } catch (error) {
      await db.close();
      throw error;
    }
    return {
      db,
      async close() {
        await db.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** Runs the nightly job as the server does: PostgreSQL in a worker thread, PGlite in-process. */
export function nightlyRunner(
  config: ServerConfig,
  db: ServerDb,
): (extra?: { skipIfRanWithinMs?: number }) => Promise<NightlyReport> {
  return (extra = {}) => {
    const options = { kAnonymity: config.kAnonymity, ...extra };
    return config.databaseUrl
      ? runNightlyInWorker({
          databaseUrl: config.databaseUrl,
          schema: config.schema,
          archiveDir: config.archiveDir,
          options,
        })
      : runServerNightly(db, config.archiveDir, options);
  };
}

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  db: ServerDb;
  /** `http://host:port` */
  url: string;
  close(): Promise<void>;
}

/** Starts the server on `port` (0: any free port) over an open database. */
export async function startSyncServer(
  options: Omit<AppOptions, 'db'> & {
    db: ServerDb;
    port?: number;
    host?: string;
    /** Closed with the server. */
    onClose?: () => Promise<void>;
  },
): Promise<RunningServer> {
  const app = buildApp({ logger: false, ...options });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    db: options.db,
    url: `http://${host}:${port}`,
    async close() {
      await app.close();
      await options.onClose?.();
    },
  };
}

/** `serve`: the HTTP server, its loopback admin endpoint and, if asked, the nightly timer. */
export async function serve(config: ServerConfig): Promise<RunningServer> {
  const opened = await openConfiguredDb(config, 'lumin-server serve');
  const { db } = opened;
  const nightly = nightlyRunner(config, db);
  mkdirSync(config.dataDir, { recursive: true });
  const admin = await startAdminEndpoint(
    { db, archiveDir: config.archiveDir, nightly: () => nightly() },
    config.dataDir,
  );
  const server = await startSyncServer({
    db,
    archiveDir: config.archiveDir,
    port: Number(process.env.PORT ?? 8787),
    host: process.env.HOST ?? '127.0.0.1',
    logger: config.log,
    trustProxy: config.trustProxy,
    quotas: config.quotas,
    requestTimeoutMs: config.requestTimeoutMs,
    ...(config.rateLimit ? { rateLimit: config.rateLimit } : {}),
    ...(config.enrolLimit ? { enrolLimit: config.enrolLimit } : {}),
    ...(config.failedAuthLimit ? { failedAuthLimit: config.failedAuthLimit } : {}),
    onClose: async () => {
      await admin.close();
      await opened.close();
    },
  });
  const hours = Number(process.env.LUMIN_SERVER_NIGHTLY_HOURS ?? 0);
  // Every instance may run the timer: the advisory lock and the last run's time keep it to one run
  // per period across them.
  if (hours > 0)
    setInterval(
      () =>
        void nightly({ skipIfRanWithinMs: hours * 1_800_000 }).catch((error: unknown) =>
          server.app.log.error({ err: error }, 'nightly failed'),
        ),
      hours * 3_600_000,
    ).unref();
  return server;
}
