/**
 * An import from the user's side: a file (dropped or picked) is stored in the core with
 * `imports.upload`, previewed, adjusted (who the history belongs to, the class of a roster, the
 * column mapping of a generic file, merges to reject), committed with progress, and summarised.
 */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { Input, LuminBridge } from '../../../shared/contract/api';
import type { LuminErrorShape, Result } from '../../../shared/contract/errors';
import type { ImportPreview, ImportResult } from '../../../shared/contract/imports';
import { thrownToError } from './query';

/** The steps of an import. */
export type ImportStep = 'idle' | 'reading' | 'previewing' | 'preview' | 'committing' | 'done';

/** A file as the import needs it (a DOM `File` fits). */
export interface ImportFile {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Lumin fields a generic file's columns can feed. */
export type MappingField =
  NonNullable<Input<'imports.preview'>['mapping']> extends Partial<Record<infer K, string>> ? K : never;

/** Options of the preview the user can change. */
export interface PreviewOptions {
  /** Whose reading history the file is (Goodreads, StoryGraph…); empty for books only. */
  readerName: string;
  /** The class a roster's students join. */
  className: string;
  /** Column mapping for generic CSV/JSON (field → column). */
  mapping: Partial<Record<MappingField, string>>;
}

/** The import's state. */
export interface ImportState {
  step: ImportStep;
  fileName: string | null;
  /** The stored copy of the file in the data folder. */
  path: string | null;
  /** The generic file's header columns, read from its first line (for the mapping). */
  columns: string[];
  options: PreviewOptions;
  preview: ImportPreview | null;
  /** Rows whose title-and-author merge the user rejected. */
  rejected: number[];
  progress: { done: number; total: number } | null;
  result: ImportResult | null;
  error: LuminErrorShape | null;
  /** Starts an import of `file` (replaces any import in progress). */
  start(file: ImportFile): Promise<void>;
  /** Changes preview options and previews again. */
  setOptions(patch: Partial<PreviewOptions>): Promise<void>;
  /** Accepts or rejects one proposed merge. */
  toggleMerge(row: number): void;
  commit(): Promise<void>;
  /** Forgets the import and returns to the start. */
  reset(): Promise<void>;
  /** Follows the core's `import.progress` events; returns the unsubscribe function. */
  listen(): () => void;
}

/** Base64 of some bytes, in chunks (a spread of a large array would overflow the stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

/** The columns of a delimited file's header line (quotes removed); empty when there is none. */
export function headerColumns(bytes: Uint8Array): string[] {
  const head = new TextDecoder().decode(bytes.subarray(0, 64 * 1024)).replace(/^\uFEFF/, '');
  const line = head.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = line.includes('\t') ? '\t' : line.split(';').length > line.split(',').length ? ';' : ',';
  return line
    .split(delimiter)
    .map((column) => column.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean);
}

const EMPTY_OPTIONS: PreviewOptions = { readerName: '', className: '', mapping: {} };

async function call<T>(method: string, run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    return { ok: false, error: thrownToError(method, error) };
  }
}

/** Creates the import store. */
export function createImportStore(lumin: LuminBridge): StoreApi<ImportState> {
  let attempt = 0;
  return createStore<ImportState>()((set, get) => {
    const preview = async () => {
      const mine = attempt;
      const { path, options, preview: previous } = get();
      if (!path) return;
      set({ step: 'previewing', error: null, progress: null });
      // A new preview replaces the old one: let the core forget it.
      if (previous) void lumin.imports.cancel({ previewId: previous.previewId });
      const mapping = Object.fromEntries(Object.entries(options.mapping).filter(([, column]) => column));
      const result = await call('imports.preview', () =>
        lumin.imports.preview({
          path,
          ...(options.readerName.trim() ? { readerName: options.readerName.trim() } : {}),
          ...(options.className.trim() ? { className: options.className.trim() } : {}),
          ...(Object.keys(mapping).length ? { mapping } : {}),
        }),
      );
      if (mine !== attempt) return;
      if (result.ok) set({ step: 'preview', preview: result.value, rejected: [] });
      else set({ step: 'idle', preview: null, error: result.error });
    };

    return {
      step: 'idle',
      fileName: null,
      path: null,
      columns: [],
      options: EMPTY_OPTIONS,
      preview: null,
      rejected: [],
      progress: null,
      result: null,
      error: null,

      async start(file) {
        const mine = ++attempt;
        set({
          step: 'reading',
          fileName: file.name,
          path: null,
          columns: [],
          options: EMPTY_OPTIONS,
          preview: null,
          rejected: [],
          progress: null,
          result: null,
          error: null,
        });
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(await file.arrayBuffer());
        } catch (error) {
          set({ step: 'idle', error: thrownToError('reading the file', error) });
          return;
        }
        if (bytes.length === 0) {
          set({
            step: 'idle',
            error: { name: 'LuminError', code: 'invalid_argument', message: `${file.name} is empty.` },
          });
          return;
        }
        const uploaded = await call('imports.upload', () =>
          lumin.imports.upload({ name: file.name, base64: toBase64(bytes) }),
        );
        if (mine !== attempt) return;
        if (!uploaded.ok) {
          set({ step: 'idle', error: uploaded.error });
          return;
        }
        set({ path: uploaded.value.path, columns: headerColumns(bytes) });
        await preview();
      },

      async setOptions(patch) {
        set({ options: { ...get().options, ...patch } });
        await preview();
      },

      toggleMerge(row) {
        const rejected = get().rejected;
        set({
          rejected: rejected.includes(row) ? rejected.filter((entry) => entry !== row) : [...rejected, row],
        });
      },

      async commit() {
        const current = get().preview;
        if (!current) return;
        const mine = attempt;
        set({ step: 'committing', progress: { done: 0, total: current.rows }, error: null });
        const rejected = get().rejected;
        const result = await call('imports.commit', () =>
          lumin.imports.commit({
            previewId: current.previewId,
            ...(rejected.length ? { rejectMerges: rejected } : {}),
          }),
        );
        if (mine !== attempt) return;
        if (result.ok) {
          set({ step: 'done', result: result.value, progress: { done: current.rows, total: current.rows } });
          // New books need vectors for similar books and personal suggestions: queue the background
          // pass now (one unfinished pass at a time, so repeating this is harmless).
          if (result.value.imported + result.value.updated > 0)
            void lumin.embeddings.run().catch(() => undefined);
        } else set({ step: 'preview', error: result.error, progress: null });
      },

      async reset() {
        attempt++;
        const current = get().preview;
        if (current && get().step !== 'done') await lumin.imports.cancel({ previewId: current.previewId });
        set({
          step: 'idle',
          fileName: null,
          path: null,
          columns: [],
          options: EMPTY_OPTIONS,
          preview: null,
          rejected: [],
          progress: null,
          result: null,
          error: null,
        });
      },

      listen() {
        return lumin.on('import.progress', (event) => {
          const state = get();
          if (state.step !== 'committing' || event.phase !== 'commit') return;
          if (state.preview?.previewId !== event.previewId) return;
          set({ progress: { done: event.done, total: event.total } });
        });
      },
    };
  });
}
