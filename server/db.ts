/**
 * The server's database: PostgreSQL through a `pg` Pool when DATABASE_URL is set (production and the
 * tests), embedded PGlite otherwise, so `npm run server` works on a fresh machine. Both sit behind
 * {@link ServerDb}, the only shape the rest of the server sees.
 */
import { mkdirSync } from 'node:fs';
import pg from 'pg';

/** A query result. */
export interface Rows<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs SQL: the pool or one transaction's client. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<Rows<T>>;
  /** Runs a script of several statements (no parameters): migrations. */
  exec(sql: string): Promise<void>;
}

/** The database the server uses. */
export interface ServerDb extends Queryable {
  /** Runs `task` in one transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(task: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `task` only if no other process (instance) holds the advisory lock `key` (PostgreSQL's
   * `pg_try_advisory_lock` on one session held for the task); `{ ran: false }` when another does.
   * PGlite has one owner process (the directory lock), so there it always runs.
   */
  exclusively<T>(key: string, task: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  /** `postgres` or `pglite`. */
  readonly kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** Options of {@link openServerDb}. */
export interface ServerDbOptions {
  /** A PostgreSQL URL; without one, PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** A schema to work in (created if missing); tests give each file its own. */
  schema?: string | undefined;
  /** PGlite's folder when no URL is given. */
  dataDir?: string | undefined;
  /** Pool size (PostgreSQL). */
  poolSize?: number;
  /** Longest statement in ms (PostgreSQL `statement_timeout`; default 30 s; 0: none). */
  statementTimeoutMs?: number;
  /** Longest wait for a connection in ms (default 10 s). */
  connectionTimeoutMs?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens the database. */
export async function openServerDb(options: ServerDbOptions): Promise<ServerDb> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema))
    throw new RangeError(`'${options.schema}' is not a schema name`);
  if (options.databaseUrl)
    return openPostgres(options.databaseUrl, options.schema, {
      max: options.poolSize ?? 10,
      statementTimeoutMs: options.statementTimeoutMs ?? 30_000,
      connectionTimeoutMs: options.connectionTimeoutMs ?? 10_000,
    });
  return openPglite(options.dataDir ?? '.lumin-server', options.schema);
}

async function openPostgres(
  url: string,
  schema: string | undefined,
  limits: { max: number; statementTimeoutMs: number; connectionTimeoutMs: number },
): Promise<ServerDb> {
  if (schema) {
    const admin = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: limits.connectionTimeoutMs,
    });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  // Nothing may hang: a statement, a wait for a connection and an idle open transaction all end.
  const pool = new pg.Pool({
    connectionString: url,
    max: limits.max,
    connectionTimeoutMillis: limits.connectionTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    idle_in_transaction_session_timeout: Math.max(limits.statementTimeoutMs, 60_000),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, parameters?: unknown[]) {
      const result = await client.query(sql, parameters);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction<T>(task: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await task(wrap(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exclusively<T>(key: string, task: () => Promise<T>) {
      const client = await pool.connect();
      try {
        // Advisory locks are per database: the schema is part of the key, so deployments (and test
        // files) in other schemas of the same database never take each other's lock.
        const taken = await client.query<{ ok: boolean }>(
          "SELECT pg_try_advisory_lock(hashtext($1 || ':' || current_schema())) AS ok",
          [key],
        );
        if (!taken.rows[0]?.ok) return { ran: false as const };
        try {
          return { ran: true as const, value: await task() };
        } finally {
          await client
            .query("SELECT pg_advisory_unlock(hashtext($1 || ':' || current_schema()))", [key])
            .catch(() => undefined);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string, schema: string | undefined): Promise<ServerDb> {
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir);
  if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path = ${schema}`);
  // PGlite has one connection: transactions queue behind each other (PGlite serialises them itself).
  const wrap = (client: Pick<typeof db, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, parameters?: unknown[]) {
      const result = await client.query<T>(sql, parameters);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string) {
      await client.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (task) => db.transaction((tx) => task(wrap(tx))),
    exclusively: async (_key, task) => ({ ran: true as const, value: await task() }),
    close: () => db.close(),
  };
}
