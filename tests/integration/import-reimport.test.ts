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
import { type XmlRecord, marcXml } from '../support/import-files';
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

  it('generated MARC catalogues: records with and without ISBN, author and control number', async () => {
    const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
    const record: fc.Arbitrary<XmlRecord> = fc
      .record({
        title: fc.oneof(
          fc.constantFrom(
            '(Untitled)',
            '[Sound recording]',
            '📚',
            'Poems /',
            'The',
            'Holes',
            'Holes : a novel',
          ),
          fc.string({ minLength: 1, maxLength: 12 }),
        ),
        author: optional(fc.constantFrom('Sachar, Louis', 'Rowling, J. K.')),
        isbns: fc.subarray(['9780440414803', '9780374332655', '0590353403', '9780747532699']),
        control: optional(fc.constantFrom('b1', 'b2', 'b3')),
        agency: optional(fc.constantFrom('XyLib', 'OCoLC')),
        system: optional(fc.constantFrom('(Sirsi) a1', '(Sirsi) a2')),
      })
      .map(({ title, author, isbns, control, agency, system }) => ({
        control: [
          ...(control ? [['001', control] as [string, string]] : []),
          ...(agency ? [['003', agency] as [string, string]] : []),
        ],
        data: [
          ...isbns.map((isbn): [string, [string, string][]] => ['020', [['a', isbn]]]),
          ...(system ? [['035', [['a', system]]] as [string, [string, string][]]] : []),
          ...(author ? [['100', [['a', author]]] as [string, [string, string][]]] : []),
          ['245', [['a', title]]],
        ],
      }));
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 6 }), async (records) => {
        await importsOnce(marcXml(records));
      }),
      { numRuns: 150, seed: 1 },
    );
  }, 600_000);

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
      { numRuns: 400, seed: 17 },
    );
  }, 600_000);
});
