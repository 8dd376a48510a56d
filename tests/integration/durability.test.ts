/**
 * Durability: an import is followed by a durable point (CHECKPOINT + fsync of the changed data
 * files), right after its answer. A CHECKPOINT rewrites global/pg_control; PGlite runs Postgres in
 * single-user mode, where nothing else checkpoints until close.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goodreadsExport } from '../../bench/fixtures/goodreads';
import { cleanupDirs, open, tempDir, value } from '../support/core';

afterAll(cleanupDirs);

describe('durability', () => {
  it('takes a checkpoint after each import commit', async () => {
    const core = await open();
    try {
      const control = join(core.dataDir, 'pgdata', 'global', 'pg_control');
      const file = join(tempDir(), 'goodreads_library_export.csv');
      writeFileSync(file, goodreadsExport(300));
      const preview = value(await core.api.imports.preview({ path: file, readerName: 'Ada' }));
      const before = readFileSync(control);
      value(await core.api.imports.commit({ previewId: preview.previewId }));
      value(await core.api.books.list()); // queued behind the durable point
      expect(readFileSync(control).equals(before)).toBe(false);

      // A read alone takes none.
      const settled = readFileSync(control);
      value(await core.api.books.list());
      value(await core.api.status.get());
      expect(readFileSync(control).equals(settled)).toBe(true);
    } finally {
      await core.close();
    }
  });
});
