/** Test helpers: temp data directories and an opened core that is always closed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from '../../shared/contract/domain';
import { type Result, unwrap } from '../../shared/contract/errors';
import { type Core, type CoreOptions, openCore } from '../../workers/host/core';

const made: string[] = [];

/** A new empty temp directory, removed by `cleanupDirs`. */
export function tempDir(prefix = 'lumin-test-'): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  made.push(directory);
  return directory;
}

/** Removes every directory made by `tempDir`. */
export function cleanupDirs(): void {
  for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
}

/** Opens a core on `dataDir` (a new temp dir by default) with automatic backups off. */
export async function open(options: Partial<CoreOptions> = {}): Promise<Core> {
  return unwrap(
    await openCore({ dataDir: options.dataDir ?? tempDir(), autoBackup: false, purpose: 'test', ...options }),
  );
}

/** The value of a successful result; fails the test with the error message otherwise. */
export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The error of a failed result; fails the test if it succeeded. */
export function failure<T>(result: Result<T>) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value).slice(0, 200)}`);
  return result.error;
}

/** Waits until job `id` has finished (succeeded, failed or cancelled) and returns it. */
export async function finishedJob(core: Core, id: string, timeoutMs = 60_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = value(await core.api.jobs.get({ id }));
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
