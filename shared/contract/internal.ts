/**
 * The internal operations of the registry (`./methods.ts`): what the core host asks of the db worker
 * beyond the contract (the embedding runner's queue, the sync client's store, the schedules, the list
 * cache's impressions, the LLM helpers' cache). Hosts never reach them: `invoke` refuses them. Host
 * code calls them through its typed db client (`workers/host/db-client.ts`), which validates each
 * input with the schema below before it crosses to the worker.
 */
import { z } from 'zod';
import type { Job } from './domain';
import type { EmbeddingModelInfo, ModelSwitch } from './embeddings';
import type { Recommendations } from './recommend';
import type { Result } from './errors';
import type { InternalName } from './methods';
import type { RecommendationsResponse, SyncEvent } from '../sync/protocol';
import type { SyncPullReport, SyncStatus } from '../sync/status';

const id = z.uuid();
const none = z.undefined();
const jobId = z.strictObject({ jobId: z.string().min(1) });

/** Where an embedding walk is: which owner kind, and the last id done. */
const embedCursorSchema = z.strictObject({
  phase: z.enum(['book', 'reader', 'tag']),
  after: z.string(),
});
/** What an `embed` job keeps in its checkpoint. */
const embedCheckpointSchema = z.strictObject({
  cursor: embedCursorSchema,
  /** Owners that needed a look when the job started (for progress). */
  total: z.number(),
  /** Owners looked at so far. */
  done: z.number(),
  /** Vectors written so far. */
  embedded: z.number(),
});
/** One owner to embed. */
const embedItemSchema = z.strictObject({
  kind: embedCursorSchema.shape.phase,
  id: z.string(),
  text: z.string(),
  hash: z.string(),
  sourceUpdatedAt: z.string().nullable(),
});
const embedModel = z.strictObject({ id: z.string().min(1), dimension: z.int().min(1) });
/** One served item to log (rec_logs). */
const impressionSchema = z.strictObject({
  requestId: z.string(),
  readerId: z.string().nullable(),
  bookId: z.string(),
  position: z.int().min(0),
  source: z.enum(['cache', 'personalised', 'batch', 'popular', 'group']),
  proposedBy: z.enum(['content', 'collaborative', 'similar', 'popular', 'batch', 'pinned']),
  score: z.number(),
  exploratory: z.boolean(),
  explanation: z.string(),
});
const recommendInput = z.strictObject({
  readerId: id,
  k: z.int().min(1).max(100),
  explain: z.boolean(),
  ownedOnly: z.boolean(),
  fresh: z.boolean(),
});

/** Where an embedding walk is. */
export type EmbedCursor = z.output<typeof embedCursorSchema>;
/** What an `embed` job keeps in its checkpoint. */
export type EmbedCheckpoint = z.output<typeof embedCheckpointSchema>;
/** One owner to embed. */
export type EmbedItem = z.output<typeof embedItemSchema>;
/** One served item to log. */
export type ImpressionInput = z.output<typeof impressionSchema>;
/** The input of `recommend.get` after validation (defaults applied). */
export type RecommendInput = z.output<typeof recommendInput>;

/** The input schemas of the internal operations. No transforms or defaults: what is sent arrives. */
export const internalSchemas = {
  'models.catalogue': none,
  'models.queueSwitch': z.strictObject({ id: z.string().min(1) }),
  'embeddings.queue': z.strictObject({ model: z.string().min(1).optional() }).optional(),
  'recommend.compute': recommendInput,
  'embedQueue.ensure': none,
  'embedQueue.claim': none,
  'embedQueue.next': z.strictObject({
    jobId: z.string().min(1),
    model: z.string().min(1),
    checkpoint: embedCheckpointSchema,
    limit: z.int().min(1),
  }),
  'embedQueue.store': z.strictObject({
    jobId: z.string().min(1),
    model: embedModel,
    items: z.array(embedItemSchema),
    vectors: z.array(z.custom<Float32Array>((value) => value instanceof Float32Array)),
    checkpoint: embedCheckpointSchema,
  }),
  'embedQueue.finish': z.strictObject({
    jobId: z.string().min(1),
    model: embedModel.extend({ provider: z.string().min(1) }),
    activate: z.boolean(),
  }),
  'embedQueue.fail': z.strictObject({
    jobId: z.string().min(1),
    message: z.string(),
    permanent: z.boolean(),
  }),
  'embedQueue.release': jobId,
  'syncStore.state': none,
  'syncStore.enrolled': z.strictObject({
    serverUrl: z.string().min(1),
    tenantId: z.string().min(1),
    deviceId: z.string().min(1),
  }),
  'syncStore.claim': z.strictObject({ limit: z.int().min(1) }),
  'syncStore.ack': z.strictObject({ ids: z.array(z.int()) }),
  'syncStore.failed': z.strictObject({ message: z.string() }),
  'syncStore.erasures': none,
  'syncStore.erased': z.strictObject({ ids: z.array(z.int()) }),
  // The server's answer, already checked by the sync client against the protocol.
  'syncStore.storePulled': z.strictObject({ response: z.custom<RecommendationsResponse>() }),
  'schedule.recommend': none,
  'schedule.backup': none,
  'jobs.drain': none,
  'impressions.reserve': z.strictObject({ count: z.int().min(1) }),
  'impressions.log': z.strictObject({ firstId: z.int().min(1), served: z.array(impressionSchema) }),
  'llmLevels.candidates': z.strictObject({ limit: z.int().min(1) }),
  'llmLevels.store': z.strictObject({
    levels: z.array(z.strictObject({ id, grade: z.number().nullable() })),
  }),
  'explanations.get': z.strictObject({ keys: z.array(z.string()) }),
  'explanations.put': z.strictObject({ entries: z.record(z.string(), z.string()) }),
} as const satisfies Record<InternalName, z.ZodType>;

/** A claimed `embed` job, as the runner sees it. */
export interface ClaimedEmbedJob {
  jobId: string;
  model: string;
  activate: boolean;
  checkpoint: EmbedCheckpoint;
}

/** The stored sync state (the host adds whether it is enrolled and looping). */
export type StoredSyncState = Omit<SyncStatus, 'enrolled' | 'background'>;

/** Book facts an LLM may estimate a reading level from (catalogue data only). */
export interface LevelCandidate {
  id: string;
  title: string;
  authors: string[];
  subjects: string[];
}

type In<M extends InternalName> = z.output<(typeof internalSchemas)[M]>;

/** The internal operations' results, shaped like `LuminApi`: namespace → name → function. */
export interface InternalApi {
  models: {
    /** The catalogue's models and every model used here, availability as the files say (no keys). */
    catalogue(input?: In<'models.catalogue'>): Promise<Result<EmbeddingModelInfo[]>>;
    /** Queues the pass that switches to a model (the host checked its key first). */
    queueSwitch(input: In<'models.queueSwitch'>): Promise<Result<ModelSwitch>>;
  };
  embeddings: {
    /** Queues an embedding pass (one unfinished per model). */
    queue(input?: In<'embeddings.queue'>): Promise<Result<Job>>;
  };
  recommend: {
    /** A reader's list through the serving chain after the host's list cache missed. */
    compute(input: In<'recommend.compute'>): Promise<Result<Recommendations>>;
  };
  embedQueue: {
    /** Queues a pass for the active model when anything is missing or stale; the job id, or null. */
    ensure(input?: In<'embedQueue.ensure'>): Promise<Result<string | null>>;
    /** Claims the oldest ready `embed` job, setting up its checkpoint on first claim. */
    claim(input?: In<'embedQueue.claim'>): Promise<Result<ClaimedEmbedJob | null>>;
    /** The next texts to embed (`items: []` when the walk is over) and the job's state. */
    next(
      input: In<'embedQueue.next'>,
    ): Promise<Result<{ items: EmbedItem[]; checkpoint: EmbedCheckpoint; finished: boolean; state: string }>>;
    /** Stores vectors with the new checkpoint; the job's state. */
    store(input: In<'embedQueue.store'>): Promise<Result<string>>;
    /** Completes a pass: the model complete, switched to if asked, its HNSW index built. */
    finish(input: In<'embedQueue.finish'>): Promise<Result<{ activated: boolean; indexBuilt: boolean }>>;
    /** Records a failed attempt; when the job may run again (ms from now), or null. */
    fail(input: In<'embedQueue.fail'>): Promise<Result<number | null>>;
    /** Puts a running job back in the queue (the host is closing), keeping its checkpoint. */
    release(input: In<'embedQueue.release'>): Promise<Result<void>>;
  };
  syncStore: {
    /** The stored sync state (creating the device key on first use). */
    state(input?: In<'syncStore.state'>): Promise<Result<StoredSyncState>>;
    /** Records an enrolment, turns sync on, queues every interaction; how many were queued. */
    enrolled(input: In<'syncStore.enrolled'>): Promise<Result<number>>;
    /** The oldest pending events. */
    claim(input: In<'syncStore.claim'>): Promise<Result<{ ids: number[]; events: SyncEvent[] }>>;
    /** Drops acknowledged rows and records the push. */
    ack(input: In<'syncStore.ack'>): Promise<Result<void>>;
    /** Records a failure (shown by `sync.status` until the next success). */
    failed(input: In<'syncStore.failed'>): Promise<Result<void>>;
    /** Erase requests waiting for the server. */
    erasures(input?: In<'syncStore.erasures'>): Promise<Result<{ id: number; reader: string }[]>>;
    /** Drops erase requests the server confirmed. */
    erased(input: In<'syncStore.erased'>): Promise<Result<void>>;
    /** Stores pulled lists in the serving chain's batch table. */
    storePulled(input: In<'syncStore.storePulled'>): Promise<Result<SyncPullReport>>;
  };
  schedule: {
    /** Queues a nightly run when the last is a day old, an enrichment run when a book could use one. */
    recommend(input?: In<'schedule.recommend'>): Promise<Result<{ nightly: boolean; enrich: boolean }>>;
    /** Queues the daily automatic backup if it is on and the newest automatic one is a day old. */
    backup(input?: In<'schedule.backup'>): Promise<Result<{ enqueued: boolean }>>;
  };
  jobs: {
    /** Runs the worker's ready jobs (backup, nightly, enrich); answers when none is left. */
    drain(input?: In<'jobs.drain'>): Promise<Result<void>>;
  };
  impressions: {
    /** Reserves `count` consecutive rec_logs ids for lists the host serves from its cache. */
    reserve(input: In<'impressions.reserve'>): Promise<Result<number>>;
    /** Logs a list the host served from its cache, queued like a call. */
    log(input: In<'impressions.log'>): Promise<Result<void>>;
  };
  llmLevels: {
    /** Books an LLM may give an estimated level: none, too little text, not asked before. */
    candidates(input: In<'llmLevels.candidates'>): Promise<Result<LevelCandidate[]>>;
    /** Stores estimates as `estimated` where no level arrived meanwhile; how many were stored. */
    store(input: In<'llmLevels.store'>): Promise<Result<number>>;
  };
  explanations: {
    /** Cached LLM explanations by key. */
    get(input: In<'explanations.get'>): Promise<Result<Record<string, string>>>;
    /** Stores LLM explanations by key. */
    put(input: In<'explanations.put'>): Promise<Result<void>>;
  };
}
