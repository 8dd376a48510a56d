/** The ESLint import zones really enforce the architecture's direction. */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function messages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('import zones', () => {
  it('keeps shared/ pure', async () => {
    const found = await messages(
      'shared/domain/zone-probe.ts',
      "import { readFileSync } from 'node:fs';\nimport { openCore } from '../../workers/host/core';\nexport const probe = [readFileSync, openCore];\n",
    );
    expect(
      found.some((text) => text.includes('shared/ must run in Node, workers, Electron and the browser')),
    ).toBe(true);
    expect(found.some((text) => text.includes('shared/ is pure'))).toBe(true);
  });

  it('lets the renderer import only types from shared/, and nothing from the core', async () => {
    const found = await messages(
      'renderer/src/zone-probe.ts',
      "import type { Book } from '../../shared/contract/domain';\nimport { ok } from '../../shared/contract/errors';\nimport { openCore } from '../../workers/host/core';\nexport const probe: [Book | null, unknown, unknown] = [null, ok, openCore];\n",
    );
    expect(found).toHaveLength(2);
    expect(found.some((text) => text.includes('imports only types from shared/'))).toBe(true);
    expect(found.some((text) => text.includes('reaches the core only through window.lumin'))).toBe(true);
  });

  it('keeps electron out of the core and the core’s database out of the hosts', async () => {
    const worker = await messages(
      'workers/host/zone-probe.ts',
      "import { app } from 'electron';\nexport const probe = app;\n",
    );
    expect(worker.some((text) => text.includes('never imports electron'))).toBe(true);
    const cli = await messages(
      'cli/zone-probe.ts',
      "import { openCluster } from '../workers/db/open';\nexport const probe = openCluster;\n",
    );
    expect(cli.some((text) => text.includes('cli/ imports only the core host'))).toBe(true);
    const server = await messages(
      'server/zone-probe.ts',
      "import { openCore } from '../workers/host/core';\nexport const probe = openCore;\n",
    );
    expect(server.some((text) => text.includes('server/ imports only shared/'))).toBe(true);
  });
});

/** A probe that imports `names` from `from` (`type` for a type-only import) and exports them. */
function probe(from: string, name: string, kind: 'value' | 'type' = 'value'): string {
  return kind === 'type'
    ? `import type { ${name} } from '${from}';\nexport type Probe = ${name};\n`
    : `import { ${name} } from '${from}';\nexport const probe = ${name};\n`;
}

/** The import-zone messages ESLint gives `file` holding `code`. */
async function zoneMessages(file: string, code: string): Promise<string[]> {
  return (await messages(file, code)).filter(
    (text) =>
      text.startsWith('import-x/no-restricted-paths') ||
      text.startsWith('@typescript-eslint/no-restricted-imports'),
  );
}

describe('core zones', () => {
  // [file, code, a piece of the expected message, or null when the import is allowed]
  const cases: [string, string, string | null][] = [
    ['workers/threads/probe.ts', probe('../host/core', 'openCore'), 'workers/threads/ starts threads'],
    [
      'workers/egress/probe.ts',
      probe('../embed/service', 'EmbedService', 'type'),
      'workers/egress/ imports only shared/',
    ],
    ['workers/db/probe.ts', probe('../host/core', 'Core', 'type'), 'workers/db/ runs in its own thread'],
    [
      'workers/db/probe.ts',
      probe('../sync/client', 'SyncClient', 'type'),
      'workers/db/ runs in its own thread',
    ],
    ['workers/embed/probe.ts', probe('../db/open', 'openCluster'), 'workers/embed/ runs in its own thread'],
    ['workers/embed/probe.ts', probe('../egress/fetch', 'egressFetch'), null],
    ['workers/ml/probe.ts', probe('../db/open', 'openCluster'), 'workers/ml/ imports only shared/'],
    ['workers/ml/probe.ts', probe('../threads/start', 'startWorker'), null],
    ['workers/offline/probe.ts', probe('../host/core', 'openCore'), 'workers/offline/ works on files'],
    [
      'workers/offline/probe.ts',
      probe('../db/open', 'openCluster'),
      'workers/offline/ never opens the database',
    ],
    ['workers/offline/probe.ts', probe('../db/layout', 'bundledModelsDir'), null],
    ['workers/sync/probe.ts', probe('../host/core', 'openCore'), 'workers/sync/ imports only shared/'],
    ['workers/sync/probe.ts', probe('../db/open', 'openCluster'), 'import only types from workers/db'],
    ['workers/sync/probe.ts', probe('../db/service', 'DbService', 'type'), null],
    [
      'workers/host/probe.ts',
      probe('../offline/index', 'offlineRecs'),
      'workers/host/ never imports workers/offline',
    ],
    ['workers/host/probe.ts', probe('../db/open', 'openCluster'), 'import only types from workers/db'],
    [
      'workers/host/probe.ts',
      probe('../embed/service', 'createEmbedService'),
      'import only types from workers/db and workers/embed',
    ],
    ['workers/host/probe.ts', probe('../db/service', 'DbService', 'type'), null],
    ['workers/host/probe.ts', probe('../db/lock', 'acquireLock'), null],
    [
      'cli/probe.ts',
      probe('../workers/offline/offline', 'offlineRecs'),
      'only through workers/offline/index.ts',
    ],
    ['cli/probe.ts', probe('../workers/offline', 'offlineRecs'), null],
    ['cli/probe.ts', probe('../workers/ml/als-pool', 'fitAls'), 'cli/ imports only the core host'],
    ['cli/probe.ts', probe('../workers/host/core', 'openCore'), null],
    [
      'electron/main/probe.ts',
      probe('../../workers/sync/client', 'SyncClient', 'type'),
      'electron/ imports only the core host',
    ],
    [
      'electron/main/probe.ts',
      probe('../../workers/egress/fetch', 'egressFetch'),
      'electron/ imports only the core host',
    ],
    ['electron/main/probe.ts', probe('../../workers/egress/secrets', 'SecretStore', 'type'), null],
    ['server/probe.ts', probe('../workers/threads/start', 'startWorker'), null],
    ['server/probe.ts', probe('../workers/ml/als-pool', 'fitAls'), 'server/ imports only shared/'],
  ];
  it.each(cases)('%s: %s', async (file, code, expected) => {
    const found = await zoneMessages(file, code);
    if (expected === null) expect(found).toEqual([]);
    else
      expect(
        found.some((text) => text.includes(expected)),
        found.join('\n'),
      ).toBe(true);
  });
});

describe('egress zone', () => {
  it('lets nothing but the egress module reach the network', async () => {
    const probe = [
      "import { request } from 'node:https';",
      "import http from 'http';",
      "import { Agent } from 'undici';",
      "import OpenAI from 'openai';",
      "export const probe = [request, http, Agent, OpenAI, fetch('https://example.com'), new WebSocket('wss://x')];",
      '',
    ].join('\n');
    for (const file of [
      'workers/host/egress-probe.ts',
      'workers/embed/egress-probe.ts',
      'workers/sync/egress-probe.ts',
      'cli/egress-probe.ts',
      'electron/main/egress-probe.ts',
      'shared/domain/egress-probe.ts',
    ]) {
      const found = (await messages(file, probe)).filter((text) => text.includes('egress module'));
      // Four imports and two globals, each refused.
      expect(found, file).toHaveLength(6);
    }
    const renderer = await messages(
      'renderer/src/egress-probe.ts',
      "export const probe = fetch('https://example.com');\n",
    );
    expect(renderer.some((text) => text.includes('egress module'))).toBe(true);
    const sneaky = await messages(
      'workers/host/egress-probe.ts',
      "export const probe = globalThis.fetch('https://example.com');\n",
    );
    expect(sneaky.some((text) => text.includes('egress module'))).toBe(true);
  });

  it('allows the egress module itself, and the SDK’s error classes anywhere in the core', async () => {
    const inside = await messages(
      'workers/egress/probe.ts',
      "import OpenAI from 'openai';\nexport const probe = [OpenAI, fetch];\n",
    );
    expect(inside.filter((text) => text.includes('egress module'))).toEqual([]);
    const errors = await messages(
      'workers/embed/probe.ts',
      "import { APIError } from 'openai';\nexport const probe = APIError;\n",
    );
    expect(errors.filter((text) => text.includes('egress module'))).toEqual([]);
  });
});
