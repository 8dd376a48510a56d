/**
 * The renderer's state: one vanilla zustand store per domain, all fed from `window.lumin`. Stores
 * are plain objects outside React (testable, and usable from non-component code); components read
 * them with `useStore`. Every write in the core emits `data.changed`, so the slices stay current
 * without the UI having to know which of its actions touch which data.
 */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { Input, LuminBridge } from '../../../shared/contract/api';
import type { ClassRecord, Page, Reader, Status } from '../../../shared/contract/domain';
import type { LuminErrorShape } from '../../../shared/contract/errors';
import type { Entity } from '../../../shared/contract/events';
import { type QueryState, createQueryStore, thrownToError } from './query';

/** The most readers the list shows; paging comes with the roster screens. */
export const READER_LIST_LIMIT = 500;

/** The outcome of the last user action (a write); shown by the error panel when it failed. */
export interface ActionsState {
  /** The failed action's label and error, or null. */
  failure: { action: string; error: LuminErrorShape } | null;
  /** Adds a reader; resolves to true on success. */
  addReader(input: Input<'readers.add'>): Promise<boolean>;
  /** Hides the failure. */
  dismiss(): void;
}

/** All the renderer's stores. */
export interface AppStores {
  status: StoreApi<QueryState<Status>>;
  readers: StoreApi<QueryState<Page<Reader>>>;
  classes: StoreApi<QueryState<ClassRecord[]>>;
  actions: StoreApi<ActionsState>;
  /** Loads every slice and keeps it current; returns a function that stops listening. */
  start(): () => void;
}

/** Which slices a change to each entity can make stale (status counts change with everything). */
const AFFECTS: Record<Entity, ReadonlyArray<'readers' | 'classes'>> = {
  books: [],
  classes: ['classes', 'readers'],
  readers: ['readers', 'classes'],
  interactions: [],
  settings: [],
  jobs: [],
  embeddings: [],
};

function createActionsStore(lumin: LuminBridge): StoreApi<ActionsState> {
  return createStore<ActionsState>()((set) => ({
    failure: null,
    async addReader(input) {
      const action = 'Adding a reader';
      try {
        const result = await lumin.readers.add(input);
        set({ failure: result.ok ? null : { action, error: result.error } });
        return result.ok;
      } catch (error) {
        set({ failure: { action, error: thrownToError('readers.add', error) } });
        return false;
      }
    },
    dismiss: () => set({ failure: null }),
  }));
}

/** Creates the stores over a bridge (`window.lumin` in the app, a fake in tests). */
export function createAppStores(lumin: LuminBridge): AppStores {
  const stores = {
    status: createQueryStore('status.get', () => lumin.status.get()),
    readers: createQueryStore('readers.list', () => lumin.readers.list({ limit: READER_LIST_LIMIT })),
    classes: createQueryStore('classes.list', () => lumin.classes.list()),
    actions: createActionsStore(lumin),
  };
  return {
    ...stores,
    start() {
      const unsubscribe = lumin.on('data.changed', (change) => {
        void stores.status.getState().refresh();
        for (const slice of AFFECTS[change.entity] ?? []) void stores[slice].getState().refresh();
      });
      // A finished backup changes "last backup" in the status.
      const unsubscribeBackup = lumin.on('backup.created', () => void stores.status.getState().refresh());
      void stores.status.getState().refresh();
      void stores.readers.getState().refresh();
      void stores.classes.getState().refresh();
      return () => {
        unsubscribe();
        unsubscribeBackup();
      };
    },
  };
}
