/**
 * End-to-end: the settings view in Chromium against the real core. Settings are saved in the core,
 * so they survive a reload; the API key is written but never shown back; one student's data can be
 * exported as a download and deleted after a confirmation.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { unwrap } from '../../shared/contract/errors';
import { importSampleLibrary } from './arrange';
import { expect, screenshot, test } from './fixtures';

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Settings' })).toBeVisible();
  await expect(page.getByLabel('Language model', { exact: true })).toBeVisible();
}

test('settings survive a reload because they live in the core', async ({ app, host }) => {
  await openSettings(app);
  await expect(app.locator('[data-detail="settings-data-dir"]')).toHaveText(host.dataDir);
  await expect(app.getByRole('row', { name: /In use/ })).toBeVisible();

  await app.getByLabel(/Variety in each list/).fill('0.55');
  await app.getByLabel('Explain recommendations with a language model').check();
  await app.getByLabel('Language model base URL').fill('http://localhost:11434/v1');
  await app.getByLabel('Language model', { exact: true }).fill('llama3.2');
  await app.getByRole('button', { name: 'Save recommendations' }).click();
  await expect(app.getByText('Settings saved.')).toBeVisible();

  await app.getByLabel('Sync with a server').check();
  await app.getByLabel('Server URL').fill('https://sync.example.org');
  await app.getByRole('button', { name: 'Save sync' }).click();

  await app.getByLabel('Base URL', { exact: true }).fill('http://localhost:8080/v1');
  await app.getByLabel('API key').fill('sk-test-0123456789');
  await app.getByRole('button', { name: 'Save endpoint' }).click();
  await expect(app.getByText('API key saved.')).toBeVisible();
  await expect(app.getByLabel('API key')).toHaveValue('');

  const stored = unwrap(await host.core.api.settings.list());
  expect(stored).toMatchObject({
    'recommend.diversity': 0.55,
    'explanations.llm.enabled': true,
    'explanations.llm.baseUrl': 'http://localhost:11434/v1',
    'explanations.llm.model': 'llama3.2',
    'sync.enabled': true,
    'sync.serverUrl': 'https://sync.example.org',
    'embeddings.openai.baseUrl': 'http://localhost:8080/v1',
  });

  await app.reload();
  await openSettings(app);
  await expect(app.getByLabel(/Variety in each list/)).toHaveValue('0.55');
  await expect(app.getByLabel('Explain recommendations with a language model')).toBeChecked();
  await expect(app.getByLabel('Language model base URL')).toHaveValue('http://localhost:11434/v1');
  await expect(app.getByLabel('Language model', { exact: true })).toHaveValue('llama3.2');
  await expect(app.getByLabel('Sync with a server')).toBeChecked();
  await expect(app.getByLabel('Server URL')).toHaveValue('https://sync.example.org');
  await expect(app.getByLabel('Base URL', { exact: true })).toHaveValue('http://localhost:8080/v1');
  // Write-only: the key is stored, never shown back.
  await expect(app.getByLabel('API key')).toHaveValue('');
  expect(await app.content()).not.toContain('sk-test-0123456789');
  await screenshot(app, 'settings');
});

test('refuses a bad URL with a readable sentence and keeps the stored value', async ({ app, host }) => {
  await openSettings(app);
  await app.getByLabel('Server URL').fill('ftp://nope.example');
  // The browser's own URL check passes ftp:, the core refuses it.
  await app.getByRole('button', { name: 'Save sync' }).click();
  await expect(app.getByRole('alert')).toContainText('Saving the settings failed');
  expect(unwrap(await host.core.api.settings.get({ key: 'sync.serverUrl' })).value).toBe('');
});

test('exports one student’s data as a download and deletes it after confirming', async ({ app, host }) => {
  await importSampleLibrary(host);
  const ada = unwrap(await host.core.api.readers.resolve({ ref: 'Ada Park' }));
  const book = unwrap(await host.core.api.books.list({ limit: 1 })).items[0];
  if (!book) throw new Error('the sample catalogue was not imported');
  unwrap(await host.core.api.interactions.log({ readerId: ada.id, bookId: book.id, type: 'finish' }));
  await openSettings(app);

  await app.getByRole('combobox', { name: 'Student' }).selectOption({ label: 'Ada Park' });
  const downloading = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export data' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^lumin-ada-park-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
    format: string;
    reader: { name: string };
    interactions: { book: { id: string }; type: string }[];
  };
  expect(exported.format).toBe('lumin.reader-export');
  expect(exported.reader.name).toBe('Ada Park');
  expect(exported.interactions).toEqual([
    expect.objectContaining({ book: expect.objectContaining({ id: book.id }), type: 'finish' }),
  ]);

  await app.getByRole('button', { name: 'Delete data…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Delete Ada Park?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(/copies inside the automatic backups/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep' }).click();
  await expect(dialog).toBeHidden();
  expect((await host.core.api.readers.get({ id: ada.id })).ok).toBe(true);

  await app.getByRole('button', { name: 'Delete data…' }).click();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(
    app.getByText('Deleted Ada Park: their history, lists and backup copies are erased.'),
  ).toBeVisible();
  expect((await host.core.api.readers.get({ id: ada.id })).ok).toBe(false);
  await expect(
    app.getByRole('combobox', { name: 'Student' }).locator('option', { hasText: 'Ada Park' }),
  ).toHaveCount(0);
});
