/**
 * A reader's page: who they are, their recommendations and their history, and what the user does
 * with a recommendation. Thumbs down, dismiss and block take the book off the list at once
 * (optimistically), then the list served right after the feedback replaces it: the page never waits
 * for every store to reload.
 */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { ReaderExport } from '../../../shared/contract/reader-export';
import type { LuminBridge } from '../../../shared/contract/api';
import type { Interaction, Reader } from '../../../shared/contract/domain';
import type { LuminErrorShape, Result } from '../../../shared/contract/errors';
import type { RecommendedItem, Recommendations } from '../../../shared/contract/recommend';
import { settle } from './query';

/** Recommendations shown on a reader's page. */
export const RECOMMENDATION_COUNT = 10;
/** History entries shown. */
export const HISTORY_LIMIT = 50;

/** What a user can say about a recommendation through `recommend.feedback`. */
export type FeedbackKind = 'up' | 'down' | 'dismiss' | 'pin' | 'block';
/** What a user can record about a recommended book through `interactions.log`. */
export type ReadingEvent = 'checkout' | 'finish';
/** Feedback that takes the book off the list. */
const REMOVING: ReadonlySet<FeedbackKind> = new Set(['down', 'dismiss', 'block']);

/** One line of the history, with the book's title when known. */
export interface HistoryEntry {
  interaction: Interaction;
  title: string | null;
}

/** The reader page's state. */
export interface ReaderPageState {
  readerId: string | null;
  reader: Reader | null;
  readerError: LuminErrorShape | null;
  recommendations: Recommendations | null;
  recommendationsLoading: boolean;
  recommendationsError: LuminErrorShape | null;
  history: HistoryEntry[] | null;
  historyError: LuminErrorShape | null;
  /** What the user marked on the visible list, by book id (thumbs up, checked out…). */
  marks: Record<string, FeedbackKind | ReadingEvent>;
  /** The last action's outcome, as a sentence for the live region. */
  notice: string | null;
  /** The last action's failure, if it failed. */
  actionError: LuminErrorShape | null;
  /** Shows reader `readerId` (loads the reader, the list and the history at once). */
  open(readerId: string): Promise<void>;
  /** Sends feedback on a recommended item. */
  feedback(item: RecommendedItem, kind: FeedbackKind): Promise<void>;
  /** Records a checkout or a finish of a recommended item (attributed to its impression). */
  record(item: RecommendedItem, type: ReadingEvent): Promise<void>;
  /** Fetches the list again (`fresh` skips the core's cache). */
  refreshRecommendations(fresh?: boolean): Promise<void>;
  refreshHistory(): Promise<void>;
  /** Everything about the reader as the core's export document (one contract call), or null on failure. */
  exportData(): Promise<ReaderExport | null>;
  /** Erases the open reader and everything derived from them (`readers.remove`); true when done. */
  deleteReader(): Promise<boolean>;
}

/** The page's data before a reader is opened, and what opening another reader starts from. */
const NO_READER = {
  readerId: null,
  reader: null,
  readerError: null,
  recommendations: null,
  recommendationsLoading: false,
  recommendationsError: null,
  history: null,
  historyError: null,
  marks: {},
  notice: null,
  actionError: null,
} satisfies Partial<ReaderPageState>;

const FEEDBACK_NOTICES: Record<FeedbackKind, string> = {
  up: 'Thumbs up recorded',
  down: 'Removed; thumbs down recorded',
  dismiss: 'Dismissed',
  pin: 'Pinned for this reader',
  block: 'Blocked for this reader',
};

/** Creates the reader page store. */
export function createReaderPageStore(lumin: LuminBridge): StoreApi<ReaderPageState> {
  const titles = new Map<string, string>();
  return createStore<ReaderPageState>()((set, get) => {
    /** Loads the list for the current reader; drops the answer if the page moved on meanwhile. */
    const loadRecommendations = async (readerId: string, fresh: boolean) => {
      const result = await settle('recommend.get', () =>
        lumin.recommend.get({ readerId, k: RECOMMENDATION_COUNT, ...(fresh ? { fresh } : {}) }),
      );
      if (get().readerId !== readerId) return;
      if (result.ok) {
        for (const item of result.value.items) titles.set(item.bookId, item.title);
        set({ recommendations: result.value, recommendationsLoading: false, recommendationsError: null });
      } else set({ recommendationsLoading: false, recommendationsError: result.error });
    };

    const loadHistory = async (readerId: string) => {
      const result = await settle('interactions.list', () =>
        lumin.interactions.list({ readerId, limit: HISTORY_LIMIT }),
      );
      if (get().readerId !== readerId) return;
      if (!result.ok) {
        set({ historyError: result.error });
        return;
      }
      const missing = [...new Set(result.value.items.map((item) => item.bookId))].filter(
        (id) => !titles.has(id),
      );
      await Promise.all(
        missing.map(async (id) => {
          const book = await settle('books.get', () => lumin.books.get({ id }));
          if (book.ok) titles.set(id, book.value.title);
        }),
      );
      if (get().readerId !== readerId) return;
      set({
        history: result.value.items.map((interaction) => ({
          interaction,
          title: titles.get(interaction.bookId) ?? null,
        })),
        historyError: null,
      });
    };

    /** Runs `method` on the open reader (none open: null); a failure becomes the action error. */
    const act = async <T>(method: string, run: (readerId: string) => Promise<Result<T>>) => {
      const readerId = get().readerId;
      if (!readerId) return null;
      const result = await settle(method, () => run(readerId));
      if (!result.ok) set({ actionError: result.error, notice: null });
      return result;
    };

    return {
      ...NO_READER,

      async open(readerId) {
        if (get().readerId === readerId && get().recommendations) {
          // Back on the same page: show what is there at once and bring it up to date behind it.
          await Promise.all([loadRecommendations(readerId, false), loadHistory(readerId)]);
          return;
        }
        set({ ...NO_READER, readerId, recommendationsLoading: true });
        const loadReader = async () => {
          const result = await settle('readers.get', () => lumin.readers.get({ id: readerId }));
          if (get().readerId !== readerId) return;
          if (result.ok) set({ reader: result.value });
          else set({ readerError: result.error, recommendationsLoading: false });
        };
        await Promise.all([loadReader(), loadRecommendations(readerId, false), loadHistory(readerId)]);
      },

      async feedback(item, kind) {
        const readerId = get().readerId;
        if (!readerId) return;
        const before = get().recommendations;
        if (REMOVING.has(kind) && before)
          set({
            recommendations: {
              ...before,
              items: before.items.filter((entry) => entry.bookId !== item.bookId),
            },
          });
        else set({ marks: { ...get().marks, [item.bookId]: kind } });
        const result = await settle('recommend.feedback', () =>
          lumin.recommend.feedback({ readerId, bookId: item.bookId, kind }),
        );
        if (get().readerId !== readerId) return;
        if (!result.ok) {
          // Put the list back as it was: the core did not take the feedback.
          const marks = { ...get().marks };
          delete marks[item.bookId];
          set({ recommendations: before, marks, actionError: result.error, notice: null });
          return;
        }
        set({ notice: `${FEEDBACK_NOTICES[kind]}: ${item.title}`, actionError: null });
        if (REMOVING.has(kind) || kind === 'pin') await loadRecommendations(readerId, false);
      },

      async record(item, type) {
        const readerId = get().readerId;
        if (!readerId) return;
        set({ marks: { ...get().marks, [item.bookId]: type } });
        const result = await settle('interactions.log', () =>
          lumin.interactions.log({ readerId, bookId: item.bookId, type, recLogId: item.recLogId }),
        );
        if (get().readerId !== readerId) return;
        if (!result.ok) {
          const marks = { ...get().marks };
          delete marks[item.bookId];
          set({ marks, actionError: result.error, notice: null });
          return;
        }
        set({
          notice: `${type === 'checkout' ? 'Checked out' : 'Marked as finished'}: ${item.title}`,
          actionError: null,
        });
      },

      async refreshRecommendations(fresh = false) {
        const readerId = get().readerId;
        if (!readerId) return;
        set({ recommendationsLoading: true });
        await loadRecommendations(readerId, fresh);
      },

      async refreshHistory() {
        const readerId = get().readerId;
        if (readerId) await loadHistory(readerId);
      },

      async exportData() {
        const result = await act('readers.export', (id) => lumin.readers.export({ id }));
        if (!result?.ok) return null;
        set({ notice: `Exported ${result.value.data.reader.name}’s data`, actionError: null });
        return result.value.data;
      },
      async deleteReader() {
        const result = await act('readers.remove', (id) => lumin.readers.remove({ id }));
        if (!result?.ok) return false;
        set({ notice: null, actionError: null });
        return true;
      },
    };
  });
}
