/**
 * The nightly job in a worker thread, so the HTTP event loop keeps answering (`/health/live` among
 * others) while ALS trains. The worker opens its own PostgreSQL pool (no statement timeout: a night's
 * training may take long) and runs {@link runServerNightly} under the advisory lock.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openServerDb } from './db';
import { type NightlyOptions, type NightlyReport, runServerNightly } from './nightly';

/** What the worker needs (plain data: it crosses the thread boundary). */
export interface NightlyJob {
  databaseUrl: string;
  schema?: string | undefined;
  archiveDir: string;
  options: NightlyOptions;
}

/** Runs the nightly job in a new worker thread; resolves with its report. */
export function runNightlyInWorker(job: NightlyJob): Promise<NightlyReport> {
  const entry = new URL(import.meta.url);
  // From source (tsx) the entry runs through the core's tsx bootstrap; built, the file itself.
  const worker = entry.pathname.endsWith('.ts')
    ? new Worker(new URL('../workers/host/tsx-bootstrap.mjs', import.meta.url), {
        workerData: { luminEntry: entry.href, job },
        name: 'lumin-server-nightly',
      })
    : new Worker(entry, { workerData: { job }, name: 'lumin-server-nightly' });
  return new Promise((resolve, reject) => {
    let answered = false;
    worker.once('message', (message: { report?: NightlyReport; error?: string }) => {
      answered = true;
      if (message.report) resolve(message.report);
      else reject(new Error(message.error ?? 'the nightly worker failed'));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the nightly worker exited with code ${code}`));
    });
  });
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
