/**
 * End-to-end: the real renderer build in Chromium, against the real core, through a bridge with the
 * preload's shape (see web-host.ts and web-bridge.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { contentSecurityPolicy } from '../../electron/main/csp';
import type { Status } from '../../shared/contract/domain';
import { unwrap } from '../../shared/contract/errors';
import { expect, test } from './fixtures';
import { repoRoot } from './paths';

/** The value shown for one record count. */
const stat = (page: Page, key: keyof Status['counts']) => page.locator(`[data-stat="${key}"] dd`);
/** The value shown for one detail (schema, data-dir, last-backup, version). */
const detail = (page: Page, key: string) => page.locator(`[data-detail="${key}"] dd`);

/** Saves a screenshot to screenshots/ (git-ignored) for a person to look at. */
async function screenshot(page: Page, name: string): Promise<void> {
  const folder = join(repoRoot, 'screenshots');
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

/** Marks the document, so a test can prove the page was not reloaded. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((globalThis as { luminMark?: boolean }).luminMark = true));
}
async function isSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (globalThis as { luminMark?: boolean }).luminMark === true);
}

test('shows the status of a new library, then its counts after writes', async ({ app, host }) => {
  const status = unwrap(await host.core.api.status.get());
  await expect(app.getByRole('heading', { level: 1, name: 'Lumin' })).toBeVisible();
  await expect(app.getByRole('heading', { level: 2, name: 'Library' })).toBeVisible();
  await expect(detail(app, 'schema')).toHaveText(String(status.schemaVersion));
  await expect(detail(app, 'data-dir')).toHaveText(status.dataDir);
  await expect(detail(app, 'last-backup')).toHaveText('Never');
  await expect(detail(app, 'version')).toHaveText(status.appVersion);
  for (const key of ['books', 'readers', 'classes', 'interactions', 'embeddings'] as const)
    await expect(stat(app, key)).toHaveText('0');
  await expect(app.getByText('No readers yet.')).toBeVisible();
  await expect(app.getByRole('alert')).toBeHidden();

  const book = unwrap(await host.core.api.books.add({ title: 'Matilda', authors: ['Roald Dahl'] }));
  const reader = unwrap(await host.core.api.readers.add({ name: 'Ada', grade: 4, className: 'Room 4' }));
  unwrap(await host.core.api.interactions.log({ readerId: reader.id, bookId: book.id, type: 'thumbs_up' }));
  await app.reload();
  await expect(stat(app, 'books')).toHaveText('1');
  await expect(stat(app, 'readers')).toHaveText('1');
  await expect(stat(app, 'classes')).toHaveText('1');
  await expect(stat(app, 'interactions')).toHaveText('1');
  await expect(stat(app, 'embeddings')).toHaveText('0');
});

test('follows writes made elsewhere through data.changed, without a reload', async ({ app, host }) => {
  await markDocument(app);
  unwrap(await host.core.api.readers.add({ name: 'Ada Lovelace', grade: 4, className: 'Room 4' }));

  const row = app.getByRole('row', { name: /Ada Lovelace/ });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell')).toHaveText(['Room 4', '4', '—']);
  await expect(stat(app, 'readers')).toHaveText('1');
  await expect(stat(app, 'classes')).toHaveText('1');

  // A write from the page itself comes back the same way: the form never reloads the list.
  await app.getByLabel('Name').fill('Grace Hopper');
  await app.getByLabel('Grade').selectOption({ label: 'K' });
  await app.getByLabel('Class').fill('Room 4');
  await app.getByRole('button', { name: 'Add reader' }).click();
  await expect(app.getByRole('row', { name: /Grace Hopper/ }).getByRole('cell')).toHaveText([
    'Room 4',
    'K',
    '—',
  ]);
  await expect(stat(app, 'readers')).toHaveText('2');
  await expect(app.getByLabel('Name')).toHaveValue('');
  const added = unwrap(await host.core.api.readers.resolve({ ref: 'Grace Hopper' }));
  expect(added.grade).toBe(0);

  expect(await isSameDocument(app)).toBe(true);
  await screenshot(app, 'e2e-readers');
});

test('shows an error from the core in the error panel', async ({ app }) => {
  const panel = app.getByRole('alert');
  await expect(panel).toBeHidden();
  // Whitespace passes the input's `required`; the core's validation rejects it.
  await app.getByLabel('Name').fill('   ');
  await app.getByRole('button', { name: 'Add reader' }).click();
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
  await expect(panel).toContainText('Adding a reader failed:');
  await expect(panel.locator('.error-message')).toHaveText('readers.add: name: must not be empty');
  await expect(panel.locator('.error-code')).toHaveText('invalid_argument');
  await screenshot(app, 'e2e-error');

  await panel.getByRole('button', { name: 'Dismiss' }).click();
  await expect(panel).toBeHidden();
});

test('keeps the last status and shows the failure when the core goes away', async ({ app, host }) => {
  await expect(stat(app, 'readers')).toHaveText('0');
  await host.core.close();
  await app.getByRole('button', { name: 'Refresh' }).click();
  const panel = app.getByRole('alert');
  await expect(panel).toContainText('Loading the status failed:');
  await expect(panel.locator('.error-code')).toHaveText('closed');
  await expect(panel.locator('.error-message')).toContainText('status.get');
  await expect(stat(app, 'readers')).toHaveText('0');
});

test('runs under the app Content-Security-Policy', async ({ app, host, problems }) => {
  const policy = contentSecurityPolicy();
  const response = await app.request.get(host.url);
  expect(response.headers()['content-security-policy']).toBe(policy);
  await expect(app.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', policy);

  // An injected inline script must not run.
  const ran = await app.evaluate(async () => {
    const page = globalThis as unknown as {
      document: {
        createElement(tag: 'script'): { textContent: string };
        head: { append(node: unknown): void };
        addEventListener(type: string, listener: () => void, options: { once: boolean }): void;
      };
      luminInline?: boolean;
    };
    const violation = new Promise<void>((resolve) =>
      page.document.addEventListener('securitypolicyviolation', () => resolve(), { once: true }),
    );
    const script = page.document.createElement('script');
    script.textContent = 'globalThis.luminInline = true';
    page.document.head.append(script);
    await violation;
    return page.luminInline === true;
  });
  expect(ran).toBe(false);
  // The violation is reported on the console; that one is expected.
  problems.list = problems.list.filter((problem) => !problem.includes('Content Security Policy'));
});
