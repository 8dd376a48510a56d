/**
 * The analytics view's state: the chosen class and period, and the three reads that feed the charts
 * (`stats.get`, `analytics.activity`, `analytics.levels`) plus the class list for the selector. Any
 * change to interactions, books, readers or classes reloads the charts (coalesced, like every slice).
 */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { LuminBridge } from '../../../shared/contract/api';
import type { ClassRecord } from '../../../shared/contract/domain';
import type { LuminErrorShape } from '../../../shared/contract/errors';
import type { Entity } from '../../../shared/contract/events';
import type { LevelAudit, ReadingActivity, ReadingStats } from '../../../shared/contract/recommend';
import { settle } from './query';

/** The periods the selector offers, in days. */
export const ANALYTICS_PERIODS = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
  { days: 365, label: 'Last 12 months' },
] as const;

/** Changes that can move a chart. */
const RELEVANT: ReadonlySet<Entity> = new Set(['interactions', 'books', 'readers', 'classes', 'embeddings']);

const DAY_MS = 86_400_000;

/** The analytics view's state. */
export interface AnalyticsState {
  /** The class shown, or null for everyone. */
  classId: string | null;
  /** The period, in days back from now. */
  periodDays: number;
  /** Classes for the selector. */
  classes: ClassRecord[];
  stats: ReadingStats | null;
  activity: ReadingActivity | null;
  levels: LevelAudit | null;
  /** True until the first load settles. */
  loading: boolean;
  /** The first failure of the last load, or null. */
  error: LuminErrorShape | null;
  /** Chooses a class (null: everyone) and reloads. */
  setClass(classId: string | null): Promise<void>;
  /** Chooses a period and reloads. */
  setPeriod(days: number): Promise<void>;
  /** Reloads everything. */
  refresh(): Promise<void>;
  /** Loads and follows `data.changed`; returns a function that stops listening. */
  start(): () => void;
}

/** Creates the analytics store over a bridge; `now` is injectable for tests. */
export function createAnalyticsStore(
  lumin: LuminBridge,
  now: () => Date = () => new Date(),
): StoreApi<AnalyticsState> {
  let running: Promise<void> | null = null;
  let again = false;

  return createStore<AnalyticsState>()((set, get) => {
    const loadOnce = async (): Promise<void> => {
      const { classId, periodDays } = get();
      const to = now();
      const from = new Date(to.getTime() - periodDays * DAY_MS);
      const scope = { ...(classId ? { classId } : {}), from: from.toISOString(), to: to.toISOString() };
      const [classes, stats, activity, levels] = await Promise.all([
        settle('classes.list', () => lumin.classes.list()),
        settle('stats.get', () => lumin.stats.get(scope)),
        settle('analytics.activity', () => lumin.analytics.activity(scope)),
        settle('analytics.levels', () => lumin.analytics.levels(classId ? { classId } : {})),
      ]);
      // A selection changed while loading: the follow-up load will answer for it.
      if (get().classId !== classId || get().periodDays !== periodDays) return;
      const failed = [classes, stats, activity, levels].find((result) => !result.ok);
      set({
        classes: classes.ok ? classes.value : get().classes,
        stats: stats.ok ? stats.value : get().stats,
        activity: activity.ok ? activity.value : get().activity,
        levels: levels.ok ? levels.value : get().levels,
        loading: false,
        error: failed && !failed.ok ? failed.error : null,
      });
    };

    const refresh = async (): Promise<void> => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await loadOnce();
        } while (again);
      })().finally(() => (running = null));
      return running;
    };

    return {
      classId: null,
      periodDays: 30,
      classes: [],
      stats: null,
      activity: null,
      levels: null,
      loading: true,
      error: null,
      async setClass(classId) {
        set({ classId });
        await refresh();
      },
      async setPeriod(days) {
        set({ periodDays: days });
        await refresh();
      },
      refresh,
      start() {
        const unsubscribe = lumin.on('data.changed', (change) => {
          if (RELEVANT.has(change.entity)) void refresh();
        });
        void refresh();
        return unsubscribe;
      },
    };
  });
}
