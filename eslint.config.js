// ESLint flat config. The import zones enforce the architecture's direction:
//   shared/   imports nothing outside shared/, and no node:, electron or DOM-only modules
//   workers/  imports shared/ (never electron/, renderer/, cli/, server/, nor electron itself)
//   electron/ imports the core host (workers/host) and shared/
//   cli/      imports the core host and shared/
//   renderer/ imports only types from shared/ (everything else comes through window.lumin)
//   server/   imports shared/
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const zone = (target, from, message) => ({ target, from, message });
const builtinNames = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'url',
  'module',
  'events',
  'electron',
];
// Egress: every request that leaves the device goes through workers/egress/ (see shared/egress/).
const egressMessage =
  'Outbound requests leave only through the egress module (workers/egress/), which enforces shared/egress/destinations.ts.';
const networkPaths = [
  ...['http', 'https', 'http2', 'net', 'tls', 'dgram'].flatMap((name) => [
    { name, message: egressMessage },
    { name: `node:${name}`, message: egressMessage },
  ]),
  { name: 'undici', message: egressMessage },
  { name: 'axios', message: egressMessage },
  { name: 'node-fetch', message: egressMessage },
  // The SDK's client reaches the network by itself; its error classes and types stay importable.
  { name: 'openai', importNames: ['default', 'OpenAI', 'AzureOpenAI'], message: egressMessage },
];
const networkGlobals = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map((name) => ({
  name,
  message: egressMessage,
}));
const networkProperties = ['globalThis', 'window', 'self', 'global'].flatMap((object) =>
  ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map((property) => ({
    object,
    property,
    message: egressMessage,
  })),
);
const noPlatform = (message) => ({
  paths: builtinNames.map((name) => ({ name, message })),
  patterns: [{ group: ['node:*'], message }],
});

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'resources/**',
      'test-results/**',
      'playwright-report/**',
      // written by scripts/build-kernels.ts
      'shared/ml/kernels/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: './tsconfig.*.json', noWarnOnMultipleProjects: true }),
      ],
    },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            zone(
              './shared',
              ['./workers', './electron', './cli', './renderer', './server', './bench', './tests'],
              'shared/ is pure: it imports only shared/.',
            ),
            zone(
              './workers',
              ['./electron', './renderer', './cli', './server'],
              'workers/ (the core) imports only shared/.',
            ),
            zone(
              './electron',
              ['./renderer', './cli', './server', './workers/db'],
              'electron/ imports only the core host (workers/host) and shared/.',
            ),
            zone(
              './cli',
              ['./renderer', './electron', './server', './workers/db'],
              'cli/ imports only the core host (workers/host) and shared/.',
            ),
            zone(
              './renderer',
              ['./workers', './electron', './cli', './server', './bench'],
              'renderer/ reaches the core only through window.lumin.',
            ),
            zone('./server', ['./electron', './cli', './renderer'], 'server/ imports only shared/.'),
            {
              ...zone('./server', './workers', 'server/ imports only shared/ (and the data-directory lock).'),
              // One lock for every PGlite owner: the server's embedded database takes the device's.
              except: ['./db/lock.ts', './db/layout.ts'],
            },
          ],
        },
      ],
    },
  },
  {
    // The device's code: nothing here reaches the network but the egress module (overridden below).
    files: [
      'workers/**/*.{ts,mjs}',
      'cli/**/*.ts',
      'electron/**/*.ts',
      'shared/**/*.ts',
      'renderer/**/*.{ts,tsx}',
    ],
    rules: {
      'no-restricted-globals': ['error', ...networkGlobals],
      'no-restricted-properties': ['error', ...networkProperties],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        (() => {
          const platform = noPlatform('shared/ must run in Node, workers, Electron and the browser alike.');
          return { ...platform, paths: [...platform.paths, ...networkPaths] };
        })(),
      ],
    },
  },
  {
    files: ['workers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The core never imports electron: it must run under the CLI and tests.',
            },
            ...networkPaths,
          ],
        },
      ],
    },
  },
  {
    // The egress module itself: the one place allowed to reach the network.
    files: ['workers/egress/**/*.ts'],
    rules: {
      'no-restricted-globals': 'off',
      'no-restricted-properties': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The core never imports electron: it must run under the CLI and tests.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['cli/**/*.ts', 'electron/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: networkPaths }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...noPlatform('renderer/ runs sandboxed in the browser.').paths, ...networkPaths],
          patterns: [
            {
              group: ['**/shared/**'],
              allowTypeImports: true,
              message: 'renderer/ imports only types from shared/; values come through window.lumin.',
            },
            { group: ['node:*'], message: 'renderer/ runs sandboxed in the browser.' },
          ],
        },
      ],
    },
  },
);
