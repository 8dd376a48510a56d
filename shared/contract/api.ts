/**
 * The Lumin API: every call a host (Electron renderer, CLI, tests) can make on the core, with the
 * result type and JSDoc of each public operation of the registry (`./methods.ts`). Each method takes
 * one argument object, validated at the boundary by `inputSchemas`, and resolves to a `Result`:
 * expected failures (not found, conflict, invalid input) are values, never throws.
 */
import type { z } from 'zod';
import type { BackupInfo, Book, ClassRecord, Interaction, Job, Page, Reader, Status } from './domain';
import type { ExportResult, ImportPreview, ImportResult } from './imports';
import type { EmbeddingModelInfo, EmbeddingStatus, ModelSwitch, SimilarBook } from './embeddings';
import type { LevelAudit, ReadingActivity, ReadingStats, Recommendations } from './recommend';
import type { Result } from './errors';
import type { inputSchemas } from './schemas';
import type { InternalApi, internalSchemas } from './internal';
import type { SettingKey, SettingValues } from './settings';
import type { Subscribe } from './events';
import type { ReaderExport } from './reader-export';
import type { PseudonymRotation, ReaderErasure } from './reader-erase';
import type { SyncPullReport, SyncPushReport, SyncStatus } from '../sync/status';
import type { PrivacyRow } from '../egress/destinations';

import type { InternalName, MethodName, OperationName } from './methods';

export type { MethodName, OperationName } from './methods';

/** Every operation's input schema: the contract's and the internal ones. */
type Schemas = typeof inputSchemas & typeof internalSchemas;
/** What a caller passes to operation `M`. */
export type Input<M extends OperationName> = z.input<Schemas[M]>;
/** What the handler of operation `M` receives, after validation and normalisation. */
export type ParsedInput<M extends OperationName> = z.output<Schemas[M]>;

/** Core health. */
export interface StatusApi {
  /** Schema version, data directory and record counts. */
  get(input?: Input<'status.get'>): Promise<Result<Status>>;
  /** A trivial round trip through the worker boundary (no SQL); used for latency checks. */
  ping(input?: Input<'status.ping'>): Promise<Result<{ pong: true; at: number }>>;
}

/** The book catalogue. */
export interface BooksApi {
  /** Adds a book. ISBN-10 and ISBN-13 fill in each other; a duplicate ISBN fails with `conflict`. */
  add(input: Input<'books.add'>): Promise<Result<Book>>;
  /** Adds many books in one transaction: all of them or, on any failure, none. */
  addMany(input: Input<'books.addMany'>): Promise<Result<{ added: number; ids: string[] }>>;
  /** One book by id; `not_found` when absent. */
  get(input: Input<'books.get'>): Promise<Result<Book>>;
  /** Finds one book by id, ISBN or exact title (case-insensitive); `ambiguous` lists the candidates. */
  resolve(input: Input<'books.resolve'>): Promise<Result<Book>>;
  /** Lists books by title, optionally filtered by a text query over title, authors and ISBN. */
  list(input?: Input<'books.list'>): Promise<Result<Page<Book>>>;
  /** Changes some fields of a book; `null` clears a field. */
  update(input: Input<'books.update'>): Promise<Result<Book>>;
  /** Removes a book and its interactions and embeddings. */
  remove(input: Input<'books.remove'>): Promise<Result<{ id: string }>>;
}

/** Classes (rosters). */
export interface ClassesApi {
  /** Creates a class; names are unique (case-insensitive). */
  add(input: Input<'classes.add'>): Promise<Result<ClassRecord>>;
  /** All classes with their reader counts. */
  list(input?: Input<'classes.list'>): Promise<Result<ClassRecord[]>>;
  /** Renames or edits a class. */
  update(input: Input<'classes.update'>): Promise<Result<ClassRecord>>;
  /** Removes a class; its readers stay, without a class. */
  remove(input: Input<'classes.remove'>): Promise<Result<{ id: string }>>;
}

/** Readers: students and the single `self` reader. */
export interface ReadersApi {
  /** Adds a reader; `className` finds or creates the class. Only one `self` reader may exist. */
  add(input: Input<'readers.add'>): Promise<Result<Reader>>;
  /** One reader by id. */
  get(input: Input<'readers.get'>): Promise<Result<Reader>>;
  /** Finds one reader by id or exact name (case-insensitive); `ambiguous` lists the candidates. */
  resolve(input: Input<'readers.resolve'>): Promise<Result<Reader>>;
  /** Lists readers by name, optionally within a class or matching a query. */
  list(input?: Input<'readers.list'>): Promise<Result<Page<Reader>>>;
  /** Changes some fields of a reader. */
  update(input: Input<'readers.update'>): Promise<Result<Reader>>;
  /**
   * Erases a reader: in one transaction the reader and everything derived (interactions, pins and
   * blocks, served and cached lists, batch lists, shelves, profile vectors, pending sync events, their
   * row of the collaborative model); then the touched tables are rewritten and the WAL cycled so no
   * byte of their name, notes or interests stays in the database files, and every backup in the
   * backups folder holding them is rewritten without them (atomically). With sync in use, an erase
   * request for their pseudonym waits in the outbox until the server confirms it.
   */
  remove(input: Input<'readers.remove'>): Promise<Result<{ id: string } & ReaderErasure>>;
  /**
   * Everything about one reader (profile, class, interactions, feedback, pins and blocks, shelves,
   * served lists with their explanations, batch list) as a versioned document (`readerExportSchema`);
   * with `out`, also written there atomically.
   */
  export(
    input: Input<'readers.export'>,
  ): Promise<Result<{ path: string | null; bytes: number; data: ReaderExport }>>;
}

/** Reading events: thumbs, checkouts, ratings, finishes… */
export interface InteractionsApi {
  /**
   * Records one interaction. The id is the caller's: logging the same id twice is a no-op that
   * returns the stored row, and the same id with different content fails with `conflict`.
   */
  log(input: Input<'interactions.log'>): Promise<Result<Interaction>>;
  /** Lists interactions, newest first. */
  list(input?: Input<'interactions.list'>): Promise<Result<Page<Interaction>>>;
}

/** Application settings. */
export interface SettingsApi {
  /** One setting's value (its default until set). */
  get(input: Input<'settings.get'>): Promise<Result<{ key: SettingKey; value: SettingValues[SettingKey] }>>;
  /** Sets a setting; the value is validated against the setting's schema. */
  set(input: Input<'settings.set'>): Promise<Result<{ key: SettingKey; value: SettingValues[SettingKey] }>>;
  /** Every setting with its current value. */
  list(input?: Input<'settings.list'>): Promise<Result<SettingValues>>;
}

/** The durable background job queue. */
export interface JobsApi {
  /** Lists jobs, newest first. */
  list(input?: Input<'jobs.list'>): Promise<Result<Page<Job>>>;
  /** One job by id. */
  get(input: Input<'jobs.get'>): Promise<Result<Job>>;
  /** Cancels a queued, running or paused job; finished jobs fail with `conflict`. */
  cancel(input: Input<'jobs.cancel'>): Promise<Result<Job>>;
  /** Pauses a queued or running job at its next checkpoint. */
  pause(input: Input<'jobs.pause'>): Promise<Result<Job>>;
  /** Resumes a paused job. */
  resume(input: Input<'jobs.resume'>): Promise<Result<Job>>;
  /**
   * Queues a background job now: `nightly` (collaborative retrain, batch recommendations for every
   * reader) or `enrich` (reading levels and page counts estimated where missing). One of each at a time.
   */
  run(input: Input<'jobs.run'>): Promise<Result<Job>>;
}

/** Snapshots of the data directory. */
export interface BackupApi {
  /**
   * Writes a consistent snapshot atomically (temp file, then rename) to `out` (a path: the CLI), `target`
   * (a save-dialog handle: the app) or the backups folder.
   */
  create(input?: Input<'backup.create'>): Promise<Result<BackupInfo>>;
  /** Snapshots in the backups folder, newest first. */
  list(input?: Input<'backup.list'>): Promise<Result<BackupInfo[]>>;
}

/** Importing book lists and rosters, and exporting a reader's shelves. */
export interface ImportsApi {
  /**
   * Reads a file (detecting its format from the content) and says what a commit would do, writing
   * nothing. The file is `path` (the CLI, tests) or `file`, a handle from the app's open dialog or a
   * drop; the core reads it from disk itself. Fails with `invalid_argument` when the file cannot be
   * read as any format.
   */
  preview(input: Input<'imports.preview'>): Promise<Result<ImportPreview>>;
  /**
   * Applies a preview in one transaction, with `import.progress` events; re-importing the same file
   * changes nothing. Fails with `conflict` if the file changed since the preview, `cancelled` if
   * cancelled (nothing written), and, with `strict`, `invalid_argument` when any row has a problem.
   */
  commit(input: Input<'imports.commit'>): Promise<Result<ImportResult>>;
  /** Cancels a running commit (it rolls back) or forgets a preview. */
  cancel(input: Input<'imports.cancel'>): Promise<Result<{ previewId: string; cancelled: boolean }>>;
  /**
   * Writes a reader's shelves, ratings and dates as a Goodreads-compatible CSV (atomically) to `out`
   * (a path: the CLI) or `target` (a save-dialog handle: the app).
   */
  export(input: Input<'imports.export'>): Promise<Result<ExportResult>>;
}

/** Content embeddings of books, reader profiles and tags. */
export interface EmbeddingsApi {
  /** The active model, a switch in progress, and how much of the catalogue has vectors. */
  status(input?: Input<'embeddings.status'>): Promise<Result<EmbeddingStatus>>;
  /**
   * Queues a background pass embedding every new or changed book, reader and tag with `model` (default:
   * the active model); returns the durable job (one unfinished pass per model). Progress arrives as
   * `job.progress`; pause, resume and cancel it through `jobs`.
   */
  run(input?: Input<'embeddings.run'>): Promise<Result<Job>>;
  /**
   * The `k` books nearest to book `id` by content (cosine similarity of the active model's vectors).
   * `not_found` when the book does not exist or has no vector yet.
   */
  similar(input: Input<'embeddings.similar'>): Promise<Result<SimilarBook[]>>;
}

/** Embedding models: the bundled one, downloadable ones, model folders and OpenAI-compatible endpoints. */
export interface ModelsApi {
  /** The catalogue's models and every model used on this device, with availability and vector counts. */
  list(input?: Input<'models.list'>): Promise<Result<EmbeddingModelInfo[]>>;
  /**
   * Switches to model `id`: its vectors are computed in the background while the current model keeps
   * serving, then the switch happens atomically. `invalid_argument` when the model cannot run here
   * (a missing folder, OpenAI without a key).
   */
  use(input: Input<'models.use'>): Promise<Result<ModelSwitch>>;
  /**
   * Stores (encrypted where the platform allows) or forgets an API key, for the origin of `baseUrl`
   * (default the embedding endpoint's): it is sent to that origin only, so changing a base URL never
   * sends the old key. `http://` endpoints are accepted for this computer only. Never logged.
   */
  setApiKey(input: Input<'models.setApiKey'>): Promise<Result<{ stored: boolean }>>;
}

/** Recommendations for readers and groups. */
export interface RecommendApi {
  /**
   * A reader's recommendations through the serving chain: cache → personalised (hybrid user vector,
   * filters, blend, diversification, exploration) → batch (last nightly run) → popular. Every list is
   * logged; each item carries the `recLogId` to attach to the interaction that follows.
   */
  get(input: Input<'recommend.get'>): Promise<Result<Recommendations>>;
  /** Books suited to every member of a group (within every member's band, unread by all). */
  group(input: Input<'recommend.group'>): Promise<Result<Recommendations>>;
  /**
   * Thumbs up or down, dismiss, or a teacher's pin or block, attributed to the latest served
   * impression of that book for that reader. The next list reflects it at once.
   */
  feedback(input: Input<'recommend.feedback'>): Promise<Result<Interaction>>;
}

/** Analytics. */
export interface StatsApi {
  /** CTR by source, coverage, diversity and novelty, per reader, for one class or everyone, over a period. */
  get(input?: Input<'stats.get'>): Promise<Result<ReadingStats>>;
}

/** Charts of the analytics view beyond `stats.get`: reading over time and the library's levels. */
export interface AnalyticsApi {
  /**
   * Interactions per ISO week (Monday start, UTC) for one class or everyone over a period (default: the
   * last 12 weeks), split into reading (checkouts, finishes, ratings) and feedback (thumbs, dismissals);
   * weeks without any interaction are included with zeros.
   */
  activity(input?: Input<'analytics.activity'>): Promise<Result<ReadingActivity>>;
  /**
   * The library audit: how many books sit at each grade-equivalent band against how many readers of the
   * class (or everyone) are centred there, with books and readers whose level is unknown counted apart.
   */
  levels(input?: Input<'analytics.levels'>): Promise<Result<LevelAudit>>;
}

/** Optional sync with a sync server (off by default; see README "Sync server"). */
export interface SyncApi {
  /**
   * Enrols this device into a tenant with the administrator's code, keeps the device token in the
   * secrets store, turns `sync.enabled` on and queues the interactions already logged.
   * `forbidden` for an unknown code, `io` when the server cannot be reached.
   */
  enroll(input: Input<'sync.enroll'>): Promise<Result<SyncStatus>>;
  /**
   * Pushes the outbox now, in batches, retrying each with exponential backoff and jitter. Only
   * pseudonym hashes, book ids and ISBNs, types, values, grades and times leave the device.
   */
  push(input?: Input<'sync.push'>): Promise<Result<SyncPushReport>>;
  /** Pulls the newest batch recommendations into the batch table the serving chain reads. */
  pull(input?: Input<'sync.pull'>): Promise<Result<SyncPullReport>>;
  /** Whether sync is on and enrolled, what waits in the outbox, and the last push, pull and error. */
  status(input?: Input<'sync.status'>): Promise<Result<SyncStatus>>; /**
   * Gives a reader a new pseudonym (their past uploads can no longer be linked to them) and, with
   * sync in use, queues an erase of the old one for the server. Pending events move to the new one.
   */
  rotate(input: Input<'sync.rotate'>): Promise<Result<PseudonymRotation>>;
}

/** What leaves the device (Settings → Privacy). */
export interface PrivacyApi {
  /**
   * Every destination of the egress module's table (shared/egress/destinations.ts): the feature, what
   * it sends and never sends, whether it is on now and the origin it goes to. Generated from the
   * table the egress module enforces, so the page cannot drift from the code.
   */
  get(input?: Input<'privacy.get'>): Promise<Result<PrivacyRow[]>>;
}

/** The whole API, as `window.lumin` and the CLI see it. */
export interface LuminApi {
  status: StatusApi;
  books: BooksApi;
  classes: ClassesApi;
  readers: ReadersApi;
  interactions: InteractionsApi;
  settings: SettingsApi;
  jobs: JobsApi;
  backup: BackupApi;
  imports: ImportsApi;
  embeddings: EmbeddingsApi;
  models: ModelsApi;
  recommend: RecommendApi;
  stats: StatsApi;
  analytics: AnalyticsApi;
  sync: SyncApi;
  privacy: PrivacyApi;
}

/** `window.lumin`: the API plus event subscription. */
export interface LuminBridge extends LuminApi {
  /** Subscribes to core events; returns an unsubscribe function. */
  on: Subscribe;
}

/** Every operation as a function: the contract's methods and the internal operations. */
type Operations = LuminApi & InternalApi;

/** The function type of operation `M`. */
export type MethodFunction<M extends OperationName> = M extends `${infer N}.${infer F}`
  ? N extends keyof Operations
    ? F extends keyof Operations[N]
      ? Operations[N][F]
      : never
    : never
  : never;

/** The success value of operation `M`. */
export type Output<M extends OperationName> =
  Awaited<ReturnType<MethodFunction<M>>> extends Result<infer T> ? T : never;

// Compile-time guarantee that the registry, the APIs and the schemas name the same operations.
type FlatNames<Api> = { [N in keyof Api]: `${N & string}.${keyof Api[N] & string}` }[keyof Api];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyMethodIsDeclared: Same<FlatNames<LuminApi>, MethodName> = true;
const everyInternalIsDeclared: Same<FlatNames<InternalApi>, InternalName> = true;
void everyMethodIsDeclared;
void everyInternalIsDeclared;
