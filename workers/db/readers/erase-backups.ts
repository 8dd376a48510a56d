/**
 * Every snapshot in the backups folder that holds an erased reader is rewritten without them: the
 * snapshot is unpacked into a staging cluster beside the database, the same erase runs there
 * (erase.ts, scrub.ts), and the new dump replaces the file atomically (temp file, fsync, rename), so
 * the folder never shows a half-written backup and a crash leaves the old one whole. A snapshot is
 * opened only when its unpacked tar holds the reader's id (16 raw bytes in every row about them) or
 * their name. Snapshots written elsewhere with `backup.create {out}` are the user's files: not touched.
 */
import { readFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { PGlite } from '@electric-sql/pglite';
import { listBackups, writeFileAtomic } from '../backup';
import { dataLayout } from '../layout';
import { createPglite } from '../open';
import { TEXT_TABLES, eraseReaderRows } from './erase';
import { scrubDeleted } from './scrub';

/** A uuid's 16 bytes as Postgres stores them. */
export function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

/** Rewrites the backups holding reader `id`; returns the paths rewritten. */
export async function eraseFromBackups(dataDir: string, id: string, name: string): Promise<string[]> {
  const layout = dataLayout(dataDir);
  const needles = [uuidBytes(id), Buffer.from(name, 'utf8')];
  const rewritten: string[] = [];
  for (const backup of listBackups(dataDir)) {
    const packed = readFileSync(backup.path);
    const tar = gunzipSync(packed);
    if (!needles.some((needle) => tar.includes(needle))) continue;
    const staging = `${layout.pgdata}.erase-${process.pid}-${Date.now()}`;
    let db: PGlite | null = null;
    try {
      db = await createPglite(staging, new Blob([packed]));
      const opened = db;
      const found = await opened.query('SELECT 1 FROM readers WHERE id = $1', [id]);
      if (found.rows.length > 0) await opened.transaction((tx) => eraseReaderRows(tx, id));
      await scrubDeleted(opened, staging, TEXT_TABLES);
      const dump = await opened.dumpDataDir('gzip');
      writeFileAtomic(backup.path, new Uint8Array(await dump.arrayBuffer()));
      rewritten.push(backup.path);
    } finally {
      await db?.close().catch(() => undefined);
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return rewritten;
}
