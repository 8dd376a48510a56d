/**
 * Unpacking a backup for restore, as a stream: the file is read, gunzipped and untarred chunk by
 * chunk into the staging folder, counting the bytes it expands to. Past the cap (the
 * `backup.restoreMaxBytes` setting, or 10 × the library size) it stops and the caller removes the
 * staging folder: a 10 MB gzip that expands to 10 GB costs neither memory nor the disk.
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar';
import { LuminFailure } from '../../shared/contract/errors';
import { formatCount } from '../../shared/import/limits';

/** Bytes of the files under `folder` (0 when it does not exist). */
export function folderBytes(folder: string): number {
  if (!existsSync(folder)) return 0;
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

/**
 * The decompressed-size cap of a restore: `setting` when it is positive, else 10 × the library size,
 * the library being the current database folder or, when there is none yet, the backup file itself.
 */
export function restoreCap(setting: number, pgdata: string, backupFile: string): number {
  if (setting > 0) return setting;
  return 10 * Math.max(folderBytes(pgdata), statSync(backupFile).size);
}

/** Unpacks backup `source` into `target`, refusing once it expands past `maxBytes`. */
export async function unpackBackup(source: string, target: string, maxBytes: number): Promise<number> {
  mkdirSync(target, { recursive: true });
  let expanded = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      expanded += chunk.length;
      if (expanded > maxBytes)
        done(
          new LuminFailure(
            'invalid_argument',
            `restore: ${basename(source)} expands to more than ${formatCount(maxBytes)} bytes, the restore limit ` +
              '(setting backup.restoreMaxBytes; by default 10 × the library size); nothing was restored',
            { path: source, limit: maxBytes },
          ),
        );
      else done(null, chunk);
    },
  });
  try {
    // PGlite's dumps name entries from the data folder's root (`/PG_VERSION`); tar strips the `/`.
    await pipeline(createReadStream(source), createGunzip(), counter, extract({ cwd: target }));
  } catch (error) {
    if (error instanceof LuminFailure) throw error;
    throw new LuminFailure(
      'invalid_argument',
      `restore: ${basename(source)} is not a Lumin backup (${(error as Error).message})`,
      { path: source },
    );
  }
  return expanded;
}
