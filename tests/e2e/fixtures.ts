/**
 * Playwright fixtures for the web-hosted app: Debian's Chromium (Playwright's own browsers cannot be
 * downloaded here) on an empty profile, a fresh web host (real core + real renderer build) per
 * test, and a page that loads the app with the web bridge as its `window.lumin`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, test as base, chromium, expect } from '@playwright/test';
import { build } from 'vite';
import { rendererDir } from './paths';
import { type WebHost, startWebHost } from './web-host';

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

/** Bundles tests/e2e/web-bridge.ts (and the contract it imports) into one classic script. */
async function bundleWebBridge(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'error',
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: { entry: join(import.meta.dirname, 'web-bridge.ts'), formats: ['iife'], name: 'luminWebBridge' },
    },
  });
  const first = (Array.isArray(output) ? output[0] : output) as { output?: Array<{ type: string }> };
  const chunk = first.output?.find((item) => item.type === 'chunk') as { code: string } | undefined;
  if (!chunk) throw new Error('e2e: bundling the web bridge produced no script');
  return chunk.code;
}

/** Problems the page reported: uncaught errors and console errors (CSP violations among them). */
export interface PageProblems {
  list: string[];
}

interface TestFixtures {
  /** The real core and renderer build, served over HTTP. */
  host: WebHost;
  /** A page showing the app, with the status loaded and the event stream connected. */
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
    await expect(page.locator('[data-stat="readers"] dd')).toBeVisible();
    // The page subscribes at start-up; wait until its event stream is open so no event is missed.
    await expect.poll(() => host.eventClients()).toBeGreaterThan(0);
    await use(page);
    await page.close();
  },
});

export { expect };
