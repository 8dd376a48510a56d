/**
 * An import from the user's side: a file (picked in the open dialog, chosen through File › Import…,
 * or dropped) reaches the store as a handle from the desktop host, never as a path or as its bytes;
 * the core reads the file from disk. It is previewed, adjusted (who the history belongs to, the class
 * of a roster, the column mapping of a generic file, merges to reject), committed with progress, and
 * summarised.
 */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { Input, LuminBridge } from '../../../shared/contract/api';
import type { ChosenFile, LuminDesktop } from '../../../shared/contract/desktop';
import type { LuminErrorShape, Result } from '../../../shared/contract/errors';
import type { ImportPreview, ImportResult } from '../../../shared/contract/imports';
import { settle, thrownToError } from './query';

/** The steps of an import. */
export type ImportStep = 'idle' | 'reading' | 'previewing' | 'preview' | 'committing' | 'done';

/** A dropped file as the import needs it (a DOM `File` fits): its header is read here, for the mapping. */
export interface ImportFile {
  name: string;
  size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** Where import files come from: the desktop host's open dialog and drops (`window.luminDesktop`). */
export type ImportFiles = Pick<LuminDesktop, 'chooseImportFile' | 'importDroppedFile'>;

/** The bytes of a file's start read for its header line. */
const HEADER_BYTES = 64 * 1024;

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
  /** The file's handle from the desktop host (the core resolves it to the file on disk). */
  file: ChosenFile | null;
  /** The generic file's header columns, read from its first line (for the mapping). */
  columns: string[];
  options: PreviewOptions;
  preview: ImportPreview | null;
  /** Rows whose title-and-author merge the user rejected. */
  rejected: number[];
  progress: { done: number; total: number } | null;
  result: ImportResult | null;
  error: LuminErrorShape | null;
  /** Starts an import of a file the user chose (replaces any import in progress). */
  start(file: ChosenFile, columns?: string[]): Promise<void>;
  /** Asks for a file with the open dialog and starts its import; nothing when cancelled. */
  choose(): Promise<void>;
  /** Starts an import of a file dropped on the window (its bytes stay on disk). */
  drop(file: ImportFile): Promise<void>;
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

const failure = (code: LuminErrorShape['code'], message: string): LuminErrorShape => ({
  name: 'LuminError',
  code,
  message,
});

/** Said when there is no desktop host to choose files with (the page opened in a plain browser). */
const NO_DESKTOP = failure('forbidden', 'Importing needs the Lumin desktop app: it opens the file for you.');

/** Creates the import store; `files` is the desktop host's file access (null in a plain browser). */
export function createImportStore(lumin: LuminBridge, files: ImportFiles | null): StoreApi<ImportState> {
  let attempt = 0;
  return createStore<ImportState>()((set, get) => {
    const fresh = {
      columns: [],
      options: EMPTY_OPTIONS,
      preview: null,
      rejected: [],
      progress: null,
      result: null,
      error: null,
    } satisfies Partial<ImportState>;

    const preview = async () => {
      const mine = attempt;
      const { file, options, preview: previous } = get();
      if (!file) return;
      set({ step: 'previewing', error: null, progress: null });
      // A new preview replaces the old one: let the core forget it.
      if (previous) void lumin.imports.cancel({ previewId: previous.previewId });
      const mapping = Object.fromEntries(Object.entries(options.mapping).filter(([, column]) => column));
      const result = await settle('imports.preview', () =>
        lumin.imports.preview({
          file: file.handle,
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
      ...fresh,
      step: 'idle',
      fileName: null,
      file: null,

      async start(file, columns = []) {
        ++attempt;
        set({ ...fresh, step: 'previewing', fileName: file.name, file, columns });
        await preview();
      },

      async choose() {
        if (!files) return set({ ...fresh, step: 'idle', error: NO_DESKTOP });
        let chosen: ChosenFile | null;
        try {
          chosen = await files.chooseImportFile();
        } catch (error) {
          return set({ step: 'idle', error: thrownToError('choosing a file', error) });
        }
        if (chosen) await get().start(chosen);
      },

      async drop(dropped) {
        const mine = ++attempt;
        set({ ...fresh, step: 'reading', fileName: dropped.name, file: null });
        if (dropped.size === 0)
          return set({ step: 'idle', error: failure('invalid_argument', `${dropped.name} is empty.`) });
        if (!files) return set({ step: 'idle', error: NO_DESKTOP });
        let chosen: Result<ChosenFile>;
        let columns: string[];
        try {
          // The host gets the file's path, never its bytes; the header is read here, for the mapping.
          [chosen, columns] = await Promise.all([
            files.importDroppedFile(dropped),
            dropped
              .slice(0, HEADER_BYTES)
              .arrayBuffer()
              .then((head) => headerColumns(new Uint8Array(head))),
          ]);
        } catch (error) {
          return set({ step: 'idle', error: thrownToError('reading the file', error) });
        }
        if (mine !== attempt) return;
        if (!chosen.ok) return set({ step: 'idle', error: chosen.error });
        await get().start(chosen.value, columns);
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
        const result = await settle('imports.commit', () =>
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
        set({ ...fresh, step: 'idle', fileName: null, file: null });
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
