/**
 * `npm run bench -- sync [--clients 100] [--events 10000] [--batch 500] [--instances 2] --json`: many
 * devices pushing to sync server instances at once. Each instance runs in a child process (as
 * `npm run server` does) against the real PostgreSQL on 127.0.0.1:5432, in a fresh database dropped
 * afterwards; client n talks to instance n mod instances. Each client enrols over HTTP and pushes its
 * events through the client's own push loop (workers/sync/push.ts: same batch until acknowledged,
 * exponential backoff with jitter); a few requests are aborted mid-flight (the answer is lost, the
 * server may or may not have committed) and the first instance is SIGKILLed and restarted once, half
 * way through. Then the nightly job runs on the last instance (asked through its admin endpoint, so
 * in its worker thread) while `/health/live` is probed every 20 ms.
 *   sent            distinct events the clients had to deliver
 *   stored          rows in the server's hot table
 *   duplicates      rows beyond one per event (must be 0)
 *   lost            events never stored (must be 0)
 *   push_p95_ms     p95 of successful push requests
 *   events_per_s    sent / wall time of the push phase (restart included)
 *   aborted, retries, answered_duplicates, restart_ms   what the disruptions cost
 *   instances       server processes sharing the database
 *   nightly_live_p99_ms   p99 of `/health/live` while the nightly job runs (target ≤ 100)
 *   nightly_s       how long the nightly job took
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  enrollResponseSchema,
  pushResponseSchema,
  SYNC_GRADE_BANDS,
  type SyncEvent,
  dayOf,
} from '../shared/sync/protocol';
import { callAdminEndpoint, readAdminEndpoint } from '../server/admin-http';
import type { NightlyReport } from '../server/nightly';
import { SyncCallError, callJson } from '../workers/sync/http';
import { pushAll } from '../workers/sync/push';
import { option } from './options';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_URL = process.env.LUMIN_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts the server child and waits until it listens. */
function startServer(
  databaseUrl: string,
  port: number,
  dataDir: string,
): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'index.ts'), 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LUMIN_SERVER_DATA: dataDir,
      LUMIN_SERVER_SCHEMA: '',
      LUMIN_SERVER_ENROL_LIMIT: '100000/10000',
      LUMIN_SERVER_RATE_LIMIT: '100000/10000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('listening on')) resolve({ child, exited });
    });
    void exited.then(() => reject(new Error(`sync server exited: ${output}`)));
  });
}

/** A deterministic uuid (v4 layout) from a client and an index. */
function eventId(client: number, index: number): string {
  const hex = createHash('sha1').update(`${client}:${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function makeEvent(client: number, index: number, started: number): SyncEvent {
  const reader = createHash('sha256')
    .update(`reader:${client}:${index % 25}`)
    .digest('hex');
  return {
    id: eventId(client, index),
    reader,
    book: { isbn13: `978${String(1_000_000_000 + ((index * 7919 + client) % 5000)).padStart(10, '0')}` },
    type: (['view', 'checkout', 'finish', 'thumbs_up'] as const)[index % 4] ?? 'view',
    value: null,
    band: SYNC_GRADE_BANDS[client % 4] ?? null,
    day: dayOf(started - index * 1000),
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Runs the benchmark and returns the JSON line's object. */
export async function runSyncBench(args: string[]): Promise<Record<string, unknown>> {
  const clients = option(args, 'clients', 100);
  const perClient = option(args, 'events', 10_000);
  const batch = option(args, 'batch', 500);
  const instances = option(args, 'instances', 2);
  const abortRate = 0.03;
  const database = `lumin_bench_sync_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  const ports: number[] = [];
  const dataDirs: string[] = [];
  const servers: { child: ChildProcess; exited: Promise<void> }[] = [];
  for (let index = 0; index < instances; index++) {
    ports.push(await freePort());
    dataDirs.push(mkdtempSync(join(tmpdir(), 'lumin-bench-sync-')));
    servers.push(await startServer(databaseUrl, ports[index] as number, dataDirs[index] as string));
  }
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const url = urls[0] as string;
  try {
    // Tenants and enrolment through the real endpoints (ten classes of ten devices).
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const tenants = Math.max(1, Math.ceil(clients / 10));
    const codes: string[] = [];
    const { createTenant } = await import('../server/tenants');
    const queryable = {
      query: async <T>(sql: string, parameters?: unknown[]) => {
        const result = await db.query(sql, parameters);
        return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
      },
      exec: async (sql: string) => void (await db.query(sql)),
    };
    for (let index = 0; index < tenants; index++)
      codes.push((await createTenant(queryable, `Class ${index}`)).code);
    const tokens: string[] = [];
    for (let client = 0; client < clients; client++) {
      const enrolled = await callJson(url, '/v1/enroll', {
        schema: enrollResponseSchema,
        method: 'POST',
        body: { code: codes[client % tenants], deviceName: `bench-${client}` },
      });
      tokens.push(enrolled.deviceToken);
    }

    const started = Date.now();
    const durations: number[] = [];
    let acked = 0;
    let aborted = 0;
    let retries = 0;
    let answeredDuplicates = 0;
    let restartMs = 0;
    let restarting: Promise<void> | null = null;
    const total = clients * perClient;
    const restart = async () => {
      const began = performance.now();
      const first = servers[0] as { child: ChildProcess; exited: Promise<void> };
      first.child.kill('SIGKILL');
      await first.exited;
      servers[0] = await startServer(databaseUrl, ports[0] as number, dataDirs[0] as string);
      restartMs = performance.now() - began;
    };

    const runClient = async (client: number) => {
      let next = 0;
      const token = tokens[client] as string;
      const target = urls[client % instances] as string;
      const totals = await pushAll(
        {
          claim: async (limit) => {
            const size = Math.min(limit, perClient - next);
            const events = Array.from({ length: size }, (_, offset) =>
              makeEvent(client, next + offset, started),
            );
            return { ids: size > 0 ? [next] : [], events };
          },
          ack: async (ids) => {
            if (ids.length === 0) return;
            const size = Math.min(batch, perClient - next);
            next += size;
            acked += size;
            if (!restarting && acked >= total / 2) restarting = restart();
          },
        },
        {
          serverUrl: target,
          token,
          batchSize: batch,
          attempts: 100,
          backoff: { baseMs: 100, maxMs: 2_000 },
          timeoutMs: 60_000,
          onRequest: (ms, outcome) => {
            if (outcome === 'ok') durations.push(ms);
          },
          onRetry: () => void (retries += 1),
          send: async (events) => {
            const controller = new AbortController();
            // A lost answer: the request is cut mid-flight; the server may have committed it or not.
            if (Math.random() < abortRate) {
              aborted += 1;
              setTimeout(() => controller.abort(), Math.random() * 40);
            }
            try {
              const answer = await callJson(target, '/v1/interactions', {
                schema: pushResponseSchema,
                method: 'POST',
                token,
                body: { events },
                signal: controller.signal,
                timeoutMs: 60_000,
              });
              answeredDuplicates += answer.duplicates;
              return answer;
            } catch (error) {
              if (error instanceof SyncCallError) throw error;
              throw new SyncCallError((error as Error).message, 0, true);
            }
          },
        },
      );
      if (totals.error) throw new Error(`client ${client} gave up: ${totals.error.message}`);
    };
    await Promise.all(Array.from({ length: clients }, (_, client) => runClient(client)));
    const seconds = (Date.now() - started) / 1000;
    await restarting;
    process.stderr.write(`sync bench: pushed in ${seconds.toFixed(1)} s; counting\n`);

    const counted = await db.query<{ stored: number; distinct_ids: number }>(
      'SELECT count(*)::int AS stored, count(DISTINCT (tenant_id, id))::int AS distinct_ids FROM interactions',
    );
    await db.end();

    // The nightly job on the last instance (its worker thread) while its liveness is probed.
    const nightlyDir = dataDirs[instances - 1] as string;
    const endpoint = readAdminEndpoint(nightlyDir);
    if (!endpoint) throw new Error(`no admin endpoint in ${nightlyDir}`);
    const live: number[] = [];
    const nightlyStarted = performance.now();
    let running = true;
    const nightly = (callAdminEndpoint(endpoint, 'nightly', {}) as Promise<NightlyReport>).finally(
      () => (running = false),
    );
    nightly.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    while (running) {
      const began = performance.now();
      await fetch(`${urls[instances - 1]}/health/live`);
      live.push(performance.now() - began);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const report = await nightly;
    const nightlySeconds = (performance.now() - nightlyStarted) / 1000;
    process.stderr.write(`sync bench: nightly in ${nightlySeconds.toFixed(1)} s (${live.length} probes)\n`);
    if (!report.ran) throw new Error('the nightly job did not run');
    const stored = counted.rows[0]?.stored ?? 0;
    const distinct = counted.rows[0]?.distinct_ids ?? 0;
    return {
      bench: 'sync',
      clients,
      events_per_client: perClient,
      batch,
      sent: total,
      stored,
      duplicates: stored - distinct,
      lost: total - distinct,
      push_p95_ms: Number(percentile(durations, 95).toFixed(1)),
      push_p50_ms: Number(percentile(durations, 50).toFixed(1)),
      events_per_s: Math.round(total / seconds),
      seconds: Number(seconds.toFixed(1)),
      aborted,
      retries,
      answered_duplicates: answeredDuplicates,
      restart_ms: Math.round(restartMs),
      instances,
      nightly_live_p99_ms: Number(percentile(live, 99).toFixed(1)),
      nightly_s: Number(nightlySeconds.toFixed(1)),
    };
  } finally {
    // A graceful stop, or a kill when keep-alive sockets hold it open.
    for (const server of servers) {
      server.child.kill('SIGTERM');
      const killer = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
      await server.exited;
      clearTimeout(killer);
    }
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}
