/**
 * The main window and the renderer's security perimeter: sandboxed, context-isolated, no Node, a
 * strict CSP, no pop-ups, no navigation away from the app, and no permissions.
 */
import { fileURLToPath } from 'node:url';
import { BrowserWindow, session } from 'electron';
import { contentSecurityPolicy } from './csp';

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

/** Creates and loads the main window. */
export function createMainWindow(): BrowserWindow {
  hardenSession();
  const window = new BrowserWindow({
    title: 'Lumin',
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    show: false,
    backgroundColor: '#f7f5f0',
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
  // Show only once painted, so the user never sees a blank white frame.
  window.once('ready-to-show', () => window.show());

  const contents = window.webContents;
  // The app opens no other windows; a link with target=_blank or window.open() goes nowhere.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Navigation (a dropped file, a stray link) would replace the app with a page that gets the bridge.
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(fileURLToPath(rendererPage));
  return window;
}
