/**
 * Electron main process: owns the app's lifetime, the one window, and the core. The core (PGlite in
 * a worker thread) runs here, behind the same `openCore` the CLI uses, on the same data directory.
 */
import { join } from 'node:path';
import { type BrowserWindow, app, dialog, nativeTheme, shell } from 'electron';
import type { Result } from '../../shared/contract/errors';
import { MINILM_MODEL_ID } from '../../shared/embed/models';
import { type Core, openCore } from '../../workers/host/core';
import { FileHandles } from '../../workers/host/file-access';
import { defaultDataDir, userDataDir } from '../../workers/host/paths';
import { connectBridge } from './bridge';
import { handleCovers, registerCoverScheme } from './cover-protocol';
import { connectDesktop, importThroughMenu } from './desktop';
import { safeStorageSecrets } from './secrets';
import { type MenuActions, installMenu } from './menu';
import { createMainWindow, loadWindowState, saveWindowState } from './window';
import type { ThemeSource } from './window-state';

// Before anything else: the name and the userData folder decide where Electron keeps its state and
// where the single-instance lock lives, and they must match workers/host/paths so the CLI and the
// app share one library.
app.setName('Lumin');
app.setPath('userData', userDataDir());
// Every renderer sandboxed, whatever a BrowserWindow's options say.
app.enableSandbox();
// Covers come only from the data folder's cache, on this scheme (registered before ready).
registerCoverScheme();

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
  const dataDir = defaultDataDir();
  // The files the user chose or dropped this session, as the handles the renderer passes.
  const files = new FileHandles();

  // The window's bounds, maximised flag and theme, kept in the data folder between launches.
  const stateFile = join(dataDir, 'window-state.json');
  let windowState = loadWindowState(stateFile);
  nativeTheme.themeSource = windowState.theme;

  // Opening the core (migrations, worker start) overlaps Electron's own start-up.
  const opening: Promise<Result<Core>> = openCore({
    dataDir,
    purpose: 'desktop',
    // The app embeds new and changed books without being asked, starts on the bundled model and moves to
    // MiniLM once it could download it; keys live in the OS keychain.
    embedding: { background: true, upgradeTo: MINILM_MODEL_ID },
    schedule: true,
    secrets: safeStorageSecrets(join(userDataDir(), 'secrets'), async (message) => {
      const answer = await dialog.showMessageBox({
        type: 'warning',
        title: 'Store the API key without encryption?',
        message: 'No keyring for the API key',
        detail: message,
        buttons: ['Store anyway', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
      });
      return answer.response === 0;
    }),
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
    window = createMainWindow({
      state: windowState,
      onState: (update) => {
        windowState = { ...windowState, ...update };
        saveWindowState(stateFile, windowState);
      },
    });
    window.on('closed', () => {
      window = null;
      files.clear();
    });
  };

  const menuActions: MenuActions = {
    devTools: !app.isPackaged,
    theme: windowState.theme,
    importFile: () => void importThroughMenu(window, files),
    setTheme: (theme: ThemeSource) => {
      nativeTheme.themeSource = theme;
      windowState = { ...windowState, theme };
      saveWindowState(stateFile, windowState);
      installMenu({ ...menuActions, theme });
    },
    revealDataFolder: () => void shell.openPath(dataDir),
    showShortcuts: () =>
      void dialog.showMessageBox({
        type: 'info',
        title: 'Keyboard shortcuts',
        message: 'Keyboard shortcuts',
        detail: [
          `${process.platform === 'darwin' ? '⌘' : 'Ctrl+'}O  Import a book list or roster`,
          'Tab / Shift+Tab  Move between controls',
          'Enter / Space  Activate a button or link',
          `${process.platform === 'darwin' ? '⌘' : 'Ctrl+'}+ / −  Zoom in and out`,
        ].join('\n'),
      }),
    showAbout: () =>
      void dialog.showMessageBox({
        type: 'info',
        title: 'About Lumin',
        message: `Lumin ${app.getVersion()}`,
        detail: 'A local-first reading recommender for teachers and readers.',
      }),
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
    installMenu(menuActions);
    const disconnectCore = connectBridge(opened.value, () => window, files);
    const disconnectDesktop = connectDesktop({ getWindow: () => window, dataDir, files });
    const disconnectCovers = handleCovers(opened.value);
    disconnect = () => {
      disconnectCore();
      disconnectDesktop();
      disconnectCovers();
    };
    openWindow();
    app.on('activate', () => {
      if (!window) openWindow();
    });
  });
}
