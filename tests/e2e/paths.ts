/** Where the e2e tests find the repository and the electron-vite build. */
import { join } from 'node:path';

/** The repository root. */
export const repoRoot = join(import.meta.dirname, '..', '..');
/** The electron-vite output folder. */
export const outDir = join(repoRoot, 'out');
/** The renderer build the tests load. */
export const rendererDir = join(outDir, 'renderer');
/** Files the app build must produce (`npx electron-vite build`). */
export const buildOutputs = [
  join(outDir, 'main', 'index.js'),
  join(outDir, 'main', 'db-worker.js'),
  join(outDir, 'preload', 'index.cjs'),
  join(rendererDir, 'index.html'),
];
