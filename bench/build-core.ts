/**
 * Builds the core (host + db worker) the way the desktop app ships it: bundled ESM with
 * dependencies external, `db-worker.js` beside the host. Benchmarks measure this build, not the
 * tsx-from-source path that development and tests use.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bundleForNode } from '../scripts/bundle-for-node';

/** Builds the core into `outDir` and returns the path of the host module. */
export async function buildCore(root: string, outDir = join(root, 'out', 'core')): Promise<string> {
  await bundleForNode(root, outDir, {
    core: join(root, 'workers/host/core.ts'),
    'db-worker': join(root, 'workers/db/worker.ts'),
    'embed-worker': join(root, 'workers/embed/worker.ts'),
  });
  return join(outDir, 'core.js');
}

/** Bundles the probe `bench/<name>.ts` into out/bench/ and returns the bundle's path. */
export async function buildProbe(root: string, name: string): Promise<string> {
  const probeDir = join(root, 'out', 'bench');
  await bundleForNode(root, probeDir, { [name]: join(root, 'bench', `${name}.ts`) });
  return join(probeDir, `${name}.js`);
}

/** Runs a bundled probe in a fresh Node process (its stderr shown as it runs); its last stdout line, parsed. */
export function runProbe<T = Record<string, unknown>>(probe: string, args: string[]): T {
  const output = execFileSync(process.execPath, [probe, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as T;
}
