/**
 * The exclusive lock on a data directory. Two PGlite instances on one folder silently lose committed
 * rows, so exactly one process, and one open within it, may own a directory at a time.
 *
 * The lock file is created with O_EXCL and holds the owner's pid, host name and start time. A lock
 * whose pid no longer runs on this host is stale (a crash or SIGKILL) and is taken over. Opens within
 * one process are tracked in memory too, because the pid alone cannot tell a second open of this
 * process from a stale file left by an earlier process that had the same pid (containers reuse pids).
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { LuminFailure } from '../../shared/contract/errors';
import { dataLayout } from './layout';

/** What the lock file records. */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  purpose: string;
}

/** A held lock. */
export interface DirectoryLock {
  readonly path: string;
  readonly dataDir: string;
  /** Removes the lock file (idempotent). */
  release(): void;
}

const heldInThisProcess = new Map<string, string>();
let exitHookInstalled = false;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to another user: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      host: String(parsed.host ?? ''),
      startedAt: String(parsed.startedAt ?? ''),
      purpose: String(parsed.purpose ?? ''),
    };
  } catch {
    return null;
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A clean exit (even without close()) must not leave a lock that the next start has to judge stale.
  process.once('exit', () => {
    for (const path of heldInThisProcess.values()) {
      try {
        unlinkSync(path);
      } catch {
        /* already gone */
      }
    }
  });
}

/**
 * Takes the exclusive lock on `dataDir` (created if missing). Throws a `LuminFailure` with code
 * `locked`, naming the directory and the holder's pid, when another live process or another open in
 * this process holds it.
 */
export function acquireLock(dataDir: string, purpose = 'core'): DirectoryLock {
  mkdirSync(dataDir, { recursive: true });
  const realDir = realpathSync(dataDir);
  const { lock: path } = dataLayout(realDir);
  if (heldInThisProcess.has(realDir)) {
    throw new LuminFailure(
      'locked',
      `the data directory ${realDir} is already open in this process (pid ${process.pid}); close it first`,
      { dataDir: realDir, pid: process.pid },
    );
  }
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), purpose };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(me)}\n`);
      } finally {
        closeSync(fd);
      }
      heldInThisProcess.set(realDir, path);
      installExitHook();
      let released = false;
      return {
        path,
        dataDir: realDir,
        release() {
          if (released) return;
          released = true;
          heldInThisProcess.delete(realDir);
          try {
            if (readOwner(path)?.pid === process.pid) unlinkSync(path);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(path);
    const otherHost = owner !== null && owner.host !== '' && owner.host !== me.host;
    // Same pid as ours but not in our table: an earlier process with a recycled pid left it.
    const stale = owner === null || (!otherHost && (owner.pid === process.pid || !processIsAlive(owner.pid)));
    if (!stale) {
      const where = otherHost ? ` on host ${owner.host}` : '';
      throw new LuminFailure(
        'locked',
        `the data directory ${realDir} is in use by process ${owner.pid}${where} (${owner.purpose || 'lumin'}, since ${owner.startedAt}); close that Lumin first`,
        { dataDir: realDir, pid: owner.pid, host: owner.host },
      );
    }
    // Take over atomically: move the stale file aside, so two contenders never both delete and create.
    const aside = `${path}.stale-${process.pid}-${Date.now()}`;
    try {
      renameSync(path, aside);
      unlinkSync(aside);
    } catch {
      /* someone else took it over first; retry the exclusive create */
    }
  }
  throw new LuminFailure('locked', `could not take the lock on ${realDir} after a stale lock; try again`, {
    dataDir: realDir,
  });
}

/** The current holder of `dataDir`'s lock, or `null` (for messages and tests). */
export function lockOwner(dataDir: string): LockOwner | null {
  return readOwner(dataLayout(dataDir).lock);
}
