/**
 * The host's embedding runner: it drives `embed` jobs by passing texts from the db worker to the
 * embed worker and vectors back. The main thread only forwards messages (a batch is a few hundred
 * strings out and transferred Float32Arrays back), so the window never waits on a model.
 *
 * The embed worker starts on first need, not at open: most sessions never embed, and loading a model
 * costs memory. In the background mode (the desktop app) the runner also re-checks for new or changed
 * books after every write and after open; the CLI and tests run passes only when asked.
 */
import type { Worker } from 'node:worker_threads';
import { type Remote, releaseProxy, wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { EmbeddingModelInfo } from '../../shared/contract/embeddings';
import { type Result, err, unwrap } from '../../shared/contract/errors';
import type { CoreEvents, EventName, LuminEvents } from '../../shared/contract/events';
import { parseModelId } from '../../shared/embed/models';
import type { ClaimedEmbedJob, InternalApi } from '../../shared/contract/internal';
import { bundledModelsDir, dataLayout } from '../db/layout';
import type { EmbedService, LoadedModel } from '../embed/service';
import type { PayloadPart } from '../../shared/egress/destinations';
import type { SecretStore } from '../egress/secrets';
import { credentialFor, isOpenAiOrigin, keyOrigin } from '../egress/keys';
import type { DbClient } from '../../shared/contract/db-client';
import { startWorker } from './spawn';

/** Options of {@link createEmbeddingHost}. */
export interface EmbeddingHostOptions {
  db: DbClient;
  dataDir: string;
  secrets: SecretStore;
  emit: <E extends keyof CoreEvents>(event: E, payload: CoreEvents[E]) => void;
  /** Embed new and changed records without being asked (the desktop app). */
  background: boolean;
  /** Where hub models download from (tests serve a local hub). */
  remoteHost?: string;
  /**
   * The recommended model to move to once it can be downloaded (the desktop app: all-MiniLM-L6-v2).
   * A fresh install serves the bundled model at once and switches in the background when online;
   * offline, the attempt fails quietly and is tried again at the next launch.
   */
  upgradeTo?: string;
}

/** What the db worker's `embedQueue.next` answers. */
type NextBatch = Awaited<ReturnType<InternalApi['embedQueue']['next']>> extends Result<infer T> ? T : never;

/** What each queue item is, for the egress table (a remote model takes catalogue texts only). */
const EMBED_PARTS: Record<'book' | 'reader' | 'tag', PayloadPart> = {
  book: 'catalogue-book',
  reader: 'reader-profile',
  tag: 'catalogue-tag',
};

/** Failure codes after which retrying cannot help (a bad key, a missing model). */
const PERMANENT = new Set(['forbidden', 'not_found', 'invalid_argument']);

/** Starts the runner (it does nothing until kicked). */
export function createEmbeddingHost(options: EmbeddingHostOptions) {
  const { db } = options;
  let worker: Worker | null = null;
  let remote: Remote<EmbedService> | null = null;
  let draining: Promise<void> | null = null;
  let again = false;
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();

  function embedWorker(): Remote<EmbedService> {
    if (remote) return remote;
    worker = startWorker('embed');
    worker.on('message', (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'luminEvent' in message) {
        const { luminEvent, payload } = message as { luminEvent: EventName; payload: never };
        options.emit(luminEvent, payload);
      }
    });
    worker.on('exit', () => {
      worker = null;
      remote = null;
    });
    remote = wrap<EmbedService>(nodeEndpoint(worker));
    return remote;
  }

  async function openAiSettings(): Promise<{ baseUrl: string; apiKey: string | null }> {
    const setting = await db.settings.get({ key: 'embeddings.openai.baseUrl' });
    const baseUrl = setting.ok ? String(setting.value.value) : '';
    // The key stored for this base URL's origin only: a changed URL finds none.
    return { baseUrl, apiKey: (await credentialFor(options.secrets, baseUrl))?.token ?? null };
  }

  /** Loads `modelId` in the embed worker. */
  async function load(modelId: string, batchSize?: number): Promise<Result<LoadedModel>> {
    const parsed = parseModelId(modelId);
    const openai = 'spec' in parsed && parsed.spec.provider === 'openai' ? await openAiSettings() : undefined;
    return embedWorker().load({
      modelId,
      locations: {
        bundledDir: bundledModelsDir(),
        cacheDir: dataLayout(options.dataDir).models,
        ...(options.remoteHost ? { remoteHost: options.remoteHost } : {}),
      },
      ...(openai ? { openai } : {}),
      ...(batchSize ? { batchSize } : {}),
    });
  }

  function retryLater(ms: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      kick();
    }, ms);
    timer.unref();
    timers.add(timer);
  }

  async function fail(jobId: string, error: { code: string; message: string }): Promise<void> {
    const wait = unwrap(
      await db.embedQueue.fail({ jobId, message: error.message, permanent: PERMANENT.has(error.code) }),
    );
    if (wait !== null) retryLater(wait + 50);
  }

  /**
   * Runs one pass as a pipeline: while the embed worker embeds batch i, the db worker stores batch
   * i-1 and fetches batch i+1. Each store carries the cursor just past its own batch, so whatever is
   * committed when the process dies is exactly what the resumed pass skips.
   */
  async function runJob(claim: ClaimedEmbedJob): Promise<void> {
    const loaded = await load(claim.model);
    if (!loaded.ok) return fail(claim.jobId, loaded.error);
    const model = loaded.value;
    const target = { id: claim.model, dimension: model.dimension };
    let embedded = claim.checkpoint.embedded;
    const fetch = (checkpoint: NextBatch['checkpoint']) =>
      db.embedQueue
        .next({ jobId: claim.jobId, model: claim.model, checkpoint, limit: model.batchSize })
        .then(unwrap);
    let fetching: Promise<NextBatch> | null = fetch(claim.checkpoint);
    let storing: Promise<string> = Promise.resolve('running');
    const settle = async () => {
      await Promise.allSettled([storing, fetching ?? Promise.resolve()]);
    };
    while (fetching) {
      if (closed) {
        await settle();
        unwrap(await db.embedQueue.release({ jobId: claim.jobId }));
        return;
      }
      const next: NextBatch = await fetching;
      if (next.state !== 'running') return settle();
      fetching = next.finished ? null : fetch(next.checkpoint);
      if (next.items.length === 0) continue;
      const vectors = await embedWorker().embed(
        claim.model,
        next.items.map((item) => item.text),
        next.items.map((item) => EMBED_PARTS[item.kind]),
      );
      const wrong = vectors.ok && vectors.value.find((vector) => vector.length !== model.dimension);
      if (!vectors.ok || wrong) {
        await settle();
        return fail(
          claim.jobId,
          vectors.ok
            ? {
                code: 'io',
                message: `model ${claim.model} returned a ${wrong ? wrong.length : 0}-dimensional vector, expected ${model.dimension}`,
              }
            : vectors.error,
        );
      }
      if ((await storing) !== 'running') return settle();
      embedded += next.items.length;
      storing = db.embedQueue
        .store({
          jobId: claim.jobId,
          model: target,
          items: next.items,
          vectors: vectors.value,
          checkpoint: { ...next.checkpoint, embedded },
        })
        .then(unwrap);
    }
    if ((await storing) !== 'running') return;
    unwrap(
      await db.embedQueue.finish({
        jobId: claim.jobId,
        model: { ...target, provider: model.provider },
        activate: claim.activate,
      }),
    );
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (;;) {
        if (closed) return;
        const claim = unwrap(await db.embedQueue.claim());
        if (!claim) break;
        try {
          await runJob(claim);
        } catch (error) {
          // A worker that died (or a bug) fails this attempt; the job retries with backoff.
          if (!closed) await fail(claim.jobId, { code: 'internal', message: (error as Error).message });
        }
      }
    } while (again && !closed);
  }

  /** Runs ready jobs now (or right after the current pass). */
  function kick(): void {
    if (closed) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drain()
      .catch((error: unknown) => {
        if (!closed) console.error('lumin: the embedding runner stopped:', (error as Error).message);
      })
      .finally(() => {
        draining = null;
      });
  }

  /** Starts the one-time switch to `modelId` unless the user turned it off or already chose a model. */
  async function upgrade(modelId: string): Promise<void> {
    const setting = await db.settings.get({ key: 'embeddings.autoUpgrade' });
    if (!setting.ok || setting.value.value === false) return;
    const models = await db.models.catalogue();
    if (!models.ok) return;
    const list = models.value;
    const active = list.find((model) => model.active);
    const target = list.find((model) => model.id === modelId);
    // Only from the bundled model: a model the user picked is never replaced behind their back.
    if (active?.provider !== 'bundled' || target?.active || target?.switching) return;
    const switched = await db.models.queueSwitch({ id: modelId });
    if (switched.ok) kick();
  }

  let checkTimer: NodeJS.Timeout | null = null;
  /** Queues a pass for the active model when anything is missing or stale (debounced), then runs it. */
  function scheduleCheck(delayMs = 500): void {
    if (closed || checkTimer) return;
    checkTimer = setTimeout(() => {
      checkTimer = null;
      void db.embedQueue
        .ensure()
        .then(unwrap)
        .then((id) => {
          if (id) kick();
        })
        .catch(() => undefined);
    }, delayMs);
    checkTimer.unref();
  }

  return {
    kick,
    load,
    /** Embeds texts with a loaded model (benchmarks, search queries); `parts` as the embed service says. */
    embed(modelId: string, texts: string[], parts?: PayloadPart[]) {
      return embedWorker().embed(modelId, texts, parts);
    },
    /** Called for every `data.changed`: jobs changes may be a resume; catalogue changes may need vectors. */
    onChange(change: LuminEvents['data.changed']): void {
      if (!options.background) return;
      if (change.entity === 'jobs' && change.op !== 'delete') kick();
      else if (change.entity === 'books' || change.entity === 'readers') scheduleCheck();
    },
    /**
     * At open, in the background mode: resume interrupted passes and look for missing vectors. (The
     * CLI leaves queued passes for `lumin embed` or the app: a `lumin status` must not load a model.)
     */
    start(): void {
      if (!options.background) return;
      kick();
      // The active model's pass is queued before any upgrade: jobs run in order, and a long download
      // must not keep a new library without vectors.
      const timer = setTimeout(() => {
        timers.delete(timer);
        void (async () => {
          if (unwrap(await db.embedQueue.ensure()) !== null) kick();
          if (options.upgradeTo && !closed) await upgrade(options.upgradeTo);
        })().catch(() => undefined);
      }, 1_000);
      timer.unref();
      timers.add(timer);
    },
    /** Refines `availability` of OpenAI models: OpenAI's own endpoint needs a key. */
    async refine(models: EmbeddingModelInfo[]): Promise<EmbeddingModelInfo[]> {
      if (!models.some((model) => model.provider === 'openai')) return models;
      const { baseUrl, apiKey } = await openAiSettings().catch(() => ({ baseUrl: '', apiKey: null }));
      const origin = keyOrigin(baseUrl);
      const needsKey = !apiKey && origin !== null && isOpenAiOrigin(origin);
      return models.map((model) =>
        model.provider === 'openai' && needsKey ? { ...model, availability: 'needs_key' as const } : model,
      );
    },
    /** Stops passes at their next batch (the job goes back to the queue), then the embed worker. */
    async close(): Promise<void> {
      closed = true;
      if (checkTimer) clearTimeout(checkTimer);
      for (const timer of timers) clearTimeout(timer);
      await draining;
      if (remote && worker) {
        await remote.close().catch(() => undefined);
        remote[releaseProxy]();
        await worker.terminate();
      }
    },
  };
}

/** The runner's type. */
export type EmbeddingHost = ReturnType<typeof createEmbeddingHost>;

/** A failure for calls that need a model which cannot run. */
export function needsKeyFailure(modelId: string): Result<never> {
  return err(
    'invalid_argument',
    `model ${modelId} needs an OpenAI API key: set it in Settings → Embeddings, with \`lumin models key\`, or in LUMIN_OPENAI_API_KEY`,
    { model: modelId },
  );
}
