/** Import caps through the API: the file-size setting and a parser cap, each named with file, row and limit. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDirs, failure, open, tempDir, value } from '../support/core';

afterAll(cleanupDirs);

describe('import caps', () => {
  it('refuses a file over imports.maxFileBytes and a field over the field cap, writing nothing', async () => {
    const core = await open();
    try {
      const folder = tempDir();
      const small = join(folder, 'books.csv');
      writeFileSync(small, `title,isbn\n${'A Book,\n'.repeat(400)}`);
      value(await core.api.settings.set({ key: 'imports.maxFileBytes', value: 2048 }));
      const tooBig = failure(await core.api.imports.preview({ path: small }));
      expect(tooBig.code).toBe('invalid_argument');
      expect(tooBig.message).toBe(
        `${small} is 3,211 bytes, over the import limit of 2,048 bytes (setting imports.maxFileBytes); nothing imported`,
      );
      value(await core.api.settings.set({ key: 'imports.maxFileBytes', value: 500 * 1024 * 1024 }));
      expect(value(await core.api.imports.preview({ path: small })).rows).toBe(400);

      const hostile = join(folder, 'hostile.csv');
      writeFileSync(hostile, `title,isbn\nFine,\n"${'x'.repeat(4_000_001)}",\n`);
      const error = failure(await core.api.imports.preview({ path: hostile }));
      expect(error.message).toBe(
        `${hostile}: row 3: field 1 is longer than the limit of 4,000,000 characters; nothing imported`,
      );
      expect(error.details).toMatchObject({ path: hostile, row: 3, limit: 'fieldCharacters' });
      expect(value(await core.api.books.list()).total).toBe(0);
    } finally {
      await core.close();
    }
  });
});
