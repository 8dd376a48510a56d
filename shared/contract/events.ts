/**
 * Events the core emits. Every write emits `data.changed` after it commits, so renderer stores
 * refresh; long work emits `job.progress`.
 */
import type { BackupInfo, JobState } from './domain';
import type { ModelDownloadProgress } from './embeddings';

/** The kinds of records a change can touch. */
export type Entity =
  | 'books'
  | 'classes'
  | 'readers'
  | 'interactions'
  | 'settings'
  | 'jobs'
  | 'embeddings'
  /** The nightly run's collaborative model and batch lists (every reader's recommendations change). */
  | 'recommendations';

/** A committed change. */
export interface DataChange {
  /** Which table-level domain changed. */
  entity: Entity;
  /** What happened. */
  op: 'insert' | 'update' | 'delete';
  /** Ids of the changed records (may be empty for bulk changes; then refresh the whole slice). */
  ids: string[];
  /** For interactions: the readers they belong to (their recommendations change). */
  readerIds?: string[];
}

/** Progress of a background job. */
export interface JobProgress {
  /** The job's id. */
  id: string;
  /** What the job does. */
  kind: string;
  /** Its state now. */
  state: JobState;
  /** 0..1 */
  progress: number;
  /** What it is doing, or why it failed. */
  message: string | null;
}

/** The events map: event name → payload. */
export interface LuminEvents {
  /** A write committed. */
  'data.changed': DataChange;
  /** A background job advanced, finished or failed. */
  'job.progress': JobProgress;
  /** A backup snapshot was written (by a user or the daily automatic backup). */
  'backup.created': BackupInfo;
  /** An import advanced (about every 1% of a long file). */
  'import.progress': ImportProgress;
  /** A hub model is being downloaded into the data folder (first use only). */
  'model.download': ModelDownloadProgress;
  /** A warning: the daily automatic backup was skipped because the disk is nearly full. */
  'backup.skipped': BackupSkipped;
}

/** Why an automatic backup was skipped. */
export interface BackupSkipped {
  /** One sentence for the user, naming the folder and the space. */
  reason: string;
  /** Free bytes on the backups' disk. */
  freeBytes: number;
  /** What the backup needed free: twice its size. */
  neededBytes: number;
}

/** Progress of an import's preview or commit. */
export interface ImportProgress {
  /** The preview it belongs to. */
  previewId: string;
  /** Reading the file for the preview, or writing it. */
  phase: 'preview' | 'commit';
  /** Rows done so far. */
  done: number;
  /** Rows in all (known after the preview; during the preview, bytes stand in for rows). */
  total: number;
}

/** An event name. */
export type EventName = keyof LuminEvents;

/** Every event name, for transports that forward all of them (Electron IPC, the e2e web host). */
export const EVENT_NAMES = Object.keys({
  'data.changed': true,
  'job.progress': true,
  'backup.created': true,
  'import.progress': true,
  'model.download': true,
  'backup.skipped': true,
} satisfies Record<EventName, true>) as EventName[];

/**
 * Events inside the core only: side effects subscribe to them instead of watching for particular
 * operations. The db worker sends them to the core host like the others; hosts never see them.
 */
export interface CoreEvents extends LuminEvents {
  /** A job became ready to run (`jobs.run`, `jobs.resume`, a schedule): the job runners wake up. */
  'job.queued': { id: string; kind: string };
  /** An import committed: the db worker makes it durable soon (it survives a power cut). */
  'import.committed': { previewId: string };
}

/** A listener for one event. */
export type Listener<E extends EventName> = (payload: LuminEvents[E]) => void;

/** Subscribes to core events; returns an unsubscribe function. */
export type Subscribe<Events extends LuminEvents = LuminEvents> = <E extends keyof Events & string>(
  event: E,
  listener: (payload: Events[E]) => void,
) => () => void;

/** A tiny typed emitter (no node:events: shared/ must run anywhere). */
export function createEmitter<Events extends LuminEvents = LuminEvents>(): {
  on: Subscribe<Events>;
  emit: <E extends keyof Events & string>(event: E, payload: Events[E]) => void;
} {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) {
        try {
          (listener as (value: typeof payload) => void)(payload);
        } catch (error) {
          // A failing listener must not stop the others or the write that emitted the event.
          console.error(`lumin: a '${event}' listener threw`, error);
        }
      }
    },
  };
}
