/**
 * Backups. PGlite runs with fsync off and a teacher's records live only on this device, so Lumin
 * snapshots the cluster: a CHECKPOINT, then PGlite's own tar dump, taken while no other call runs
 * (the db worker serialises calls around it), written to a temp file, flushed, then renamed: a
 * reader of the backups folder never sees a half-written snapshot.
 *
 * File names carry what `backup.list` shows: `lumin-<UTC time>-v<schema>-<auto|manual>.tar.gz`.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { BackupInfo } from '../../shared/contract/domain';
import type { BackupSkipped } from '../../shared/contract/events';
import { LuminFailure } from '../../shared/contract/errors';
import { SETTING_DEFAULTS } from '../../shared/contract/setting-defaults';
import { diskFullFailure, freeBytes, isDiskFull } from './disk';
import { dataLayout } from './layout';
import { processIsAlive } from './lock';
import { loadMigrations, migrate, schemaVersion } from './migrate';
import { createPglite } from './open';

const NAME = /^lumin-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d{3})?Z)-v(\d+)-(auto|manual)\.tar\.gz$/;

function stamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace('.', '-');
}

function parseStamp(text: string): string {
  const [day, time] = text.split('T') as [string, string];
  const [hours, minutes, seconds, millis] = time.replace('Z', '').split('-');
  return new Date(`${day}T${hours}:${minutes}:${seconds}.${millis ?? '000'}Z`).toISOString();
}

/** The temp file `writeFileAtomic` writes beside `target` (pruning knows the pattern). */
const TEMP_SUFFIX = /\.tmp-(\d+)-\d+$/;

/**
 * Writes `bytes` to `target` atomically: temp file in the same folder, fsync, rename. If any step
 * fails (a full disk: ENOSPC, or EFBIG past a file-size limit) the temp file is removed and the
 * target is untouched.
 */
export function writeFileAtomic(target: string, bytes: Uint8Array): void {
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Expected free space for an automatic backup: twice its size, so one backup never fills the disk. */
export const BACKUP_FREE_FACTOR = 2;

/** An automatic backup left out because the disk is nearly full (see `takeSnapshot`'s `auto`). */
export type SnapshotSkipped = BackupSkipped & { skipped: true };

/**
 * Dumps the open cluster to `out` (or the backups folder). The caller guarantees no call runs
 * meanwhile. An automatic snapshot is skipped when the disk has less than twice its size free.
 */
export async function takeSnapshot(
  db: PGlite,
  dataDir: string,
  options?: { out?: string },
): Promise<BackupInfo>;
export async function takeSnapshot(
  db: PGlite,
  dataDir: string,
  options: { auto: true },
): Promise<BackupInfo | SnapshotSkipped>;
export async function takeSnapshot(
  db: PGlite,
  dataDir: string,
  options: { out?: string; auto?: boolean } = {},
): Promise<BackupInfo | SnapshotSkipped> {
  const version = await schemaVersion(db);
  await db.exec('CHECKPOINT');
  const dump = await db.dumpDataDir('gzip');
  const bytes = new Uint8Array(await dump.arrayBuffer());
  const createdAt = new Date();
  const target = options.out
    ? resolve(options.out)
    : join(
        dataLayout(dataDir).backups,
        `lumin-${stamp(createdAt)}-v${version}-${options.auto ? 'auto' : 'manual'}.tar.gz`,
      );
  if (options.auto) {
    const free = freeBytes(dirname(target));
    const needed = BACKUP_FREE_FACTOR * bytes.length;
    if (free < needed)
      return {
        skipped: true,
        reason: `the automatic backup was skipped: ${Math.floor(free / 1_048_576)} MB free on the disk of ${dirname(target)}, less than twice the backup's ${Math.ceil(bytes.length / 1_048_576)} MB`,
        freeBytes: free,
        neededBytes: needed,
      };
  }
  if (target.startsWith(`${dataLayout(dataDir).pgdata}/`))
    throw new LuminFailure(
      'invalid_argument',
      `backup.create: out: a backup cannot be written inside the database folder ${dataLayout(dataDir).pgdata}`,
      { field: 'out' },
    );
  try {
    writeFileAtomic(target, bytes);
  } catch (error) {
    if (isDiskFull(error)) throw diskFullFailure('backup.create', target, error);
    throw new LuminFailure('io', `backup.create: cannot write ${target}: ${(error as Error).message}`, {
      field: 'out',
      path: target,
    });
  }
  return { path: target, bytes: bytes.length, createdAt: createdAt.toISOString(), schemaVersion: version };
}

/** Snapshots in the backups folder, newest first. */
export function listBackups(dataDir: string): (BackupInfo & { auto: boolean })[] {
  const folder = dataLayout(dataDir).backups;
  if (!existsSync(folder)) return [];
  const found: (BackupInfo & { auto: boolean })[] = [];
  for (const file of readdirSync(folder)) {
    const match = NAME.exec(file);
    if (!match) continue;
    const path = join(folder, file);
    found.push({
      path,
      bytes: statSync(path).size,
      createdAt: parseStamp(match[1] as string),
      schemaVersion: Number(match[2]),
      auto: match[3] === 'auto',
    });
  }
  return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Deletes automatic snapshots beyond the newest `keep`; manual ones are the user's and stay. Temp
 * files of snapshots whose writer is gone (a crash or a full disk mid-write) are removed too.
 */
export function pruneAutomaticBackups(dataDir: string, keep: number): string[] {
  const removed: string[] = [];
  const folder = dataLayout(dataDir).backups;
  for (const file of existsSync(folder) ? readdirSync(folder) : []) {
    const temp = TEMP_SUFFIX.exec(file);
    if (!temp || !NAME.test(file.replace(TEMP_SUFFIX, ''))) continue;
    if (Number(temp[1]) !== process.pid && processIsAlive(Number(temp[1]))) continue; // being written
    rmSync(join(folder, file), { force: true });
    removed.push(join(folder, file));
  }
  for (const backup of listBackups(dataDir)
    .filter((item) => item.auto)
    .slice(keep)) {
    rmSync(backup.path, { force: true });
    removed.push(backup.path);
  }
  return removed;
}

/** The current library's `backup.restoreMaxBytes` setting (0, automatic, when unset or unreadable). */
async function restoreMaxBytesSetting(pgdata: string): Promise<number> {
  if (!existsSync(join(pgdata, 'PG_VERSION'))) return SETTING_DEFAULTS['backup.restoreMaxBytes'];
  let db: PGlite | null = null;
  try {
    db = await createPglite(pgdata);
    const found = await db.query<{ value: unknown }>(
      "SELECT value FROM settings WHERE key = 'backup.restoreMaxBytes'",
    );
    const value = found.rows[0]?.value;
    return typeof value === 'number' ? value : SETTING_DEFAULTS['backup.restoreMaxBytes'];
  } catch {
    return SETTING_DEFAULTS['backup.restoreMaxBytes']; // a damaged library is why one restores
  } finally {
    await db?.close().catch(() => undefined);
  }
}

/** What a restore did. */
export interface RestoreReport {
  restoredFrom: string;
  dataDir: string;
  schemaVersion: number;
  counts: { books: number; readers: number; interactions: number };
  /** Where the directory's previous database was moved (nothing is deleted), or `null` if there was none. */
  previousMovedTo: string | null;
}

/**
 * Restores snapshot `file` into `dataDir`, which the caller has locked. The snapshot is unpacked
 * and opened in a staging folder first; only a snapshot that opens and migrates replaces the
 * current database, which is kept aside rather than deleted.
 */
export async function restoreSnapshot(
  file: string,
  dataDir: string,
  migrationsDirectory: string,
  options: { maxBytes?: number } = {},
): Promise<RestoreReport> {
  const source = resolve(file);
  if (!existsSync(source))
    throw new LuminFailure('not_found', `restore: no backup file at ${source}`, { path: source });
  const layout = dataLayout(dataDir);
  const staging = `${layout.pgdata}.restore-${process.pid}-${Date.now()}`;
  let db: PGlite | null = null;
  try {
    // Streamed and capped: a backup is never held in memory whole, and a gzip bomb stops at the cap.
    // Loaded on first restore: tar is not needed by every start of the worker.
    const { restoreCap, unpackBackup } = await import('./restore-archive');
    const cap = restoreCap(
      options.maxBytes ?? (await restoreMaxBytesSetting(layout.pgdata)),
      layout.pgdata,
      source,
    );
    await unpackBackup(source, staging, cap);
    try {
      db = await createPglite(staging);
      await db.query('SELECT 1 FROM schema_migrations LIMIT 1');
    } catch (error) {
      throw new LuminFailure(
        'invalid_argument',
        `restore: ${basename(source)} is not a Lumin backup (${(error as Error).message})`,
        {
          path: source,
        },
      );
    }
    const version = await migrate(db, loadMigrations(migrationsDirectory));
    const counts = await db.query<{ books: number; readers: number; interactions: number }>(
      `SELECT (SELECT count(*)::int FROM books) AS books, (SELECT count(*)::int FROM readers) AS readers,
              (SELECT count(*)::int FROM interactions) AS interactions`,
    );
    await db.exec('CHECKPOINT');
    await db.close();
    db = null;
    let previousMovedTo: string | null = null;
    if (existsSync(layout.pgdata)) {
      previousMovedTo = `${layout.pgdata}.before-restore-${stamp(new Date())}`;
      renameSync(layout.pgdata, previousMovedTo);
    }
    renameSync(staging, layout.pgdata);
    return {
      restoredFrom: source,
      dataDir,
      schemaVersion: version,
      counts: counts.rows[0] ?? { books: 0, readers: 0, interactions: 0 },
      previousMovedTo,
    };
  } finally {
    if (db) await db.close().catch(() => undefined);
    rmSync(staging, { recursive: true, force: true });
  }
}
