/**
 * The jobs view's state: the durable job queue (`jobs.list`), kept live by `job.progress` events
 * (which move a job's bar without a reload) and `data.changed` on jobs (new or removed jobs).
 */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { LuminBridge } from '../../../shared/contract/api';
import type { Job } from '../../../shared/contract/domain';
import type { LuminErrorShape, Result } from '../../../shared/contract/errors';
import { createQueryStore, settle } from './query';

/** How many jobs the view lists (newest first). */
export const JOB_LIST_LIMIT = 50;

/** What a user can do to a job. */
export type JobAction = 'pause' | 'resume' | 'cancel';

/** The jobs view's state. */
export interface JobsState {
  /** The newest jobs, live. */
  jobs: Job[];
  /** True until the first load settles. */
  loading: boolean;
  /** The last failed load or action, as a readable sentence with its error. */
  failure: { action: string; error: LuminErrorShape } | null;
  /** Pauses, resumes or cancels a job; resolves to true on success. */
  act(action: JobAction, id: string): Promise<boolean>;
  /** Queues the nightly job (retrain and batch recommendations) now. */
  runNightly(): Promise<boolean>;
  /** Reloads the list. */
  refresh(): Promise<void>;
  /** Hides the failure. */
  dismiss(): void;
  /** Loads and follows the core's events; returns a function that stops listening. */
  start(): () => void;
}

const LOADING = 'Loading the jobs';

const VERBS: Record<JobAction, string> = { pause: 'Pausing', resume: 'Resuming', cancel: 'Cancelling' };

/** Creates the jobs store over a bridge. */
export function createJobsStore(lumin: LuminBridge): StoreApi<JobsState> {
  const list = createQueryStore('jobs.list', () => lumin.jobs.list({ limit: JOB_LIST_LIMIT }));

  return createStore<JobsState>()((set, get) => {
    const replace = (job: Job) =>
      set({ jobs: get().jobs.map((existing) => (existing.id === job.id ? job : existing)) });

    const attempt = async (action: string, method: string, call: () => Promise<Result<Job>>) => {
      const result = await settle(method, call);
      if (result.ok) {
        replace(result.value);
        set({ failure: null });
      } else set({ failure: { action, error: result.error } });
      return result.ok;
    };

    const refresh = async () => {
      await list.getState().refresh();
      const { data, error } = list.getState();
      const failure = get().failure;
      set({
        jobs: data?.items ?? get().jobs,
        loading: false,
        // A failed load is reported until a load succeeds; a failed action stays until dismissed.
        failure: error ? { action: LOADING, error } : failure?.action === LOADING ? null : failure,
      });
    };

    return {
      jobs: [],
      loading: true,
      failure: null,
      act(action, id) {
        return attempt(`${VERBS[action]} the job`, `jobs.${action}`, () => lumin.jobs[action]({ id }));
      },
      async runNightly() {
        const ok = await attempt('Starting the nightly job', 'jobs.run', () =>
          lumin.jobs.run({ kind: 'nightly' }),
        );
        if (ok) await refresh();
        return ok;
      },
      refresh,
      dismiss: () => set({ failure: null }),
      start() {
        const offProgress = lumin.on('job.progress', (event) => {
          const known = get().jobs.find((job) => job.id === event.id);
          if (!known) {
            void refresh();
            return;
          }
          replace({
            ...known,
            state: event.state,
            progress: event.progress,
            progressMessage: event.message ?? known.progressMessage,
          });
        });
        const offChanged = lumin.on('data.changed', (change) => {
          if (change.entity === 'jobs') void refresh();
        });
        void refresh();
        return () => {
          offProgress();
          offChanged();
        };
      },
    };
  });
}
