/**
 * The settings view's state. Every value lives in the core (`settings.list`), so it survives a reload
 * and the CLI sees it too; the API key is written with `models.setApiKey` and never read back. Model
 * downloads report `model.download` progress, kept here per model until the download is done.
 */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { LuminBridge } from '../../../shared/contract/api';
import type { Reader } from '../../../shared/contract/domain';
import type { EmbeddingModelInfo, ModelDownloadProgress } from '../../../shared/contract/embeddings';
import type { LuminErrorShape } from '../../../shared/contract/errors';
import type { ReaderExport } from '../../../shared/contract/reader-export';
import type { SettingKey, SettingValues } from '../../../shared/contract/settings';
import { settle } from './query';

/** The readers the export and delete pickers list. */
const READER_LIMIT = 1000;

/** One reader's data as the export writes it (the core's versioned document, README "Exporting a student's data"). */
export type { ReaderExport };

/** The settings view's state. */
export interface SettingsState {
  /** Every setting's value, once loaded. */
  values: SettingValues | null;
  /** The embedding models this device knows. */
  models: EmbeddingModelInfo[];
  /** Readers, for the export and delete pickers. */
  readers: Reader[];
  /** The data folder in use. */
  dataDir: string | null;
  /** Downloads in progress, by model id. */
  downloads: Record<string, ModelDownloadProgress>;
  /** True until the first load settles. */
  loading: boolean;
  /** The last failed load or action. */
  failure: { action: string; error: LuminErrorShape } | null;
  /** A short confirmation of the last successful action (for a live region). */
  notice: string | null;
  /** Saves several settings; stops at the first refusal. Resolves to true when all were saved. */
  save(values: Partial<SettingValues>): Promise<boolean>;
  /** Switches the embedding model (its vectors are computed in the background first). */
  useModel(id: string): Promise<boolean>;
  /**
   * Stores the API key (or forgets it with null) for `baseUrl`'s origin (default: the embedding
   * endpoint's); keys are sent to their own origin only.
   */
  setApiKey(key: string | null, baseUrl?: string): Promise<boolean>;
  /** One reader's record and interactions, for a download. */
  exportReader(readerId: string): Promise<ReaderExport | null>;
  /** Erases one reader and everything derived from them (see `readers.remove`). */
  deleteReader(readerId: string): Promise<boolean>;
  /** Reloads everything. */
  refresh(): Promise<void>;
  /** Hides the failure and the notice. */
  dismiss(): void;
  /** Loads and follows the core's events; returns a function that stops listening. */
  start(): () => void;
}

/** Creates the settings store over a bridge. */
export function createSettingsStore(lumin: LuminBridge): StoreApi<SettingsState> {
  return createStore<SettingsState>()((set, get) => {
    const fail = (action: string, error: LuminErrorShape) =>
      set({ failure: { action, error }, notice: null });

    const loadSettings = async () => {
      const result = await settle('settings.list', () => lumin.settings.list());
      if (result.ok) set({ values: result.value });
      else fail('Loading the settings', result.error);
    };
    const loadModels = async () => {
      const result = await settle('models.list', () => lumin.models.list());
      if (result.ok) set({ models: result.value });
      else fail('Loading the embedding models', result.error);
    };
    const loadReaders = async () => {
      const result = await settle('readers.list', () => lumin.readers.list({ limit: READER_LIMIT }));
      if (result.ok) set({ readers: result.value.items });
      else fail('Loading the readers', result.error);
    };
    const loadStatus = async () => {
      const result = await settle('status.get', () => lumin.status.get());
      if (result.ok) set({ dataDir: result.value.dataDir });
      else fail('Loading the status', result.error);
    };

    const refresh = async () => {
      await Promise.all([loadSettings(), loadModels(), loadReaders(), loadStatus()]);
      set({ loading: false });
    };

    return {
      values: null,
      models: [],
      readers: [],
      dataDir: null,
      downloads: {},
      loading: true,
      failure: null,
      notice: null,

      async save(values) {
        for (const [key, value] of Object.entries(values) as [SettingKey, unknown][]) {
          const result = await settle('settings.set', () => lumin.settings.set({ key, value }));
          if (!result.ok) {
            fail('Saving the settings', result.error);
            await loadSettings();
            return false;
          }
        }
        await loadSettings();
        set({ failure: null, notice: 'Settings saved.' });
        return true;
      },

      async useModel(id) {
        const result = await settle('models.use', () => lumin.models.use({ id }));
        if (!result.ok) {
          fail('Switching the embedding model', result.error);
          return false;
        }
        await loadModels();
        set({
          failure: null,
          notice: result.value.job
            ? `Computing vectors with ${result.value.model.label}; Lumin switches when they are ready.`
            : `${result.value.model.label} is already in use.`,
        });
        return true;
      },

      async setApiKey(key, baseUrl) {
        const result = await settle('models.setApiKey', () =>
          lumin.models.setApiKey(baseUrl === undefined ? { key } : { key, baseUrl }),
        );
        if (!result.ok) {
          fail('Saving the API key', result.error);
          return false;
        }
        await loadModels();
        set({ failure: null, notice: key === null ? 'API key removed.' : 'API key saved.' });
        return true;
      },

      async exportReader(readerId) {
        // One call through the contract: the core gathers everything (profile, class, history,
        // feedback, pins and blocks, served lists with their explanations).
        const result = await settle('readers.export', () => lumin.readers.export({ id: readerId }));
        if (!result.ok) {
          fail('Exporting the reader', result.error);
          return null;
        }
        set({ failure: null, notice: `Exported ${result.value.data.reader.name}’s data.` });
        return result.value.data;
      },

      async deleteReader(readerId) {
        const name = get().readers.find((reader) => reader.id === readerId)?.name ?? 'the reader';
        const result = await settle('readers.remove', () => lumin.readers.remove({ id: readerId }));
        if (!result.ok) {
          fail('Deleting the reader', result.error);
          return false;
        }
        await loadReaders();
        set({
          failure: null,
          notice: `Deleted ${name}: their history, lists and backup copies are erased.`,
        });
        return true;
      },

      refresh,
      dismiss: () => set({ failure: null, notice: null }),

      start() {
        const offChanged = lumin.on('data.changed', (change) => {
          if (change.entity === 'settings') void loadSettings();
          if (change.entity === 'embeddings' || change.entity === 'jobs') void loadModels();
          if (change.entity === 'readers') void loadReaders();
        });
        const offDownload = lumin.on('model.download', (progress) => {
          const downloads = { ...get().downloads };
          if (progress.status === 'done') {
            delete downloads[progress.model];
            void loadModels();
          } else downloads[progress.model] = progress;
          set({ downloads });
        });
        void refresh();
        return () => {
          offChanged();
          offDownload();
        };
      },
    };
  });
}
