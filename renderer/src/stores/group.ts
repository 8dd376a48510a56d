/** Group picks: the readers the teacher selected and the books suited to all of them. */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { LuminBridge } from '../../../shared/contract/api';
import type { LuminErrorShape } from '../../../shared/contract/errors';
import type { Recommendations } from '../../../shared/contract/recommend';
import { settle } from './query';

/** Books a group pick lists. */
export const GROUP_PICK_COUNT = 10;

/** The group picks' state. */
export interface GroupState {
  /** Selected reader ids, in the order they were picked. */
  selected: string[];
  result: Recommendations | null;
  /** The readers the shown result is for. */
  resultFor: string[];
  loading: boolean;
  error: LuminErrorShape | null;
  toggle(readerId: string): void;
  clear(): void;
  /** Asks the core for picks suited to every selected reader (two or more). */
  run(): Promise<void>;
}

/** Creates the group store. */
export function createGroupStore(lumin: LuminBridge): StoreApi<GroupState> {
  return createStore<GroupState>()((set, get) => ({
    selected: [],
    result: null,
    resultFor: [],
    loading: false,
    error: null,
    toggle(readerId) {
      const selected = get().selected;
      set({
        selected: selected.includes(readerId)
          ? selected.filter((id) => id !== readerId)
          : [...selected, readerId],
      });
    },
    clear: () => set({ selected: [], result: null, resultFor: [], error: null }),
    async run() {
      const readerIds = get().selected;
      if (readerIds.length < 2) {
        set({
          error: {
            name: 'LuminError',
            code: 'invalid_argument',
            message: 'Select at least two readers to find books for all of them.',
          },
        });
        return;
      }
      set({ loading: true, error: null });
      const result = await settle('recommend.group', () =>
        lumin.recommend.group({ readerIds, k: GROUP_PICK_COUNT }),
      );
      if (result.ok) set({ result: result.value, resultFor: readerIds, loading: false });
      else set({ error: result.error, loading: false });
    },
  }));
}
