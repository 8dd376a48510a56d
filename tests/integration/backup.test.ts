/** Backups: consistent snapshots during writes, atomic files, restore into an unused directory, daily rotation. */
import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreBackup } from '../../workers/host/core';
import { cleanupDirs, failure, open, tempDir, value } from '../support/core';

afterAll(cleanupDirs);

describe('backup and restore', () => {
  it('restores a snapshot taken during writes with every committed row', async () => {
    const core = await open();
    value(
      await core.api.books.addMany({
        books: Array.from({ length: 500 }, (_, index) => ({ title: `Before ${index}` })),
      }),
    );

    // Writers keep committing single rows and batches while the snapshot is taken.
    const committedBeforeSnapshot: string[] = [];
    let snapshotRequested = false;
    let stop = false;
    const writer = (async () => {
      for (let index = 0; !stop; index += 1) {
        const title = `During ${index}`;
        const book = value(await core.api.books.add({ title }));
        if (!snapshotRequested) committedBeforeSnapshot.push(book.title);
      }
    })();
    const batches = (async () => {
      for (let index = 0; !stop; index += 1)
        value(
          await core.api.books.addMany({
            books: Array.from({ length: 200 }, (_, row) => ({ title: `Batch ${index}-${row}` })),
          }),
        );
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    snapshotRequested = true;
    const out = join(tempDir('lumin-backup-'), 'snapshot.tar.gz');
    const info = value(await core.api.backup.create({ out }));
    stop = true;
    await Promise.all([writer, batches]);
    await core.close();

    expect(info.path).toBe(out);
    expect(info.bytes).toBeGreaterThan(1000);
    expect(readdirSync(join(out, '..'))).toEqual(['snapshot.tar.gz']); // no temp file left behind

    const target = tempDir();
    const report = value(await restoreBackup(out, target));
    expect(report.previousMovedTo).toBeNull();
    const restored = await open({ dataDir: target });
    const titles = new Set(
      value(await restored.api.books.list({ limit: 10_000 })).items.map((book) => book.title),
    );
    for (let index = 0; index < 500; index += 1) expect(titles.has(`Before ${index}`)).toBe(true);
    for (const title of committedBeforeSnapshot) expect(titles.has(title)).toBe(true);
    // Batches are whole: every batch in the snapshot has all 200 rows.
    const perBatch = new Map<string, number>();
    for (const title of titles) {
      const match = /^Batch (\d+)-/.exec(title);
      if (match) perBatch.set(match[1] as string, (perBatch.get(match[1] as string) ?? 0) + 1);
    }
    for (const count of perBatch.values()) expect(count).toBe(200);
    expect(report.counts.books).toBe(titles.size);
    await restored.close();
  });

  it('refuses to restore into a directory in use, and keeps the previous database aside otherwise', async () => {
    const source = await open();
    value(await source.api.books.add({ title: 'From the backup' }));
    const info = value(await source.api.backup.create());
    expect(info.path.startsWith(join(source.dataDir, 'backups'))).toBe(true);
    expect(value(await source.api.backup.list()).map((item) => item.path)).toEqual([info.path]);

    const busyDir = tempDir();
    const busy = await open({ dataDir: busyDir });
    value(await busy.api.books.add({ title: 'Already here' }));
    const refused = failure(await restoreBackup(info.path, busyDir));
    expect(refused.code).toBe('locked');
    await busy.close();

    const report = value(await restoreBackup(info.path, busyDir));
    expect(report.previousMovedTo).not.toBeNull();
    expect(existsSync(report.previousMovedTo ?? '')).toBe(true);
    const restored = await open({ dataDir: busyDir });
    expect(value(await restored.api.books.list()).items.map((book) => book.title)).toEqual([
      'From the backup',
    ]);
    await restored.close();
    await source.close();
  });

  it('refuses a file that is not a backup without touching the directory', async () => {
    const dataDir = tempDir();
    const core = await open({ dataDir });
    value(await core.api.books.add({ title: 'Precious' }));
    await core.close();
    const bogus = join(tempDir(), 'not-a-backup.tar.gz');
    writeFileSync(bogus, 'hello');
    const error = failure(await restoreBackup(bogus, dataDir));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain('not-a-backup.tar.gz is not a Lumin backup');
    expect(failure(await restoreBackup(join(dataDir, 'missing.tar.gz'), dataDir)).code).toBe('not_found');
    const again = await open({ dataDir });
    expect(value(await again.api.books.list()).items.map((book) => book.title)).toEqual(['Precious']);
    await again.close();
  });

  it('takes the automatic backup at most once a day and keeps the newest seven', async () => {
    const core = await open();
    const events: string[] = [];
    core.on('backup.created', (info) => events.push(info.path));
    expect(value(await core.checkAutoBackup()).enqueued).toBe(true);
    expect(value(await core.checkAutoBackup()).enqueued).toBe(false); // already one today
    const backups = value(await core.api.backup.list());
    expect(backups).toHaveLength(1);
    expect(events).toEqual([backups[0]?.path]);
    const job = value(await core.api.jobs.list({ kind: 'backup' })).items[0];
    expect(job).toMatchObject({ state: 'succeeded', progress: 1 });

    // Pretend eight older automatic backups exist; the next daily one leaves the newest seven.
    const folder = join(core.dataDir, 'backups');
    const [today] = readdirSync(folder);
    for (let day = 2; day <= 9; day += 1) {
      const stamp = new Date(Date.now() - day * 86_400_000)
        .toISOString()
        .replace(/:/g, '-')
        .replace('.', '-');
      copyFileSync(join(folder, today ?? ''), join(folder, `lumin-${stamp}-v1-auto.tar.gz`));
    }
    copyFileSync(join(folder, today ?? ''), join(folder, 'lumin-2020-01-01T00-00-00-000Z-v1-manual.tar.gz'));
    rmSync(join(folder, today ?? '')); // now the newest automatic backup is two days old
    expect(value(await core.checkAutoBackup()).enqueued).toBe(true);
    const left = value(await core.api.backup.list());
    expect(left.filter((item) => item.path.endsWith('-auto.tar.gz'))).toHaveLength(7);
    expect(left.some((item) => item.path.endsWith('-manual.tar.gz'))).toBe(true); // manual ones are never pruned
    expect(value(await core.api.status.get()).lastBackupAt).toBe(left[0]?.createdAt);
    await core.close();
  });
});
