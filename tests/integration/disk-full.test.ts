/**
 * A full disk is an error, not damage. Each case runs on a small tmpfs mounted for the test (CI runs
 * as root); where mounting is not allowed the suite is skipped with a message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodreadsExport } from '../../bench/fixtures/goodreads';
import type { BackupSkipped } from '../../shared/contract/events';
import { cleanupDirs, failure, finishedJob, open, tempDir, value } from '../support/core';

const mountPoint = tempDir('lumin-disk-');
const mounted =
  spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mountPoint], { encoding: 'utf8' }).status ===
  0;
if (!mounted)
  console.warn(
    `disk-full tests skipped: cannot mount a small tmpfs at ${mountPoint} (needs root and mount rights)`,
  );

afterAll(() => {
  if (mounted) spawnSync('umount', [mountPoint]);
  cleanupDirs();
});

const filler = join(mountPoint, 'filler');

/** Fills the tmpfs until `leaveBytes` (rounded to 64 KB) stay free. */
function fill(leaveBytes: number): void {
  rmSync(filler, { force: true });
  const stats = statfsSync(mountPoint);
  const free = stats.bavail * stats.bsize;
  const blocks = Math.max(0, Math.floor((free - leaveBytes) / 65_536));
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64K', `count=${blocks}`], { stdio: 'ignore' });
  } catch {
    /* dd stops at ENOSPC when asked for more than there is */
  }
}

describe.skipIf(!mounted)('a full disk', () => {
  beforeAll(() => mkdirSync(join(mountPoint, 'out'), { recursive: true }));

  it('a backup and an export to a full disk fail with a clear message and leave no temp file', async () => {
    const core = await open();
    try {
      const reader = value(await core.api.readers.add({ name: 'Ada' }));
      for (let index = 0; index < 40; index += 1) {
        const book = value(await core.api.books.add({ title: `Book ${String(index)} ${'x'.repeat(200)}` }));
        value(
          await core.api.interactions.log({
            id: crypto.randomUUID(),
            readerId: reader.id,
            bookId: book.id,
            type: 'finish',
          }),
        );
      }
      fill(0);
      const out = join(mountPoint, 'out', 'library.tar.gz');
      const backup = failure(await core.api.backup.create({ out }));
      expect(backup.code).toBe('io');
      expect(backup.message).toMatch(
        new RegExp(`^backup\\.create: the disk is full writing ${out} \\(0 MB free\\); nothing was written`),
      );
      const csv = join(mountPoint, 'out', 'ada.csv');
      const exported = failure(
        await core.api.imports.export({ readerId: reader.id, format: 'goodreads', out: csv }),
      );
      expect(exported.message).toMatch(/^imports\.export: the disk is full writing .*ada\.csv/);
      expect(readdirSync(join(mountPoint, 'out'))).toEqual([]);
      rmSync(filler);
      value(await core.api.imports.export({ readerId: reader.id, format: 'goodreads', out: csv }));
      expect(readdirSync(join(mountPoint, 'out'))).toEqual(['ada.csv']);
    } finally {
      rmSync(filler, { force: true });
      rmSync(join(mountPoint, 'out'), { recursive: true, force: true });
      await core.close();
    }
  });

  it('an import commit without room is refused before writing; the library stays usable', async () => {
    const dataDir = join(mountPoint, 'import');
    const file = join(tempDir(), 'goodreads_library_export.csv');
    writeFileSync(file, goodreadsExport(2000));
    const core = await open({ dataDir });
    try {
      const preview = value(await core.api.imports.preview({ path: file, readerName: 'Ada' }));
      fill(4 * 1_048_576);
      const error = failure(await core.api.imports.commit({ previewId: preview.previewId }));
      expect(error.code).toBe('io');
      expect(error.message).toMatch(
        /^imports\.commit: only \d MB free on the disk of .*, and this needs about \d+ MB; nothing was written/,
      );
      expect(value(await core.api.books.list()).total).toBe(0);
      rmSync(filler);
      const again = value(await core.api.imports.preview({ path: file, readerName: 'Ada' }));
      expect(value(await core.api.imports.commit({ previewId: again.previewId })).rows).toBe(2000);
    } finally {
      rmSync(filler, { force: true });
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the automatic backup is skipped with a warning below twice its size, and pruning removes stale temp files', async () => {
    const dataDir = join(mountPoint, 'auto');
    const core = await open({ dataDir });
    try {
      const warnings: BackupSkipped[] = [];
      core.on('backup.skipped', (warning) => warnings.push(warning));
      fill(1_048_576);
      expect(value(await core.checkAutoBackup()).enqueued).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.reason).toMatch(
        /^the automatic backup was skipped: \d MB free on the disk of .*backups, less than twice/,
      );
      const folder = join(dataDir, 'backups');
      expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);

      rmSync(filler);
      // A temp file left by a writer that died (pid 999999 never runs here) is pruned with the old backups.
      mkdirSync(folder, { recursive: true });
      const stale = 'lumin-2020-01-01T00-00-00-000Z-v1-auto.tar.gz.tmp-999999-1';
      writeFileSync(join(folder, stale), 'half');
      expect(value(await core.checkAutoBackup()).enqueued).toBe(true);
      const left = readdirSync(folder);
      expect(left).not.toContain(stale);
      expect(left.filter((name) => name.endsWith('-auto.tar.gz'))).toHaveLength(1);
    } finally {
      rmSync(filler, { force: true });
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('an embedding pass without room stops before a batch with a clear message, and resumes once there is room', async () => {
    const dataDir = join(mountPoint, 'embed');
    const core = await open({ dataDir });
    try {
      value(
        await core.api.books.addMany({
          books: Array.from({ length: 30 }, (_, index) => ({
            title: `Dragons and rivers ${index}`,
            description: 'A long journey over the mountains to the sea.',
          })),
        }),
      );
      fill(4 * 1_048_576);
      const job = value(await core.api.embeddings.run());
      let seen = value(await core.api.jobs.get({ id: job.id }));
      for (let tries = 0; !seen.lastError && tries < 600; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen = value(await core.api.jobs.get({ id: job.id }));
      }
      expect(seen.lastError).toMatch(
        /embedding pass: only \d MB free on the disk of .*, and this needs about 32 MB; nothing was written/,
      );
      expect(value(await core.api.embeddings.status()).books.embedded).toBe(0);
      value(await core.api.jobs.cancel({ id: job.id }));
      rmSync(filler);
      const again = await finishedJob(core, value(await core.api.embeddings.run()).id);
      expect(again.state).toBe('succeeded');
      expect(value(await core.api.embeddings.status()).books).toEqual({ total: 30, embedded: 30 });
    } finally {
      rmSync(filler, { force: true });
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
