/**
 * End-to-end: files only through the user. A page script holding `window.lumin` cannot name a file
 * (read or write); the app's own buttons go through the host's dialogs and pass handles; a dropped
 * file is imported from disk with no more than its name crossing to the host.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goodreadsExport } from '../../bench/fixtures/goodreads';
import { unwrap } from '../../shared/contract/errors';
import { dropFile, expect, screenshot, test } from './fixtures';

test('a page script naming a path is refused, and nothing is read or written', async ({ app, host }) => {
  const reader = unwrap(await host.core.api.readers.add({ name: 'Ada Park' }));
  const out = join(tmpdir(), `x-${randomUUID()}`);
  const results = await app.evaluate(
    async ({ out, readerId }) => {
      const page = globalThis as unknown as {
        lumin: Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
        luminDesktop: { importDroppedFile(file: unknown): Promise<unknown> };
        File: new (parts: string[], name: string) => unknown;
      };
      const { lumin } = page;
      return {
        preview: await lumin['imports']!['preview']!({ path: '/etc/passwd' }),
        backup: await lumin['backup']!['create']!({ out }),
        exported: await lumin['imports']!['export']!({ readerId, format: 'goodreads', out: `${out}.csv` }),
        madeUpHandle: await lumin['imports']!['preview']!({ file: `lumin-file:${'0'.repeat(32)}` }),
        handleAndPath: await lumin['imports']!['preview']!({
          file: `lumin-file:${'0'.repeat(32)}`,
          path: '/etc/passwd',
        }),
        // A File the page made itself has no file on disk behind it.
        forgedDrop: await page.luminDesktop.importDroppedFile(new page.File(['x'], '/etc/passwd')),
        upload: typeof lumin['imports']!['upload'],
      };
    },
    { out, readerId: reader.id },
  );
  expect(results.preview).toMatchObject({
    ok: false,
    error: { code: 'forbidden', details: { field: 'path' } },
  });
  expect(JSON.stringify(results.preview)).not.toContain('root:');
  expect(results.backup).toMatchObject({
    ok: false,
    error: { code: 'forbidden', details: { field: 'out' } },
  });
  expect(results.exported).toMatchObject({
    ok: false,
    error: { code: 'forbidden', details: { field: 'out' } },
  });
  expect(results.madeUpHandle).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  expect(results.handleAndPath).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(results.forgedDrop).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  expect(results.upload).toBe('undefined');
  expect(existsSync(out)).toBe(false);
  expect(existsSync(`${out}.csv`)).toBe(false);
  expect(unwrap(await host.core.api.backup.list())).toEqual([]);
  expect(host.dialogs).toEqual([]);
});

test('backup and export buttons write where the save dialog says', async ({ app, host }) => {
  const reader = unwrap(await host.core.api.readers.add({ name: 'Ada Park' }));
  const history = host.putUserFile('history.csv', goodreadsExport(5));
  const preview = unwrap(await host.core.api.imports.preview({ path: history, readerId: reader.id }));
  unwrap(await host.core.api.imports.commit({ previewId: preview.previewId }));

  await app.getByRole('link', { name: 'Settings' }).click();
  // Cancelling the dialog writes nothing.
  await app.getByRole('button', { name: 'Save a backup…' }).click();
  await expect.poll(() => host.dialogs.length).toBe(1);
  expect(unwrap(await host.core.api.backup.list())).toEqual([]);

  const backup = join(host.userDir, 'chosen-backup.tar.gz');
  host.answerDialog(backup);
  await app.getByRole('button', { name: 'Save a backup…' }).click();
  await expect(app.getByText(/^Backup saved/)).toBeVisible();
  await screenshot(app, 'settings-backup-saved');
  expect(statSync(backup).size).toBeGreaterThan(0);
  expect(host.dialogs[1]).toMatchObject({ title: 'Save a backup of the library' });

  await app.evaluate((id) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = `#/reader/${id}`;
  }, reader.id);
  const shelf = join(host.userDir, 'ada-shelf.csv');
  host.answerDialog(shelf);
  await app.getByRole('button', { name: 'Export shelves (CSV)…' }).click();
  await expect(app.getByText('Exported 5 books.')).toBeVisible();
  await screenshot(app, 'reader-shelves-exported');
  expect(statSync(shelf).size).toBeGreaterThan(0);
  expect(host.dialogs[2]).toMatchObject({ title: 'Export shelves as a Goodreads CSV' });
});

test('a dropped file is imported from disk: only its name crosses to the host', async ({ app, host }) => {
  const content = goodreadsExport(1500);
  await dropFile(app, host, 'big_library_export.csv', content);
  await expect(app.locator('[data-count="rows"]')).toHaveText('1,500');
  await app.getByRole('button', { name: 'Import 1,500 rows' }).click();
  await expect(app.getByRole('heading', { name: 'Import finished' })).toBeVisible({ timeout: 30_000 });
  expect(content.length).toBeGreaterThan(200_000);
  const largest = Math.max(...host.requests.map((request) => request.bytes));
  expect(largest).toBeLessThan(2_000);
  expect(host.requests.filter((request) => request.route === '/desktop/import-dropped-file')).toHaveLength(1);
});
