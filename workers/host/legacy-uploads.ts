/**
 * Earlier versions copied every dropped import file into DATA/imports/ (the window sent the file's
 * bytes over IPC and the worker wrote them back to disk to read them). Nothing reads or writes that
 * folder any more, and its files can hold whole class rosters, where an erased student would live on:
 * the core removes it whenever it opens a library.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

/** Removes the upload copies an earlier version left in `dataDir`. */
export function removeLegacyUploads(dataDir: string): void {
  rmSync(join(dataDir, 'imports'), { recursive: true, force: true });
}
