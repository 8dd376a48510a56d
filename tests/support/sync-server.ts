/**
 * Sync-server test helpers: each test file works in its own PostgreSQL schema on the real server at
 * 127.0.0.1:5432 (dropped afterwards), so parallel files never see each other's rows; a server can run
 * in-process or in a child process (to be SIGKILLed mid-push).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { AppOptions } from '../../server/app';
import { openServerDb, type ServerDb } from '../../server/db';
import { type RunningServer, startSyncServer } from '../../server/index';
import { migrateServer } from '../../server/migrate';
import { createTenant } from '../../server/tenants';
import { type EnrollResponse, SYNC_GRADE_BANDS, type SyncEvent, dayOf } from '../../shared/sync/protocol';
import { cleanupDirs } from './core';

/** The test database. */
export const TEST_DATABASE_URL =
  process.env.LUMIN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name. */
export function uniqueSchema(prefix = 'sync_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Opens and migrates a database in a new schema. */
export async function openTestDb(schema = uniqueSchema()): Promise<{ db: ServerDb; schema: string }> {
  const db = await openServerDb({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 8 });
  await migrateServer(db);
  return { db, schema };
}

/** Drops a schema made by {@link openTestDb}. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Starts an in-process server over `db`. */
export function serve(db: ServerDb, options: Omit<AppOptions, 'db'> = {}): Promise<RunningServer> {
  return startSyncServer({ db, ...options });
}

/**
 * The test file's server: before its tests, a database in a new schema and a server over it (handed to
 * `ready`); after them, both closed, the schema dropped and the temp folders removed. Hooks the file
 * registers later run after this one's set-up and before its tear-down (vitest runs after-hooks as a
 * stack), so a core opened by the file is closed before the server goes.
 */
export function syncServerFile(
  options: Omit<AppOptions, 'db'>,
  ready: (opened: { db: ServerDb; schema: string; server: RunningServer }) => void,
): void {
  let opened: { db: ServerDb; schema: string; server?: RunningServer } | undefined;
  beforeAll(async () => {
    opened = await openTestDb();
    opened.server = await serve(opened.db, options);
    ready({ db: opened.db, schema: opened.schema, server: opened.server });
  });
  afterAll(async () => {
    await opened?.server?.close();
    await opened?.db.close();
    if (opened) await dropSchema(opened.schema);
    cleanupDirs();
  });
}

/** Creates a tenant and enrols one device; returns its token. */
export async function enrolledDevice(
  db: ServerDb,
  url: string,
  name = 'Room 4',
): Promise<EnrollResponse & { code: string }> {
  const tenant = await createTenant(db, name);
  const response = await fetch(`${url}/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: tenant.code }),
  });
  if (response.status !== 201) throw new Error(`enrol failed: ${response.status} ${await response.text()}`);
  return { ...((await response.json()) as EnrollResponse), code: tenant.code };
}

/** A pseudonym-shaped reader id. */
export function pseudonym(seed: string): string {
  return Buffer.from(`${seed}`.padEnd(32, '.')).subarray(0, 32).toString('hex');
}

/** `count` random events over a few readers and books. */
export function makeEvents(
  count: number,
  options: { readers?: number; books?: number; hoursAgo?: number; prefix?: string } = {},
): SyncEvent[] {
  const readers = options.readers ?? 5;
  const books = options.books ?? 20;
  const now = Date.now();
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    reader: pseudonym(`${options.prefix ?? 'reader'}-${index % readers}`),
    book: { isbn13: `978${String(1_000_000_000 + ((index * 7919) % books)).padStart(10, '0')}` },
    type: (['finish', 'checkout', 'thumbs_up', 'view'] as const)[index % 4] ?? 'view',
    value: null,
    band: SYNC_GRADE_BANDS[index % 3] ?? null,
    day: dayOf(now - (options.hoursAgo ?? 0) * 3_600_000 - index * 1000),
  }));
}

/** POSTs events with a token. */
export async function push(
  url: string,
  token: string,
  events: unknown,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${url}/v1/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ events }),
    ...init,
  });
}

/** How many hot rows a tenant has. */
export async function storedCount(db: ServerDb, tenantId?: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM interactions WHERE $1::uuid IS NULL OR tenant_id = $1',
    [tenantId ?? null],
  );
  return rows.rows[0]?.n ?? 0;
}

const serverScript = fileURLToPath(new URL('../../server/index.ts', import.meta.url));

/** Runs `npm run server -- …` (server/index.ts) as a process; resolves with its exit code and output. */
export function serverCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, ...args], {
    env: { ...process.env, LUMIN_SERVER_LOG: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout: stdout.trim(), stderr: stderr.trim() })),
  );
}

/** A server in a child process. */
export interface ServerChild {
  process: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

/** Starts `server/index.ts serve` in a child process on `port` and waits until it listens. */
export function startServerChild(
  schema: string,
  port: number,
  databaseUrl = TEST_DATABASE_URL,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<ServerChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LUMIN_SERVER_SCHEMA: schema,
      PORT: String(port),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server child did not start: ${output}`)), 120_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ process: child, url: match[1], exited });
      }
    });
    void exited.then(() => reject(new Error(`server child exited: ${output}`)));
  });
}
