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
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        noPlatform('shared/ must run in Node, workers, Electron and the browser alike.'),
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
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: noPlatform('renderer/ runs sandboxed in the browser.').paths,
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
