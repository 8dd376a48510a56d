/**
 * Bundles TypeScript entries for Node with Vite (the toolchain electron-vite already brings): ESM, one
 * `<name>.js` per entry, shared code in `chunks/`, dependencies left external in node_modules.
 * Used by the CLI build and by the benchmarks that measure the shipped core.
 */
import { build, type Rollup } from 'vite';

/** Bundles `inputs` (name → source file) into `outDir`; resolves to the source files it read. */
export async function bundleForNode(
  root: string,
  outDir: string,
  inputs: Record<string, string>,
): Promise<string[]> {
  const output = (await build({
    root,
    configFile: false,
    logLevel: 'silent',
    ssr: { noExternal: ['zod'] },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      rollupOptions: {
        input: inputs,
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const sources = new Set<string>();
  for (const result of Array.isArray(output) ? output : [output])
    for (const item of result.output)
      if (item.type === 'chunk')
        for (const id of item.moduleIds)
          if (!id.includes('node_modules') && !id.startsWith('\0')) sources.add(id);
  return [...sources].sort();
}
