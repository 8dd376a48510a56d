/**
 * Electron main process: owns the app's lifetime, the one window, and the core. The core (PGlite in
 * a worker thread) runs here, behind the same `openCore` the CLI uses, on the same data directory.
 */
import { join } from 'node:path';
import { type BrowserWindow, app, dialog } from 'electron';
import type { Result } from '../../shared/contract/errors';
import { MINILM_MODEL_ID } from '../../shared/embed/models';
import { type Core, openCore } from '../../workers/host/core';
import { defaultDataDir, userDataDir } from '../../workers/host/paths';
import { connectBridge } from './bridge';
import { safeStorageSecrets } from './secrets';
import { installMenu } from './menu';
import { createMainWindow } from './window';

// Before anything else: the name and the userData folder decide where Electron keeps its state and
// where the single-instance lock lives, and they must match workers/host/paths so the CLI and the
// app share one library.
app.setName('Lumin');
app.setPath('userData', userDataDir());
// Every renderer sandboxed, whatever a BrowserWindow's options say.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another Lumin is running: it gets a 'second-instance' event and comes to the front.
  app.quit();
} else {
  start();
}

/** Runs the app (only in the instance that holds the single-instance lock). */
function start(): void {
  let window: BrowserWindow | null = null;
  let disconnect: (() => void) | null = null;

  // Opening the core (migrations, worker start) overlaps Electron's own start-up.
  const opening: Promise<Result<Core>> = openCore({
    dataDir: defaultDataDir(),
    purpose: 'desktop',
    // The app embeds new and changed books without being asked, starts on the bundled model and moves to
    // MiniLM once it could download it; keys live in the OS keychain.
    embedding: { background: true, upgradeTo: MINILM_MODEL_ID },
    schedule: true,
    secrets: safeStorageSecrets(join(userDataDir(), 'secrets')),
  }).catch((error: unknown) => ({
    ok: false as const,
    error: { name: 'LuminError' as const, code: 'internal' as const, message: String(error) },
  }));

  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  const openWindow = () => {
    window = createMainWindow();
    window.on('closed', () => (window = null));
  };

  // Closing the core checkpoints the database and releases the directory lock; quitting first would
  // leave a stale lock and an unflushed database, so hold the quit until it is done.
  let coreClosed = false;
  app.on('will-quit', (event) => {
    if (coreClosed) return;
    event.preventDefault();
    disconnect?.();
    void opening
      .then((opened) => (opened.ok ? opened.value.close() : undefined))
      .catch((error: unknown) => console.error('lumin: closing the core failed', error))
      .finally(() => {
        coreClosed = true;
        app.quit();
      });
  });

  // macOS apps stay open without windows; elsewhere closing the last window quits.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void Promise.all([opening, app.whenReady()]).then(([opened]) => {
    if (!opened.ok) {
      // Most often `locked`: the CLI or another user session has the library open.
      dialog.showErrorBox('Lumin cannot open its library', opened.error.message);
      app.quit();
      return;
    }
    installMenu({ devTools: !app.isPackaged });
    disconnect = connectBridge(opened.value, () => window);
    openWindow();
    app.on('activate', () => {
      if (!window) openWindow();
    });
  });
}
