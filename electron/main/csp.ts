/**
 * The renderer's Content-Security-Policy, in one place: the main process sends it as a response
 * header, the renderer build writes it into index.html's <meta>, and the e2e web host serves it, so
 * every way the page is loaded enforces the same rules.
 *
 * This module imports nothing from Electron: electron.vite.config.ts and the tests use it too.
 */

import { COVER_SCHEME } from './cover-scheme';

/**
 * The policy. The renderer loads only its own bundle and talks to the core only through the
 * preload bridge, so everything is `'self'` and the network is closed. `devServerUrl` (the vite dev
 * server in `electron-vite dev`) additionally allows that origin, its HMR websocket, and inline
 * scripts, because @vitejs/plugin-react injects an inline refresh preamble in dev only.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : null;
  const devOrigin = dev ? dev.origin : '';
  const devSocket = dev ? `${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}` : '';
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'", devOrigin] : ["'self'"],
    // React sets styles through the CSSOM, which style-src does not govern; no inline <style> needed.
    'style-src': dev ? ["'self'", "'unsafe-inline'", devOrigin] : ["'self'"],
    // Covers only from the cover cache in the data folder (served on lumin-cover:, see cover-scheme.ts):
    // an image URL from an imported file would tell its host who opened which reader's page, and when.
    'img-src': ["'self'", 'data:', `${COVER_SCHEME}:`],
    'font-src': ["'self'"],
    'connect-src': dev ? ["'self'", devOrigin, devSocket] : ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'worker-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
