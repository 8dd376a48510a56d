/**
 * The renderer's state: one vanilla zustand store per domain, all fed from `window.lumin`. Stores
 * are plain objects outside React (testable, and usable from non-component code); components read
 * them with `useStore`. Every write in the core emits `data.changed`, so the slices stay current
 * without the UI having to know which of its actions touch which data.
 */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { Input, LuminBridge } from '../../../shared/contract/api';
import type { LuminDesktop } from '../../../shared/contract/desktop';
import type { ClassRecord, Page, Reader, Status } from '../../../shared/contract/domain';
import type { LuminErrorShape, Result } from '../../../shared/contract/errors';
import type { Entity } from '../../../shared/contract/events';
import { type GroupState, createGroupStore } from './group';
import { type ImportState, createImportStore } from './imports';
import { type LibraryState, createLibraryStore } from './library';
import { type NavState, createNavStore } from './nav';
import { type QueryState, createQueryStore, settle } from './query';
import { type ReaderPageState, createReaderPageStore } from './reader-page';

/** How long refreshes that can wait (counts, a reader's history) wait after a change, in ms. */
export const BACKGROUND_REFRESH_DELAY_MS = 250;

/** The most readers the roster lists at once. */
export const READER_LIST_LIMIT = 500;

/** The outcome of the last user action (a write); shown by the error panel when it failed. */
export interface ActionsState {
  /** The failed action's label and error, or null. */
  failure: { action: string; error: LuminErrorShape } | null;
  /** Adds a reader; resolves to true on success. */
  addReader(input: Input<'readers.add'>): Promise<boolean>;
  /** Changes a reader; resolves to true on success. */
  updateReader(input: Input<'readers.update'>): Promise<boolean>;
  /** Adds a class; resolves to its id on success, null otherwise. */
  addClass(input: Input<'classes.add'>): Promise<string | null>;
  /** Hides the failure. */
  dismiss(): void;
}

/** All the renderer's stores. */
export interface AppStores {
  status: StoreApi<QueryState<Status>>;
  readers: StoreApi<QueryState<Page<Reader>>>;
  classes: StoreApi<QueryState<ClassRecord[]>>;
  actions: StoreApi<ActionsState>;
  nav: StoreApi<NavState>;
  library: StoreApi<LibraryState>;
  imports: StoreApi<ImportState>;
  readerPage: StoreApi<ReaderPageState>;
  group: StoreApi<GroupState>;
  /** Loads every slice and keeps it current; returns a function that stops listening. */
  start(): () => void;
}

/** Which slices a change to each entity can make stale (status counts change with everything). */
const AFFECTS: Record<Entity, ReadonlyArray<'readers' | 'classes' | 'library'>> = {
  books: ['library'],
  classes: ['classes', 'readers'],
  readers: ['readers', 'classes'],
  interactions: [],
  settings: [],
  jobs: [],
  embeddings: ['library'],
  recommendations: [],
};

function createActionsStore(lumin: LuminBridge): StoreApi<ActionsState> {
  return createStore<ActionsState>()((set) => {
    /** Runs a write, records its failure; resolves to its value or null. */
    const act = async <T>(
      action: string,
      method: string,
      run: () => Promise<Result<T>>,
    ): Promise<T | null> => {
      const result = await settle(method, run);
      set({ failure: result.ok ? null : { action, error: result.error } });
      return result.ok ? result.value : null;
    };
    return {
      failure: null,
      async addReader(input) {
        return (await act('Adding a reader', 'readers.add', () => lumin.readers.add(input))) !== null;
      },
      async updateReader(input) {
        return (await act('Saving the reader', 'readers.update', () => lumin.readers.update(input))) !== null;
      },
      async addClass(input) {
        return (await act('Adding a class', 'classes.add', () => lumin.classes.add(input)))?.id ?? null;
      },
      dismiss: () => set({ failure: null }),
    };
  });
}

/** The window's location as the navigation store needs it, when there is a window. */
function windowPlace() {
  const page = globalThis as { location?: { hash: string } };
  if (!page.location) return undefined;
  return {
    get hash() {
      return page.location?.hash ?? '';
    },
    setHash(hash: string) {
      if (page.location) page.location.hash = hash;
    },
  };
}

/**
 * Creates the stores over a bridge (`window.lumin` in the app, a fake in tests); `desktop` is the
 * desktop host's extras (default `window.luminDesktop`, absent in a plain browser).
 */
export function createAppStores(
  lumin: LuminBridge,
  options: { useLocation?: boolean; desktop?: LuminDesktop | null } = {},
): AppStores {
  const desktop =
    options.desktop === undefined
      ? ((globalThis as { luminDesktop?: LuminDesktop }).luminDesktop ?? null)
      : options.desktop;
  const stores = {
    status: createQueryStore('status.get', () => lumin.status.get()),
    readers: createQueryStore('readers.list', () => lumin.readers.list({ limit: READER_LIST_LIMIT })),
    classes: createQueryStore('classes.list', () => lumin.classes.list()),
    actions: createActionsStore(lumin),
    nav: createNavStore(options.useLocation === false ? undefined : windowPlace()),
    library: createLibraryStore(lumin),
    imports: createImportStore(lumin, desktop),
    readerPage: createReaderPageStore(lumin),
    group: createGroupStore(lumin),
  };
  return {
    ...stores,
    start() {
      // Counts and the history wait a moment: a thumbs down emits `data.changed` while the page is
      // fetching the reader's next list, and those reads would queue ahead of it in the core.
      const timers = new Map<string, ReturnType<typeof setTimeout>>();
      const soon = (key: string, task: () => Promise<void>) => {
        clearTimeout(timers.get(key));
        timers.set(
          key,
          setTimeout(() => void task(), BACKGROUND_REFRESH_DELAY_MS),
        );
      };
      const unsubscribe = lumin.on('data.changed', (change) => {
        soon('status', () => stores.status.getState().refresh());
        for (const slice of AFFECTS[change.entity] ?? []) void stores[slice].getState().refresh();
        const page = stores.readerPage.getState();
        if (change.entity === 'interactions' && page.readerId && change.readerIds?.includes(page.readerId))
          soon('history', () => stores.readerPage.getState().refreshHistory());
      });
      // A finished backup changes "last backup" in the status.
      const unsubscribeBackup = lumin.on('backup.created', () => void stores.status.getState().refresh());
      const unsubscribeImport = stores.imports.getState().listen();
      void stores.status.getState().refresh();
      void stores.readers.getState().refresh();
      void stores.classes.getState().refresh();
      void stores.library.getState().refresh();
      return () => {
        for (const timer of timers.values()) clearTimeout(timer);
        unsubscribe();
        unsubscribeBackup();
        unsubscribeImport();
      };
    },
  };
}
