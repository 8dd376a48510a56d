/**
 * The core host's end of the db worker thread: a comlink remote whose calls fail (instead of hanging)
 * once the thread has died, the worker's events forwarded to the host's emitter, and restoring a backup
 * in a worker of its own.
 */
import type { Worker } from 'node:worker_threads';
import { type Remote, releaseProxy, wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { type Result, LuminFailure, err } from '../../shared/contract/errors';
import type { CoreEvents } from '../../shared/contract/events';
import type { RestoreReport } from '../db/backup';
import { type DirectoryLock, acquireLock } from '../db/lock';
import { migrationsDir } from '../db/layout';
import type { DbService } from '../db/service';
import { startWorker } from './spawn';

/** A comlink remote that fails its calls (instead of hanging) once the worker thread has died. */
export function connect(worker: Worker): {
  remote: Remote<DbService>;
  guard: <T>(call: PromiseLike<T>) => Promise<T>;
} {
  let death: LuminFailure | null = null;
  const waiting = new Set<(failure: LuminFailure) => void>();
  const die = (reason: string) => {
    death ??= new LuminFailure('internal', `the database worker stopped: ${reason}`);
    for (const reject of waiting) reject(death);
    waiting.clear();
  };
  worker.on('error', (error) => die(error.message));
  worker.on('exit', (code) => die(`exit code ${code}`));
  return {
    remote: wrap<DbService>(nodeEndpoint(worker)),
    guard<T>(call: PromiseLike<T>): Promise<T> {
      if (death) return Promise.reject(death);
      return new Promise<T>((resolve, reject) => {
        waiting.add(reject);
        Promise.resolve(call)
          .then(resolve, reject)
          .finally(() => waiting.delete(reject));
      });
    },
  };
}

/** Routes worker event messages to the emitter. */
export function forwardEvents(
  worker: Worker,
  emit: <E extends keyof CoreEvents>(event: E, payload: CoreEvents[E]) => void,
): void {
  worker.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && 'luminEvent' in message) {
      const { luminEvent, payload } = message as { luminEvent: keyof CoreEvents; payload: never };
      emit(luminEvent, payload);
    }
  });
}

/**
 * Restores backup `file` into `dataDir`, which must not be in use (the lock is taken for the
 * duration). The previous database is moved aside, never deleted.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<Result<RestoreReport>> {
  let lock: DirectoryLock;
  try {
    lock = acquireLock(dataDir, 'restore');
  } catch (error) {
    if (error instanceof LuminFailure) return { ok: false, error: error.toShape() };
    return err('io', `cannot use the data directory ${dataDir}: ${(error as Error).message}`, { dataDir });
  }
  const worker = startWorker('db');
  const { remote, guard } = connect(worker);
  try {
    return await guard<Result<RestoreReport>>(remote.restore(file, lock.dataDir, migrationsDir()));
  } catch (error) {
    return err('internal', `restore: ${(error as Error).message}`);
  } finally {
    remote[releaseProxy]();
    await worker.terminate();
    lock.release();
  }
}
