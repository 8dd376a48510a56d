/**
 * The main window and the renderer's security perimeter: sandboxed, context-isolated, no Node, a
 * strict CSP, no pop-ups, no navigation away from the app, and no permissions.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, nativeTheme, screen, session, shell } from 'electron';
import { contentSecurityPolicy } from './csp';
import { isAllowedExternalUrl } from './links';
import {
  MINIMUM_SIZE,
  type WindowState,
  clampBounds,
  parseWindowState,
  serialiseWindowState,
} from './window-state';

/** Set by `electron-vite dev` to the vite dev server; absent in a built app. */
const devServerUrl = process.env['ELECTRON_RENDERER_URL'] || undefined;

/** The built preload script (CommonJS: a sandboxed preload cannot be ESM). */
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
/** The built renderer page. */
const rendererPage = new URL('../renderer/index.html', import.meta.url);

/**
 * True when `url` is the app's own page: the dev server's origin in dev, else a file inside the
 * renderer build. Used to vet navigation and the IPC sender.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (devServerUrl) return parsed.origin === new URL(devServerUrl).origin;
  const rendererDir = new URL('.', rendererPage).href;
  return parsed.protocol === 'file:' && parsed.href.startsWith(rendererDir);
}

let sessionHardened = false;

/**
 * Session-wide rules, applied once: the CSP header on every response (the <meta> in index.html
 * covers file:// loads, which never pass through webRequest), and every permission request denied
 * (the app needs no camera, notifications, geolocation…).
 */
function hardenSession(): void {
  if (sessionHardened) return;
  sessionHardened = true;
  const policy = contentSecurityPolicy(devServerUrl);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Reads the saved window state (defaults when the file is missing or malformed). */
export function loadWindowState(file: string): WindowState {
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // First launch: no file yet.
  }
  return parseWindowState(text);
}

/** Writes the window state atomically (a crash mid-write leaves the previous file). */
export function saveWindowState(file: string, state: WindowState): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, serialiseWindowState(state));
    renameSync(temporary, file);
  } catch (error) {
    // Losing the window's position is no reason to disturb the user.
    console.error('lumin: saving the window state failed', error);
  }
}

/** How long the window must stay still before its bounds are saved. */
const SAVE_DELAY_MS = 500;

/** Opens an allowlisted https link in the default browser; anything else goes nowhere. */
function openIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

/**
 * Creates and loads the main window at `state`'s bounds (clamped to the displays attached now),
 * maximised if it was; `onState` receives the new bounds and maximised flag after moves and resizes.
 */
export function createMainWindow(options: {
  state: WindowState;
  onState: (update: Pick<WindowState, 'bounds' | 'maximised'>) => void;
}): BrowserWindow {
  hardenSession();
  const bounds = clampBounds(
    options.state.bounds,
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  const window = new BrowserWindow({
    title: 'Lumin',
    ...bounds,
    minWidth: MINIMUM_SIZE.width,
    minHeight: MINIMUM_SIZE.height,
    show: false,
    // styles.css's --bg of the scheme in effect, so the first frame matches the page.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#17191c' : '#f7f5f0',
    webPreferences: {
      preload: preloadPath,
      // The secure defaults, spelled out so a future edit cannot silently weaken them.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  if (options.state.maximised) window.maximize();
  // Show only once painted, so the user never sees a blank white frame.
  window.once('ready-to-show', () => window.show());

  // The normal bounds, so un-maximising next time restores the size the user chose.
  const report = () => {
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    options.onState({ bounds: window.getNormalBounds(), maximised: window.isMaximized() });
  };
  let timer: ReturnType<typeof setTimeout> | null = null;
  const reportSoon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(report, SAVE_DELAY_MS);
  };
  window.on('resize', reportSoon);
  window.on('move', reportSoon);
  window.on('maximize', reportSoon);
  window.on('unmaximize', reportSoon);
  window.on('close', () => {
    if (timer) clearTimeout(timer);
    report();
  });

  const contents = window.webContents;
  // The app opens no other windows; an allowlisted https link opens in the browser instead.
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });
  // Navigation (a dropped file, a stray link) would replace the app with a page that gets the bridge.
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openIfAllowed(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(fileURLToPath(rendererPage));
  return window;
}
