/**
 * Durability. PGlite runs Postgres with fsync off, and its Node file system has no fsync at all (a
 * `fsync=on` Postgres calls a no-op), so every committed write sits in the OS page cache: a crash of
 * Lumin loses nothing, a power cut can lose what the OS had not written yet, in any order. A durable
 * point is a CHECKPOINT (every change in the data files) followed by an fsync of each file and folder
 * of the database from Node. Lumin takes one after each import and, while anything is written, at
 * most every {@link DURABLE_INTERVAL_MS} (see README "What a power cut can cost").
 */
import { closeSync, fsyncSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** The longest a committed write waits for its durable point while Lumin keeps running. */
export const DURABLE_INTERVAL_MS = 30_000;

function syncPath(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return; // removed meanwhile, or a folder Windows will not open: nothing to flush
  }
  try {
    fsyncSync(fd);
  } catch {
    /* folders cannot be fsynced on every platform */
  } finally {
    closeSync(fd);
  }
}

/**
 * fsyncs the files under `folder` changed since `sinceMs` (all of them by default), then the folders
 * whose entries changed since (so new, renamed and removed names are durable too: any of those sets
 * the folder's mtime). Most of a database's ~500 files and ~30 folders do not change between two
 * points; a read-only command changes a handful of files and no folder at all.
 */
export function syncFolder(folder: string, sinceMs = 0): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) syncFolder(path, sinceMs);
    else if (entry.isFile() && changedSince(path, sinceMs)) syncPath(path);
  }
  if (changedSince(folder, sinceMs)) syncPath(folder);
}

/** Whether `path` was modified at or after `sinceMs` (always true for 0; a missing path is not). */
function changedSince(path: string, sinceMs: number): boolean {
  if (sinceMs <= 0) return true;
  return (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= sinceMs;
}

/** When each database folder last reached a durable point (file times are compared with it). */
const lastDurable = new Map<string, number>();

/** A CHECKPOINT, then every data file changed since the last point flushed. Returns the time in ms. */
export async function durablePoint(db: PGlite, pgdata: string): Promise<number> {
  const started = performance.now();
  // Slack for file systems whose times are coarse (FAT: 2 s): flushing a file twice is harmless.
  const since = (lastDurable.get(pgdata) ?? 0) - 2_000;
  const wallClock = Date.now();
  await db.exec('CHECKPOINT');
  syncFolder(pgdata, since);
  lastDurable.set(pgdata, wallClock);
  return performance.now() - started;
}
