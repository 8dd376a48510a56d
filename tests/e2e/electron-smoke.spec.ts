/**
 * Smoke test of the real desktop app: launches the electron-vite build with Playwright's Electron
 * driver. Skipped only where the Electron binary is not installed (`require('electron')` throws or
 * names a missing file), e.g. machines that cannot download it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { repoRoot } from './paths';

/** The Electron executable, or null when it is not installed. */
function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test.skip(binary === null, 'the Electron binary is not installed');

test('the desktop app opens the core, shows the library, and quits cleanly', async () => {
  const home = mkdtempSync(join(tmpdir(), 'lumin-electron-'));
  const dataDir = join(home, 'data');
  // Electron refuses to start as root without --no-sandbox (CI containers); renderers stay sandboxed.
  const asRoot = process.getuid?.() === 0;
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: [...(asRoot ? ['--no-sandbox'] : []), repoRoot],
    cwd: repoRoot,
    // A private userData (XDG_CONFIG_HOME, APPDATA) and data directory: never the developer's library.
    env: { ...process.env, LUMIN_DATA_DIR: dataDir, XDG_CONFIG_HOME: home, APPDATA: home },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { level: 1, name: 'Lumin' })).toBeVisible();
    await expect(window.locator('[data-detail="data-dir"] dd')).toHaveText(dataDir);
    await expect(window.locator('[data-stat="readers"] dd')).toHaveText('0');

    // The renderer sees the bridge and nothing of Node.
    const globals = await window.evaluate(() => {
      const page = globalThis as Record<string, unknown>;
      return {
        lumin: typeof page['lumin'],
        require: typeof page['require'],
        process: typeof page['process'],
      };
    });
    expect(globals).toEqual({ lumin: 'object', require: 'undefined', process: 'undefined' });

    // A write through the preload bridge comes back as a data.changed event.
    await window.getByLabel('Name').fill('Ada');
    await window.getByRole('button', { name: 'Add reader' }).click();
    await expect(window.getByRole('row', { name: /Ada/ })).toBeVisible();
    await expect(window.locator('[data-stat="readers"] dd')).toHaveText('1');
  } finally {
    await app.close();
  }
  // Quitting closed the core, which released the data directory's lock.
  expect(existsSync(join(dataDir, 'lumin.lock'))).toBe(false);
  rmSync(home, { recursive: true, force: true });
});
