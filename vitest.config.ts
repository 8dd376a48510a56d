import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Renderer components and their .tsx tests use React's automatic JSX runtime (as tsconfig.web.json).
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx', 'tests/integration/**/*.test.ts'],
    // Each integration test starts real worker threads and PGlite instances: keep files in separate
    // processes, two at a time on a 2-core machine.
    // The CLI tests run `bin/lumin.js` as users do: build its bundle once, before any test starts.
    globalSetup: ['tests/support/build-cli-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Each test file is a new process that compiles PGlite's 9 MB WebAssembly module again; V8's
    // background TurboFan tier-up of it costs more CPU than a test's few queries win back (two
    // integration files: 25.0 -> 17.5 s of CPU; the ALS and vector-scan unit tests: no change).
    execArgv: ['--liftoff-only'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
