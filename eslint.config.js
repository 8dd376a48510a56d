// ESLint flat config. The import zones enforce the architecture's direction (DEVELOPERS.md, "Zones"):
//   shared/          imports nothing outside shared/, and no node:, electron or DOM-only modules
//   workers/         imports shared/ (never electron/, renderer/, cli/, server/, nor electron itself); inside:
//     threads/       the worker start-up helper: nothing else of the core
//     egress/        the one way out to the network (and the secrets it sends): nothing else of the core
//     db/            runs in its own thread: nothing else of the core
//     embed/         runs in its own thread: egress/ only
//     ml/            threads/ only
//     offline/       works on files: ml/, embed/'s providers, threads/ and db/layout.ts only
//     sync/          egress/, and types only from db/ (it reaches the database through the db worker)
//     host/          everything but offline/; types only from db/ and embed/ (their threads run that
//                    code), except db/lock.ts and db/layout.ts
//   electron/, cli/  import workers/host and shared/ (electron also egress/secrets.ts, the store it
//                    implements; cli also workers/offline/index.ts, the file tools it runs itself)
//   renderer/        imports only types from shared/ (everything else comes through window.lumin)
//   server/          imports shared/ (and the data-directory lock, the package layout, the thread start-up)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const zone = (target, from, message) => ({ target, from, message });
// The parts of the core; `coreZone(part, allowed, message)` refuses in workers/<part> every other part but `allowed`.
const coreParts = ['db', 'egress', 'embed', 'host', 'ml', 'offline', 'sync', 'threads'];
const coreZone = (part, allowed, message) =>
  zone(
    `./workers/${part}`,
    coreParts
      .filter((other) => other !== part && !allowed.includes(other))
      .map((other) => `./workers/${other}`),
    message,
  );
// Refuses `part` of the core in `target`, except its file `file`.
const onlyFile = (target, part, file, message) => ({
  ...zone(target, `./workers/${part}`, message),
  except: [file],
});
// A host (electron/, cli/) imports no other host, the renderer, the server, nor the core but workers/host.
const hostZone = (host, allowed) =>
  zone(
    `./${host}`,
    [
      ...['./renderer', './electron', './cli', './server'].filter((other) => other !== `./${host}`),
      ...coreParts
        .filter((part) => part !== 'host' && !allowed.includes(part))
        .map((part) => `./workers/${part}`),
    ],
    `${host}/ imports only the core host (workers/host) and shared/.`,
  );
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
const noElectron = {
  name: 'electron',
  message: 'The core never imports electron: it must run under the CLI and tests.',
};
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
            hostZone('electron', ['egress']),
            // The safeStorage secret store implements the core's SecretStore.
            onlyFile(
              './electron',
              'egress',
              './secrets.ts',
              'electron/ imports only the core host (workers/host) and shared/.',
            ),
            hostZone('cli', ['offline']),
            onlyFile(
              './cli',
              'offline',
              './index.ts',
              'cli/ reaches the offline tools only through workers/offline/index.ts.',
            ),
            coreZone('threads', [], 'workers/threads/ starts threads; it imports nothing else of the core.'),
            coreZone(
              'egress',
              [],
              'workers/egress/ imports only shared/: every other part of the core sends through it.',
            ),
            coreZone(
              'db',
              [],
              'workers/db/ runs in its own thread on shared/ alone: no other part of the core.',
            ),
            coreZone(
              'embed',
              ['egress'],
              'workers/embed/ runs in its own thread: it imports only shared/ and workers/egress.',
            ),
            coreZone('ml', ['threads'], 'workers/ml/ imports only shared/ and workers/threads.'),
            coreZone(
              'offline',
              ['ml', 'embed', 'threads', 'db'],
              'workers/offline/ works on files: it imports shared/, workers/ml, workers/embed and workers/threads.',
            ),
            onlyFile(
              './workers/offline',
              'db',
              './layout.ts',
              'workers/offline/ never opens the database (only db/layout.ts).',
            ),
            coreZone(
              'sync',
              ['egress', 'db'],
              'workers/sync/ imports only shared/, workers/egress and types from workers/db.',
            ),
            coreZone(
              'host',
              ['db', 'egress', 'embed', 'ml', 'sync', 'threads'],
              'workers/host/ never imports workers/offline (the CLI runs the offline tools itself).',
            ),
            zone(
              './renderer',
              ['./workers', './electron', './cli', './server', './bench'],
              'renderer/ reaches the core only through window.lumin.',
            ),
            zone('./server', ['./electron', './cli', './renderer'], 'server/ imports only shared/.'),
            {
              ...zone(
                './server',
                './workers',
                'server/ imports only shared/ (and the data-directory lock, the package layout, the thread start-up).',
              ),
              // One lock for every PGlite owner: the server's embedded database takes the device's. The
              // nightly job's thread starts like the core's.
              except: ['./db/lock.ts', './db/layout.ts', './threads/start.ts'],
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
          paths: [noElectron, ...networkPaths],
        },
      ],
    },
  },
  {
    // The db and embed workers' code runs in their threads; the host and sync import only its types.
    files: ['workers/host/**/*.ts', 'workers/sync/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...networkPaths],
          patterns: [
            {
              regex: String.raw`^\.\./(embed/|db/(?!(lock|layout)(\.ts)?$))`,
              allowTypeImports: true,
              message:
                'workers/host/ and workers/sync/ import only types from workers/db and workers/embed: their code runs in its own thread (db/lock.ts and db/layout.ts excepted).',
            },
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
          paths: [noElectron],
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
