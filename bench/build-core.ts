/**
 * Builds the core (host + db worker) the way the desktop app ships it: bundled ESM with
 * dependencies external, `db-worker.js` beside the host. Benchmarks measure this build, not the
 * tsx-from-source path that development and tests use.
 */
import { join } from 'node:path';
import { build } from 'vite';

/** Bundles `inputs` (name → source file) for Node into `outDir` as `<name>.js`, dependencies external. */
export async function bundleForNode(
  root: string,
  outDir: string,
  inputs: Record<string, string>,
): Promise<void> {
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: {
        input: inputs,
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  });
}

/** Builds the core into `outDir` and returns the path of the host module. */
export async function buildCore(root: string, outDir = join(root, 'out', 'core')): Promise<string> {
  await bundleForNode(root, outDir, {
    core: join(root, 'workers/host/core.ts'),
    'db-worker': join(root, 'workers/db/worker.ts'),
    'embed-worker': join(root, 'workers/embed/worker.ts'),
  });
  return join(outDir, 'core.js');
}
