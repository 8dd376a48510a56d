/** Bundles tests/e2e/web-bridge.ts (and the contract it imports) into one classic script for page.addInitScript. */
import { join } from 'node:path';
import { build } from 'vite';

/** The web bridge as one classic script (used by the e2e fixtures and the UI benchmark). */
export async function bundleWebBridge(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'error',
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: { entry: join(import.meta.dirname, 'web-bridge.ts'), formats: ['iife'], name: 'luminWebBridge' },
    },
  });
  const first = (Array.isArray(output) ? output[0] : output) as { output?: Array<{ type: string }> };
  const chunk = first.output?.find((item) => item.type === 'chunk') as { code: string } | undefined;
  if (!chunk) throw new Error('e2e: bundling the web bridge produced no script');
  return chunk.code;
}
