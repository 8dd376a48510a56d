/**
 * Builds the app (electron-vite: main, preload, renderer) before the e2e tests when the build is
 * missing or older than its sources, so the tests always run the code in the working tree.
 * `LUMIN_E2E_BUILD=always|never` overrides the check.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'electron-vite';
import { buildOutputs, repoRoot } from './paths';

/** Everything the build reads. */
const SOURCES = ['electron', 'renderer', 'shared', 'workers', 'electron.vite.config.ts', 'package.json'];

/** The newest modification time under `path` (a file or a folder). */
function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when an output is missing or older than some source. */
function isStale(): boolean {
  const outputs = buildOutputs.map((file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  const oldestOutput = Math.min(...outputs);
  if (oldestOutput === 0) return true;
  return SOURCES.some((source) => newestMtime(join(repoRoot, source)) > oldestOutput);
}

export default async function globalSetup(): Promise<void> {
  const mode = process.env['LUMIN_E2E_BUILD'];
  if (mode === 'never' || (mode !== 'always' && !isStale())) return;
  console.log('e2e: building the app with electron-vite…');
  await build({ root: repoRoot, logLevel: 'error' });
}
