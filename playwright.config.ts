/**
 * Playwright: end-to-end tests in tests/e2e. The app is built (electron-vite) by the global setup
 * when stale; the web tests drive Debian's Chromium (see tests/e2e/fixtures.ts), the Electron smoke
 * test the real app when the Electron binary is installed.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/global-setup.ts',
  outputDir: 'test-results',
  // Each test opens a core (PGlite in a worker thread): a few seconds on a small machine.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  reporter: 'list',
});
