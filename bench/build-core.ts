/**
 * Builds the core (host + db worker) the way the desktop app ships it: bundled ESM with
 * dependencies external, `db-worker.js` beside the host. Benchmarks measure this build, not the
 * tsx-from-source path that development and tests use.
 */
import { join } from 'node:path';
import { bundleForNode } from '../scripts/bundle-for-node';

export { bundleForNode };

/** Builds the core into `outDir` and returns the path of the host module. */
export async function buildCore(root: string, outDir = join(root, 'out', 'core')): Promise<string> {
  await bundleForNode(root, outDir, {
    core: join(root, 'workers/host/core.ts'),
    'db-worker': join(root, 'workers/db/worker.ts'),
    'embed-worker': join(root, 'workers/embed/worker.ts'),
  });
  return join(outDir, 'core.js');
}
