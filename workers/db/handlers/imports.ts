/**
 * imports.*: thin entries that load the import pipeline (parsers, MARC and XML readers, matching) on
 * first use, so opening a library does not pay for code most sessions never run.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LuminFailure } from '../../../shared/contract/errors';
import type * as ActionsModule from '../import/actions';
import type { HandlerSlice } from '../context';
import { diskFullFailure, isDiskFull } from '../disk';

/** Characters kept from an uploaded file's name (the rest become `_`), so the stored name is safe anywhere. */
const UNSAFE_NAME = /[^A-Za-z0-9._-]+/g;

let loading: Promise<typeof ActionsModule> | null = null;
const actions = () => (loading ??= import('../import/actions'));

export const importHandlers = {
  async 'imports.preview'(input, context) {
    return (await actions()).importActions['imports.preview'](input, context);
  },
  async 'imports.commit'(input, context) {
    return (await actions()).importActions['imports.commit'](input, context);
  },
  async 'imports.cancel'(input) {
    // Nothing to cancel before the pipeline has ever loaded: no preview can exist yet.
    if (!loading) return { previewId: input.previewId, cancelled: false };
    return (await actions()).importActions['imports.cancel'](input);
  },
  async 'imports.export'(input, context) {
    return (await actions()).importActions['imports.export'](input, context);
  },
  async 'imports.upload'(input, context) {
    const bytes = Buffer.from(input.base64, 'base64');
    if (bytes.length === 0)
      throw new LuminFailure('invalid_argument', `imports.upload: ${input.name} is empty`, {
        field: 'base64',
      });
    const folder = join(context.dataDir, 'imports');
    // A fresh name per upload: a preview checks the file did not change before its commit.
    const safeName = input.name.replace(UNSAFE_NAME, '_').slice(-120) || 'upload';
    const path = join(folder, `${randomUUID()}-${safeName}`);
    try {
      await mkdir(folder, { recursive: true });
      await writeFile(path, bytes, { mode: 0o600 });
    } catch (error) {
      await rm(path, { force: true }); // a full disk leaves no half-written upload behind
      if (isDiskFull(error)) throw diskFullFailure('imports.upload', path, error);
      throw new LuminFailure(
        'io',
        `imports.upload: cannot store ${input.name}: ${(error as Error).message}`,
        {
          field: 'name',
        },
      );
    }
    return { path, bytes: bytes.length };
  },
} satisfies HandlerSlice<'imports'>;
