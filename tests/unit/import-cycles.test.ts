/** scripts/import-cycles.ts finds import cycles, and the repository has none. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findImportCycles } from '../../scripts/import-cycles';

const root = join(import.meta.dirname, '..', '..');
const fixture = mkdtempSync(join(tmpdir(), 'lumin-cycles-'));
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(fixture, path, '..'), { recursive: true });
  writeFileSync(join(fixture, path), text);
}

describe('import cycles', () => {
  it('finds none in the repository', () => {
    expect(findImportCycles(root)).toEqual([]);
  });

  it('finds a runtime cycle, a lazy one and a type-only one, and leaves a chain alone', () => {
    // a → b → c → a through value imports.
    write('shared/a.ts', "import { b } from './b';\nexport const a = () => b;\n");
    write('shared/b.ts', "import { c } from './nested/c';\nexport const b = () => c;\n");
    write('shared/nested/c.ts', "export { a as c } from '../a';\n");
    // d ⇄ e through a dynamic import: lazy, still a cycle.
    write('workers/d.ts', "import { e } from './e';\nexport const d = e;\n");
    write('workers/e.ts', "export const e = () => import('./d');\n");
    // f ⇄ g where one side imports only a type.
    write('cli/f.ts', "import { type G } from './g';\nexport interface F { g?: G }\nexport const f = 1;\n");
    write('cli/g.ts', "import { f } from './f';\nexport type G = typeof f;\n");
    // h → i: no cycle.
    write('server/h.ts', "import { i } from './i';\nexport const h = i;\n");
    write('server/i.ts', 'export const i = 1;\n');
    const cycles = findImportCycles(fixture);
    expect(cycles).toEqual([
      {
        kind: 'runtime',
        files: ['shared/a.ts', 'shared/b.ts', 'shared/nested/c.ts'],
        loop: ['shared/a.ts', 'shared/b.ts', 'shared/nested/c.ts', 'shared/a.ts'],
      },
      {
        kind: 'runtime',
        files: ['workers/d.ts', 'workers/e.ts'],
        loop: ['workers/d.ts', 'workers/e.ts', 'workers/d.ts'],
      },
      { kind: 'type', files: ['cli/f.ts', 'cli/g.ts'], loop: ['cli/f.ts', 'cli/g.ts', 'cli/f.ts'] },
    ]);
  });
});
