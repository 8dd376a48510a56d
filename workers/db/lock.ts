/**
 * The exclusive lock on a data directory. Two PGlite instances on one folder silently lose committed
 * rows, so exactly one process, and one open within it, may own a directory at a time.
 *
 * The lock file holds the owner's pid, host name, start time and a random token. It appears with its
 * content in one step: the content goes to a temp file that is then `link()`ed into place (a link
 * fails if the name exists), so no reader ever sees an empty lock. A lock whose pid no longer runs on
 * this host is stale (a crash or SIGKILL) and is taken over; a lock from another host is never judged
 * stale here (its pid means nothing on this machine): `lumin unlock --force` clears it.
 *
 * Taking over a stale lock: several processes may judge the same file stale at once. Each first claims
 * that file's generation (`lumin.lock.takeover-<key>`, itself a lock taken the same way), then checks
 * the lock file is still that generation, moves it aside and checks the moved file is the stale
 * owner's before deleting it; a file that is not is linked back. Only the claim's winner ever removes
 * a given stale file, and that file never comes back, so a slow contender cannot move a new owner's
 * live lock aside. Opens within one process are tracked in memory too, because the pid alone cannot
 * tell a second open of this process from a stale file left by an earlier process with the same pid.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
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
  /** Random per lock file: tells two files of one pid apart. */
  token: string;
}

/** A held lock. */
export interface DirectoryLock {
  readonly path: string;
  readonly dataDir: string;
  /** Removes the lock file if it is still this lock's (idempotent). */
  release(): void;
}

/** Steps of `acquireLock`, named for tests that interleave them across processes. */
export type LockStep =
  'write-temp' | 'link' | 'read' | 'claim' | 'recheck' | 'move-aside' | 'check-aside' | 'remove';

/** Options of `acquireLock`. */
export interface LockOptions {
  /** Called before each file-system step (tests pause here to interleave processes). */
  step?: (name: LockStep, path: string) => void;
}

/** A lock file as read: its bytes, inode and parsed owner (null when unreadable). */
interface Snapshot {
  key: string;
  owner: LockOwner | null;
  modifiedMs: number;
}

/** An unreadable lock younger than this may be one being written (file systems without links). */
const UNREADABLE_GRACE_MS = 10_000;

/** Errors of `link()` on file systems without hard links (FAT and exFAT drives, some network shares). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

const heldInThisProcess = new Map<string, { path: string; token: string }>();
let exitHookInstalled = false;

/** True while a process with `pid` runs on this machine. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to another user: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      host: String(parsed.host ?? ''),
      startedAt: String(parsed.startedAt ?? ''),
      purpose: String(parsed.purpose ?? ''),
      token: String(parsed.token ?? ''),
    };
  } catch {
    return null;
  }
}

/** Reads `path`; the key names this very file (inode and bytes), so a replaced file never matches. */
function snapshot(path: string): Snapshot | null {
  try {
    const info = statSync(path);
    const bytes = readFileSync(path);
    const key = createHash('sha1').update(`${info.ino}:`).update(bytes).digest('hex').slice(0, 16);
    return { key, owner: parseOwner(bytes.toString('utf8')), modifiedMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function isStale({ owner, modifiedMs }: Snapshot, myHost: string): boolean {
  // Unreadable: links make a lock appear whole, but without them it is written after it is created.
  if (owner === null) return Date.now() - modifiedMs > UNREADABLE_GRACE_MS;
  if (owner.host !== '' && owner.host !== myHost) return false;
  // Same pid as ours but not in our table: an earlier process with a recycled pid left it.
  return owner.pid === process.pid || !processIsAlive(owner.pid);
}

/** Removes `path` only if it still holds `token` (a lock taken over or forced away is not ours). */
function removeIfOwned(path: string, token: string): void {
  try {
    if (parseOwner(readFileSync(path, 'utf8'))?.token === token) unlinkSync(path);
  } catch {
    /* already gone */
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A clean exit (even without close()) must not leave a lock that the next start has to judge stale.
  process.once('exit', () => {
    for (const { path, token } of heldInThisProcess.values()) removeIfOwned(path, token);
  });
}

type Outcome = { won: true } | { won: false; holder: LockOwner | null };

/**
 * One attempt series at creating `path` holding `me`. Returns `won`, or the live holder. A stale
 * file is taken over through a claim on its generation (the same procedure on a derived name).
 */
function takeFile(path: string, me: LockOwner, step: NonNullable<LockOptions['step']>, depth = 0): Outcome {
  const temporary = `${path}.tmp-${me.token}-${depth}`;
  step('write-temp', path);
  const fd = openSync(temporary, 'w', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      step('link', path);
      try {
        linkSync(temporary, path);
        return { won: true };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (NO_LINKS.has(code)) {
          if (createWithoutLink(path, me)) return { won: true };
        } else if (code !== 'EEXIST') throw error;
      }
      step('read', path);
      const seen = snapshot(path);
      if (seen === null) continue; // released meanwhile: try again
      if (!isStale(seen, me.host)) return { won: false, holder: seen.owner };
      if (depth >= 4) return { won: false, holder: seen.owner }; // claims crashing in a row: give up
      const claim = `${lockBase(path)}.takeover-${seen.key}`;
      step('claim', path);
      const claimed = takeFile(claim, me, step, depth + 1);
      // Another live contender is taking this stale file over: it is the one to wait for.
      if (!claimed.won) return claimed;
      try {
        step('recheck', path);
        const still = snapshot(path);
        if (still === null || still.key !== seen.key) continue;
        const aside = `${path}.stale-${me.token}`;
        step('move-aside', path);
        try {
          renameSync(path, aside);
        } catch {
          continue;
        }
        step('check-aside', path);
        const moved = snapshot(aside);
        if (moved?.key === seen.key) {
          step('remove', path);
          unlinkSync(aside);
        } else {
          // Not the stale owner's file: put it back where its owner expects it.
          try {
            linkSync(aside, path);
          } catch {
            /* someone else's lock is there now */
          }
          unlinkSync(aside);
        }
      } finally {
        removeIfOwned(claim, me.token);
      }
    }
    return { won: false, holder: snapshot(path)?.owner ?? null };
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      /* already gone */
    }
  }
}

/** The exclusive create where links do not exist; true when it made the file. */
function createWithoutLink(path: string, me: LockOwner): boolean {
  try {
    writeFileSync(path, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o644 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Claims on a claim stay beside the lock file rather than growing one name per level. */
function lockBase(path: string): string {
  return path.replace(/\.takeover-[0-9a-f]+$/, '');
}

/**
 * Takes the exclusive lock on `dataDir` (created if missing). Throws a `LuminFailure` with code
 * `locked`, naming the directory, the holder's pid and host, when another live process (or another
 * host) or another open in this process holds it.
 */
export function acquireLock(dataDir: string, purpose = 'core', options: LockOptions = {}): DirectoryLock {
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
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    purpose,
    token: randomBytes(8).toString('hex'),
  };
  const outcome = takeFile(path, me, options.step ?? (() => undefined));
  if (!outcome.won) {
    const owner = outcome.holder;
    if (owner === null)
      throw new LuminFailure(
        'locked',
        `could not take the lock on ${realDir} after a stale lock; try again`,
        {
          dataDir: realDir,
        },
      );
    const otherHost = owner.host !== '' && owner.host !== me.host;
    const where = otherHost
      ? ` on host ${owner.host}; if that machine no longer uses it, run \`lumin unlock --force\``
      : '';
    throw new LuminFailure(
      'locked',
      `the data directory ${realDir} is in use by process ${owner.pid}${where} (${owner.purpose || 'lumin'}, since ${owner.startedAt}); close that Lumin first`,
      { dataDir: realDir, pid: owner.pid, host: owner.host },
    );
  }
  heldInThisProcess.set(realDir, { path, token: me.token });
  installExitHook();
  let released = false;
  return {
    path,
    dataDir: realDir,
    release() {
      if (released) return;
      released = true;
      heldInThisProcess.delete(realDir);
      removeIfOwned(path, me.token);
    },
  };
}

/** The current holder of `dataDir`'s lock, or `null` (for messages and tests). */
export function lockOwner(dataDir: string): LockOwner | null {
  return snapshot(dataLayout(dataDir).lock)?.owner ?? null;
}

/**
 * Removes `dataDir`'s lock whoever holds it (`lumin unlock --force`): for a lock left by another
 * machine on a shared drive. Returns the owner it removed, or `null` when there was no lock.
 */
export function forceUnlock(dataDir: string): LockOwner | null {
  const path = dataLayout(dataDir).lock;
  const seen = snapshot(path);
  if (seen === null) return null;
  const aside = `${path}.forced-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  unlinkSync(aside);
  return seen.owner ?? { pid: 0, host: '', startedAt: '', purpose: 'unreadable lock file', token: '' };
}
