/**
 * The library listing: search text, filters and the page of books they select. Loads are
 * sequenced so a slow answer to an older search never replaces a newer one.
 */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { Input, LuminBridge } from '../../../shared/contract/api';
import type { Book } from '../../../shared/contract/domain';
import type { LuminErrorShape } from '../../../shared/contract/errors';
import { settle } from './query';

/** Books per page of the library. */
export const LIBRARY_PAGE_SIZE = 60;

/** Grade bands a teacher thinks in; `any` lifts the filter. */
export const GRADE_BANDS = {
  any: { label: 'Any level', min: undefined, max: undefined },
  early: { label: 'Pre-K to grade 2', min: -1, max: 2.99 },
  middle: { label: 'Grades 3 to 5', min: 3, max: 5.99 },
  upper: { label: 'Grades 6 to 8', min: 6, max: 8.99 },
  high: { label: 'Grades 9 and up', min: 9, max: 13 },
} as const;
/** A key of {@link GRADE_BANDS}. */
export type GradeBand = keyof typeof GRADE_BANDS;

/** The library's filters. */
export interface LibraryFilters {
  query: string;
  subject: string;
  band: GradeBand;
  owned: 'any' | 'yes' | 'no';
  embedded: 'any' | 'yes' | 'no';
}

/** The default filters: everything. */
export const NO_FILTERS: LibraryFilters = {
  query: '',
  subject: '',
  band: 'any',
  owned: 'any',
  embedded: 'any',
};

/** The library's state. */
export interface LibraryState {
  filters: LibraryFilters;
  /** First book shown (paging). */
  offset: number;
  items: Book[];
  total: number;
  loading: boolean;
  /** True once a load has settled (distinguishes "empty" from "not loaded yet"). */
  loaded: boolean;
  error: LuminErrorShape | null;
  /** Grid of covers or a list. */
  layout: 'grid' | 'list';
  /** Changes some filters and reloads from the first page. */
  setFilters(patch: Partial<LibraryFilters>): Promise<void>;
  /** Shows another page. */
  setOffset(offset: number): Promise<void>;
  setLayout(layout: 'grid' | 'list'): void;
  /** Loads the current page again. */
  refresh(): Promise<void>;
}

/** The `books.list` input for some filters. */
export function listInput(filters: LibraryFilters, offset: number): Input<'books.list'> {
  const band = GRADE_BANDS[filters.band];
  return {
    limit: LIBRARY_PAGE_SIZE,
    offset,
    ...(filters.query.trim() ? { query: filters.query.trim() } : {}),
    ...(filters.subject.trim() ? { subject: filters.subject.trim() } : {}),
    ...(band.min !== undefined ? { gradeMin: band.min, gradeMax: band.max } : {}),
    ...(filters.owned !== 'any' ? { owned: filters.owned === 'yes' } : {}),
    ...(filters.embedded !== 'any' ? { embedded: filters.embedded === 'yes' } : {}),
  };
}

/** Creates the library store. */
export function createLibraryStore(lumin: LuminBridge): StoreApi<LibraryState> {
  let sequence = 0;
  return createStore<LibraryState>()((set, get) => {
    const load = async () => {
      const mine = ++sequence;
      set({ loading: true });
      const { filters, offset } = get();
      const result = await settle('books.list', () => lumin.books.list(listInput(filters, offset)));
      if (mine !== sequence) return;
      if (result.ok)
        set({
          items: result.value.items,
          total: result.value.total,
          loading: false,
          loaded: true,
          error: null,
        });
      else set({ error: result.error, loading: false, loaded: true });
    };
    return {
      filters: NO_FILTERS,
      offset: 0,
      items: [],
      total: 0,
      loading: false,
      loaded: false,
      error: null,
      layout: 'grid',
      setFilters(patch) {
        set({ filters: { ...get().filters, ...patch }, offset: 0 });
        return load();
      },
      setOffset(offset) {
        set({ offset: Math.max(0, offset) });
        return load();
      },
      setLayout: (layout) => set({ layout }),
      refresh: load,
    };
  });
}
