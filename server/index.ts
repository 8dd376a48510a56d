/**
 * The optional sync server: `npm run server` (serve), `npm run server -- tenant add "Room 4"` (prints
 * the enrolment code), `npm run server -- tenant list`, `npm run server -- nightly`.
 * Environment: PORT (8787), HOST (127.0.0.1), DATABASE_URL (PostgreSQL; unset: embedded PGlite in
 * LUMIN_SERVER_DATA, default `.lumin-server/`), LUMIN_SERVER_SCHEMA (a schema to work in),
 * LUMIN_SERVER_ARCHIVE (Parquet archive, default `<data>/archive`), LUMIN_SERVER_NIGHTLY_HOURS (run the
 * nightly job in this process every N hours; unset: run it from cron with `nightly`),
 * LUMIN_SERVER_POOL (PostgreSQL connections, default 16), LUMIN_SERVER_RATE_LIMIT / LUMIN_SERVER_ENROL_LIMIT (`perMinute/burst`, default 600/120 and 30/10).
 */
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from './app';
import { type ServerDb, openServerDb } from './db';
import { migrateServer } from './migrate';
import { runServerNightly } from './nightly';
import { createTenant, listTenants } from './tenants';

/** Where the server keeps things, from the environment. */
export interface ServerConfig {
  databaseUrl?: string | undefined;
  schema?: string | undefined;
  dataDir: string;
  archiveDir: string;
  /** PostgreSQL connections (LUMIN_SERVER_POOL, default 16). */
  poolSize: number;
}

/** The configuration from `env`. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = resolve(env.LUMIN_SERVER_DATA ?? '.lumin-server');
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    schema: env.LUMIN_SERVER_SCHEMA || undefined,
    dataDir,
    archiveDir: resolve(env.LUMIN_SERVER_ARCHIVE ?? join(dataDir, 'archive')),
    poolSize: Number(env.LUMIN_SERVER_POOL) > 0 ? Number(env.LUMIN_SERVER_POOL) : 16,
  };
}

/** Opens and migrates the database of `config`. */
export async function openConfiguredDb(config: ServerConfig): Promise<ServerDb> {
  const db = await openServerDb({
    databaseUrl: config.databaseUrl,
    schema: config.schema,
    dataDir: join(config.dataDir, 'pgdata'),
    poolSize: config.poolSize,
  });
  await migrateServer(db);
  return db;
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
  options: Omit<AppOptions, 'db'> & { db: ServerDb; port?: number; host?: string; ownsDb?: boolean },
): Promise<RunningServer> {
  const app = buildApp(options);
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
      if (options.ownsDb) await options.db.close();
    },
  };
}

/** `"600/120"` (per minute / burst) as an option. */
function limitFromEnv<K extends 'rateLimit' | 'enrolLimit'>(
  key: K,
  text: string | undefined,
): Partial<Record<K, { perMinute: number; burst: number }>> {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? '');
  if (!match) return {};
  return { [key]: { perMinute: Number(match[1]), burst: Number(match[2]) } } as Partial<
    Record<K, { perMinute: number; burst: number }>
  >;
}

async function main(argv: string[]): Promise<void> {
  const config = configFromEnv();
  const [command = 'serve', sub, ...rest] = argv;
  const db = await openConfiguredDb(config);
  if (command === 'tenant' && sub === 'add') {
    const name = rest.join(' ');
    const tenant = await createTenant(db, name);
    console.log(JSON.stringify(tenant));
    console.error(`tenant '${tenant.name}' created; enrolment code: ${tenant.code} (shown once)`);
    await db.close();
    return;
  }
  if (command === 'tenant' && sub === 'list') {
    console.log(JSON.stringify(await listTenants(db)));
    await db.close();
    return;
  }
  if (command === 'nightly') {
    const report = await runServerNightly(db, config.archiveDir);
    console.log(JSON.stringify(report));
    await db.close();
    return;
  }
  if (command !== 'serve') {
    await db.close();
    throw new Error(`unknown command '${argv.join(' ')}' (serve | tenant add NAME | tenant list | nightly)`);
  }
  const server = await startSyncServer({
    db,
    ownsDb: true,
    port: Number(process.env.PORT ?? 8787),
    host: process.env.HOST ?? '127.0.0.1',
    logger: process.env.LUMIN_SERVER_LOG === '1',
    ...limitFromEnv('rateLimit', process.env.LUMIN_SERVER_RATE_LIMIT),
    ...limitFromEnv('enrolLimit', process.env.LUMIN_SERVER_ENROL_LIMIT),
  });
  console.log(`lumin sync server listening on ${server.url} (${db.kind})`);
  const hours = Number(process.env.LUMIN_SERVER_NIGHTLY_HOURS ?? 0);
  if (hours > 0)
    setInterval(
      () => void runServerNightly(db, config.archiveDir).catch((error: unknown) => console.error(error)),
      hours * 3_600_000,
    ).unref();
  const stop = () => void server.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`lumin-server: ${(error as Error).message}`);
    process.exit(1);
  });
}
