/**
 * Playwright fixtures for the web-hosted app: Debian's Chromium (Playwright's own browsers cannot be
 * downloaded here) on an empty profile, a fresh web host (real core + real renderer build) per
 * test, and a page that loads the app with the web bridge as its `window.lumin`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, test as base, chromium, expect } from '@playwright/test';
import { bundleWebBridge } from './bridge-bundle';
import { rendererDir } from './paths';
import { type WebHost, startWebHost } from './web-host';

export { bundleWebBridge };

/** The Chromium to drive; `LUMIN_E2E_CHROMIUM` overrides. */
export const chromiumPath = process.env['LUMIN_E2E_CHROMIUM'] || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Problems the page reported: uncaught errors and console errors (CSP violations among them). */
export interface PageProblems {
  list: string[];
}

interface TestFixtures {
  /** The real core and renderer build, served over HTTP. */
  host: WebHost;
  /** A page showing the app shell, with the status loaded and the event stream connected. */
  app: Page;
  /** What went wrong in the page; checked empty after each test unless a test clears it. */
  problems: PageProblems;
}

interface WorkerFixtures {
  bridgeScript: string;
  browserContext: BrowserContext;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern
  bridgeScript: [async ({}, use) => use(await bundleWebBridge()), { scope: 'worker' }],

  browserContext: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern
    async ({}, use) => {
      const profile = mkdtempSync(join(tmpdir(), 'lumin-e2e-chromium-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: chromiumPath,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1200, height: 820 },
        colorScheme: 'light',
        locale: 'en-US',
        timezoneId: 'UTC',
      });
      // The app must make no network request but to its own origin.
      await context.route(/^(?!http:\/\/127\.0\.0\.1:\d+\/)/, (route) => route.abort());
      await use(context);
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],

  // eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern
  host: async ({}, use) => {
    const host = await startWebHost({ rendererDir });
    await use(host);
    await host.close();
  },

  // eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern
  problems: async ({}, use) => {
    const problems: PageProblems = { list: [] };
    await use(problems);
    expect(problems.list, 'the page reported errors').toEqual([]);
  },

  app: async ({ browserContext, bridgeScript, host, problems }, use) => {
    const page = await browserContext.newPage();
    page.on('pageerror', (error) => problems.list.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.list.push(`console: ${message.text()}`);
    });
    await page.addInitScript({ content: bridgeScript });
    await page.goto(host.url);
    // The shell marks itself ready once the core answered its first status call.
    await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
    // The page subscribes at start-up; wait until its event stream is open so no event is missed.
    await expect.poll(() => host.eventClients()).toBeGreaterThan(0);
    await use(page);
    await page.close();
  },
});

export { expect };

/** Saves a screenshot of the page to tests/e2e/screenshots/<name>.png (git-ignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = join(import.meta.dirname, 'screenshots');
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

/**
 * Drops a file on the page as a user dragging it from the desktop would: the file is put among the
 * user's files (`host.userDir`, where the stand-in for webUtils.getPathForFile finds it), then
 * dragenter, dragover and drop events carry a DataTransfer with one File of that name.
 */
export async function dropFile(
  page: Page,
  host: WebHost,
  name: string,
  content: string,
  type = 'text/csv',
): Promise<void> {
  host.putUserFile(name, content);
  await page.evaluate(
    ({ name, content, type }) => {
      const dom = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: string[], name: string, options: { type: string }) => unknown;
        DragEvent: new (type: string, init: Record<string, unknown>) => unknown;
        dispatchEvent(event: unknown): boolean;
      };
      const transfer = new dom.DataTransfer();
      transfer.items.add(new dom.File([content], name, { type }));
      for (const kind of ['dragenter', 'dragover', 'drop'])
        dom.dispatchEvent(
          new dom.DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }),
        );
    },
    { name, content, type },
  );
}
