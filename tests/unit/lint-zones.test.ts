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
