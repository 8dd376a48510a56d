/**
 * The nightly job in a worker thread, so the HTTP event loop keeps answering (`/health/live` among
 * others) while ALS trains. The worker opens its own PostgreSQL pool (no statement timeout: a night's
 * training may take long) and runs {@link runServerNightly} under the advisory lock.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ask, startWorker } from '../workers/threads/start';
import { openServerDb } from './db';
import { type NightlyOptions, type NightlyReport, runServerNightly } from './nightly';

/** This file, run as the nightly thread (the server runs from source only). */
const NIGHTLY_WORKER = { name: 'server-nightly', source: 'server/nightly-worker.ts' };

/** What the worker needs (plain data: it crosses the thread boundary). */
export interface NightlyJob {
  databaseUrl: string;
  schema?: string | undefined;
  archiveDir: string;
  options: NightlyOptions;
}

/** Runs the nightly job in a new worker thread; resolves with its report. */
export async function runNightlyInWorker(job: NightlyJob): Promise<NightlyReport> {
  // The thread ends by itself once it has answered and closed its pool.
  const message = await ask<{ report?: NightlyReport; error?: string }>(startWorker(NIGHTLY_WORKER, { job }));
  if (!message.report) throw new Error(message.error ?? 'the nightly worker failed');
  return message.report;
}

async function work(job: NightlyJob): Promise<NightlyReport> {
  const db = await openServerDb({
    databaseUrl: job.databaseUrl,
    schema: job.schema,
    poolSize: 2,
    statementTimeoutMs: 0,
  });
  try {
    return await runServerNightly(db, job.archiveDir, {
      ...job.options,
      ...(job.options.now ? { now: new Date(job.options.now) } : {}),
    });
  } finally {
    await db.close();
  }
}

if (!isMainThread && (workerData as { job?: NightlyJob } | null)?.job) {
  const job = (workerData as { job: NightlyJob }).job;
  work(job).then(
    (report) => parentPort?.postMessage({ report }),
    (error: unknown) => parentPort?.postMessage({ error: (error as Error).message }),
  );
}
