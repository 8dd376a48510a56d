/**
 * End-to-end: the app shell on the real renderer build in Chromium, against the real core through a
 * bridge with the preload's shape (see web-host.ts and web-bridge.ts): first launch, navigation by
 * keyboard, themes, errors and the Content-Security-Policy.
 */
import type { Page } from '@playwright/test';
import { contentSecurityPolicy } from '../../electron/main/csp';
import { unwrap } from '../../shared/contract/errors';
import { expect, screenshot, test } from './fixtures';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('first launch: an empty library that says how to start', async ({ app }) => {
  await expect(app.getByRole('heading', { level: 1, name: 'Lumin' })).toBeVisible();
  await expect(nav(app).getByRole('link', { name: 'Library' })).toHaveAttribute('aria-current', 'page');
  await expect(app.getByRole('heading', { level: 2, name: 'Library' })).toBeVisible();
  await expect(app.getByRole('heading', { name: 'Your library is empty' })).toBeVisible();
  await expect(app.getByText('drop a Goodreads export')).toBeVisible();
  await expect(app.getByRole('alert')).toBeHidden();
  await screenshot(app, 'first-launch');

  await app.getByRole('button', { name: 'Import books' }).click();
  await expect(app.getByRole('heading', { level: 2, name: 'Import' })).toBeVisible();
  await expect(app.getByRole('heading', { name: 'Bring in your books' })).toBeVisible();
  await expect(app).toHaveURL(/#\/import$/);
});

test('every main view is reachable from the sidebar with the keyboard', async ({ app }) => {
  const views: [string, RegExp][] = [
    ['Import', /Import/],
    ['Classes & readers', /Classes & readers/],
    ['Group picks', /Group picks/],
    ['Analytics', /Analytics/],
    ['Jobs', /Jobs/],
    ['Settings', /Settings/],
    ['Library', /Library/],
  ];
  for (const [label, heading] of views) {
    await nav(app).getByRole('link', { name: label, exact: true }).focus();
    await app.keyboard.press('Enter');
    await expect(nav(app).getByRole('link', { name: label, exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(app.getByRole('heading', { level: 2, name: heading }).first()).toBeVisible();
  }
  // The skip link is the first stop and moves focus to the content.
  await app.reload();
  await expect(app.locator('.app[data-ready="true"]')).toBeVisible();
  await app.keyboard.press('Tab');
  await expect(app.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.locator('#main')).toBeFocused();
});

test('deep links and the back button move between views', async ({ app, host }) => {
  const reader = unwrap(await host.core.api.readers.add({ name: 'Ada Park', grade: 3, className: 'Room 3' }));
  await app.goto(`${host.url}#/reader/${reader.id}`);
  await expect(app.getByRole('heading', { level: 2, name: 'Ada Park' })).toBeVisible();
  await expect(nav(app).getByRole('link', { name: 'Classes & readers' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await nav(app).getByRole('link', { name: 'Import' }).click();
  await expect(app.getByRole('heading', { level: 2, name: 'Import' })).toBeVisible();
  await app.goBack();
  await expect(app.getByRole('heading', { level: 2, name: 'Ada Park' })).toBeVisible();
});

test('follows the system theme and the theme toggle', async ({ app }) => {
  const root = app.locator('html');
  const background = () =>
    root.evaluate((element) => {
      const view = globalThis as unknown as { getComputedStyle(node: unknown): { backgroundColor: string } };
      return view.getComputedStyle(element).backgroundColor;
    });
  const light = await background();
  const toggle = app.getByRole('button', { name: /^Theme:/ });
  await expect(toggle).toHaveText('Theme: System');
  await toggle.click(); // → light
  await expect(toggle).toHaveText('Theme: Light');
  expect(await background()).toBe(light);
  await toggle.click(); // → dark
  await expect(toggle).toHaveText('Theme: Dark');
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background()).not.toBe(light);
  await screenshot(app, 'library-dark');
  // The choice survives a reload.
  await app.reload();
  await expect(app.getByRole('button', { name: /^Theme:/ })).toHaveText('Theme: Dark');
  await app.getByRole('button', { name: /^Theme:/ }).click(); // → system
  await expect(app.locator('html')).not.toHaveAttribute('data-theme', /.+/);

  // With the system in dark mode, "System" is dark too.
  await app.emulateMedia({ colorScheme: 'dark' });
  expect(await background()).not.toBe(light);
  await app.emulateMedia({ colorScheme: 'light' });
});

test('shows an error from the core as a readable sentence', async ({ app }) => {
  await nav(app).getByRole('link', { name: 'Classes & readers' }).click();
  const panel = app.getByRole('alert');
  await expect(panel).toBeHidden();
  // Whitespace passes the input's `required`; the core's validation rejects it.
  await app.getByLabel('Name').fill('   ');
  await app.getByRole('button', { name: 'Add student' }).click();
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
  await expect(panel).toContainText('Adding a reader failed:');
  await expect(panel.locator('.error-message')).toHaveText('readers.add: name: must not be empty');
  await expect(panel.locator('.error-code')).toHaveText('invalid_argument');
  await panel.getByRole('button', { name: 'Dismiss' }).click();
  await expect(panel).toBeHidden();
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
