/**
 * A full disk is an error, not damage. Free space is checked before the big writes (a PGlite that
 * hits ENOSPC mid-transaction cannot always roll back cleanly: its ROLLBACK can PANIC), and a write
 * that still fails with ENOSPC or EFBIG (a file-size limit) becomes one clear `io` failure.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { LuminFailure } from '../../shared/contract/errors';

const MB = 1_048_576;

/** Free bytes for this user on the file system holding `path` (or its nearest existing parent). */
export function freeBytes(path: string): number {
  for (let current = path; ; current = dirname(current)) {
    try {
      const stats = statfsSync(current);
      return stats.bavail * stats.bsize;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(current) === current) throw error;
    }
  }
}

/** True for a write that failed because the disk (or the file-size limit) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT') return true;
  const message = error instanceof Error ? error.message : String(error);
  return /no space left on device|file too large|disk quota exceeded|could not extend file/i.test(message);
}

/** `what` failed on a full disk: the message says so, where, and that nothing was written. */
export function diskFullFailure(what: string, path: string, error: unknown): LuminFailure {
  const cause =
    (error as NodeJS.ErrnoException | null)?.code === 'EFBIG'
      ? 'the file-size limit was reached'
      : 'the disk is full';
  return new LuminFailure(
    'io',
    `${what}: ${cause} writing ${path} (${Math.floor(freeBytes(path) / MB)} MB free); nothing was written. Free some space and try again`,
    { path, freeBytes: freeBytes(path) },
  );
}

/** Fails with a clear `io` failure unless `neededBytes` are free on the disk of `path`. */
export function assertFreeSpace(what: string, path: string, neededBytes: number): void {
  const free = freeBytes(path);
  if (free >= neededBytes) return;
  throw new LuminFailure(
    'io',
    `${what}: only ${Math.floor(free / MB)} MB free on the disk of ${path}, and this needs about ${Math.ceil(neededBytes / MB)} MB; nothing was written. Free some space and try again`,
    { path, freeBytes: free, neededBytes },
  );
}

/**
 * Room an import commit needs: its rows, their indexes and WAL at a few times the file's size, plus a
 * WAL segment. Generous on purpose: running out mid-commit is far worse than asking to free space.
 */
export function importSpaceNeeded(fileBytes: number): number {
  return 32 * MB + 8 * fileBytes;
}

/** Room one embedding batch needs (vectors, index pages, WAL). */
export const EMBED_BATCH_SPACE = 32 * MB;
