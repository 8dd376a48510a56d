/**
 * The re-import property, through the real core: importing a file a second time creates nothing (no
 * book, no student, no interaction), for every import fixture and for fuzz-generated files (each
 * fixture mutated as the parser fuzz tests mutate it, MARC also byte by byte). The commit creates what
 * its preview said every time. One library takes every file, so later files also meet what earlier
 * ones left behind.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../shared/contract/imports';
import type { Core } from '../../workers/host/core';
import { utf8 } from '../support/bytes';
import { cleanupDirs, open, tempDir, value } from '../support/core';
import { MARC_BINARY, MARC_XML, TEXT_FIXTURES } from '../support/import-fixtures';
import { mutated } from '../support/import-fuzz';
import { XML_TOKENS, mutate, mutation } from '../support/marc-mutations';

let core: Core;
let directory: string;
let files = 0;

beforeAll(async () => {
  core = await open();
  directory = tempDir('lumin-reimport-');
});
afterAll(async () => {
  await core.close();
  cleanupDirs();
});

/** Previews and commits `bytes`; null when the file is not importable at all (the preview says why). */
async function importBytes(bytes: string | Uint8Array, path: string): Promise<ImportResult | null> {
  writeFileSync(path, bytes);
  const preview = await core.api.imports.preview({ path, readerName: 'Fuzz Reader' });
  if (!preview.ok) {
    expect(preview.error.message.length).toBeGreaterThan(0);
    return null;
  }
  const result = value(await core.api.imports.commit({ previewId: preview.value.previewId }));
  // Students count as created in the preview; a roster naming a student twice adds them once.
  if (preview.value.format !== 'roster') expect(result.imported).toBe(preview.value.toCreate);
  return result;
}

/** Imports `bytes` twice and checks the second time created nothing. */
async function importsOnce(bytes: string | Uint8Array): Promise<void> {
  files += 1;
  const path = join(directory, `file-${files}.dat`);
  const first = await importBytes(bytes, path);
  const again = await importBytes(bytes, path);
  expect(again === null).toBe(first === null);
  if (!first || !again) return;
  expect({ imported: again.imported, interactions: again.interactions }).toEqual({
    imported: 0,
    interactions: 0,
  });
  expect(again.books).toBe(first.books);
}

describe('a re-import creates nothing', () => {
  it.each([...Object.entries(TEXT_FIXTURES), ['marcBinary', MARC_BINARY] as const])(
    'fixture %s',
    async (_name, fixture) => {
      await importsOnce(fixture);
    },
  );

  it('fuzz-generated files of every format', async () => {
    const texts = Object.values(TEXT_FIXTURES);
    const file = fc.oneof(
      fc
        .constantFrom(...texts)
        .chain((fixture) => mutated(fixture).map(({ text }) => text as string | Uint8Array)),
      fc
        .array(mutation([]), { minLength: 1, maxLength: 4 })
        .map((mutations) => mutate(MARC_BINARY, mutations) as string | Uint8Array),
      fc
        .array(mutation(XML_TOKENS.map(utf8)), { minLength: 1, maxLength: 4 })
        .map((mutations) => mutate(utf8(MARC_XML), mutations) as string | Uint8Array),
    );
    await fc.assert(
      fc.asyncProperty(file, async (bytes) => {
        await importsOnce(bytes);
      }),
      { numRuns: 60, seed: 17 },
    );
  }, 600_000);
});
