/**
 * Smoke test of the real desktop app: launches the electron-vite build with Playwright's Electron
 * driver. Skipped only where the Electron binary is not installed (`require('electron')` throws or
 * names a missing file), e.g. machines that cannot download it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

test('the desktop app opens the core behind a locked-down window, and quits cleanly', async () => {
  const home = mkdtempSync(join(tmpdir(), 'lumin-electron-'));
  const dataDir = join(home, 'data');
  // Electron refuses to start as root without --no-sandbox (CI containers); renderers stay sandboxed.
  const asRoot = process.getuid?.() === 0;
  const launch = () =>
    electron.launch({
      executablePath: binary ?? undefined,
      args: [...(asRoot ? ['--no-sandbox'] : []), repoRoot],
      cwd: repoRoot,
      // A private userData (XDG_CONFIG_HOME, APPDATA) and data directory: never the developer's library.
      env: { ...process.env, LUMIN_DATA_DIR: dataDir, XDG_CONFIG_HOME: home, APPDATA: home },
    });
  const app = await launch();
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { level: 1, name: 'Lumin' })).toBeVisible();
    await expect(window.locator('.app[data-ready="true"]')).toBeVisible();

    // The renderer sees the bridges and nothing of Node (contextBridge works only with contextIsolation on,
    // and a sandboxed renderer has no `process`).
    const globals = await window.evaluate(() => {
      const page = globalThis as Record<string, unknown>;
      return {
        lumin: typeof page['lumin'],
        luminDesktop: typeof page['luminDesktop'],
        require: typeof page['require'],
        process: typeof page['process'],
      };
    });
    expect(globals).toEqual({
      lumin: 'object',
      luminDesktop: 'object',
      require: 'undefined',
      process: 'undefined',
    });

    // New windows and navigation away from the app go nowhere.
    const opened = await window.evaluate(() =>
      (globalThis as unknown as { open(url: string): unknown }).open('https://example.org/'),
    );
    expect(opened).toBeNull();
    expect(app.windows()).toHaveLength(1);
    const appUrl = window.url();
    await window.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.org/';
    });
    await window.waitForTimeout(500);
    expect(window.url()).toBe(appUrl);

    // Settings show the data folder the app opened.
    await window.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect(window.locator('[data-detail="settings-data-dir"]')).toHaveText(dataDir);
    await expect(window.getByRole('button', { name: 'Reveal in folder' })).toBeVisible();

    // Resize, then quit: the bounds are saved in the data folder.
    await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]?.setBounds({ width: 900, height: 700 }),
    );
  } finally {
    await app.close();
  }
  // Quitting closed the core, which released the data directory's lock, and saved the window state.
  expect(existsSync(join(dataDir, 'lumin.lock'))).toBe(false);
  const saved = JSON.parse(readFileSync(join(dataDir, 'window-state.json'), 'utf8')) as {
    bounds: { width: number; height: number };
  };
  expect(saved.bounds).toMatchObject({ width: 900, height: 700 });

  // The next launch restores it.
  const again = await launch();
  try {
    await again.firstWindow();
    const bounds = await again.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getBounds());
    expect(bounds).toMatchObject({ width: 900, height: 700 });
  } finally {
    await again.close();
  }
  rmSync(home, { recursive: true, force: true });
});
