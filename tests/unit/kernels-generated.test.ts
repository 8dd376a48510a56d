/**
 * The committed WebAssembly kernels (shared/ml/kernels/generated/) are what scripts/build-kernels.ts
 * compiles from today's .wat sources, so an edited kernel cannot ship with stale bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNELS, generateKernels, generatedPath } from '../../scripts/build-kernels';

const root = join(import.meta.dirname, '..', '..');

describe('generated WebAssembly kernels', () => {
  it('match a fresh wabt build of every .wat source', async () => {
    const built = await generateKernels();
    expect([...built.keys()].sort()).toEqual(KERNELS.map((kernel) => generatedPath(kernel.source)).sort());
    for (const [path, content] of built)
      expect(readFileSync(join(root, path), 'utf8'), `${path} is stale: run npm run build:kernels`).toBe(
        content,
      );
  });
});
