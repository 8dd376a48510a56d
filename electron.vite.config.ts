/**
 * electron-vite build of the desktop app: three bundles in out/.
 *
 *   out/main/index.js        the main process (ESM, dependencies stay external in node_modules)
 *   out/main/core.js         the core's host (openCore), imported by index.js and by the packaged-layout test
 *   out/main/db-worker.js    the core's db worker: workers/host/spawn.ts starts `./db-worker.js`
 *                            beside the bundled main file, so both must be entries of one build
 *   out/preload/index.cjs    the preload: CommonJS and self-contained, because sandboxed preloads
 *                            cannot load ESM or anything from node_modules
 *   out/renderer/            the React page
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './electron/main/csp';

const root = import.meta.dirname;

/**
 * Writes the policy from electron/main/csp.ts into index.html's CSP <meta>, so the header (set by
 * the main process) and the tag never drift apart. In dev the policy also admits the dev server.
 */
function cspMeta(): Plugin {
  const pattern = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/;
  return {
    name: 'lumin:csp-meta',
    transformIndexHtml(html, context) {
      if (!pattern.test(html))
        throw new Error('renderer/index.html must have a Content-Security-Policy meta');
      const devUrl = context.server?.resolvedUrls?.local[0];
      return html.replace(pattern, `$1${contentSecurityPolicy(devUrl)}$2`);
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          // The core on its own, so the packaged-layout test can start it under Node without Electron.
          core: resolve(root, 'workers/host/core.ts'),
          'db-worker': resolve(root, 'workers/db/worker.ts'),
          'embed-worker': resolve(root, 'workers/embed/worker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Bundle everything (zod included, through the contract's input schemas): a sandboxed preload
      // can require only a few Electron modules.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), cspMeta()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
