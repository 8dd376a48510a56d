/**
 * What the db worker offers the host's embedding runner (internal operations `embedQueue.*`): claim
 * an `embed` job, fetch the next texts, store vectors, finish or fail. Each step is one call through
 * the worker's serial queue, so users' calls interleave with a long re-embed instead of waiting for it.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Job } from '../../../shared/contract/domain';
import type { EmbedCheckpoint } from '../../../shared/contract/internal';
import { claimNextJob, enqueueJob, finishJob, jobFromRow, loadJob, reportProgress } from '../jobs';
import { countStale, nextBatch, storeBatch } from './queue';
import type { HandlerSlice, WorkerContext } from '../handlers/types';
import { ensureIndex } from './vectors';
import { activeModel } from './active-model';

/** The job kind of the embedding queue. */
export const EMBED_JOB = 'embed';

/** What an `embed` job's payload holds. */
export interface EmbedJobPayload {
  model: string;
  /** Make this model the active one when the pass completes (a model switch). */
  activate?: boolean;
}

/** Enqueues a pass for `model` (one unfinished job per model); returns it. */
export async function enqueueEmbed(
  db: PGlite,
  payload: EmbedJobPayload,
): Promise<{ job: Job; created: boolean }> {
  const queued = await enqueueJob(db, {
    kind: EMBED_JOB,
    payload: { ...payload },
    dedupeKey: `${EMBED_JOB}:${payload.model}`,
    maxAttempts: 5,
  });
  // A switch asked while a plain pass for the same model waits: the waiting job now switches too.
  if (!queued.created && payload.activate && queued.job.payload.activate !== true) {
    await db.query(`UPDATE jobs SET payload = payload || '{"activate": true}'::jsonb WHERE id = $1`, [
      queued.job.id,
    ]);
    return { job: await loadJob(db, queued.job.id), created: false };
  }
  return queued;
}

/** The `embedQueue.*` operations: one step of a pass each, queued like any call. */
export const embedQueueHandlers = {
  /** Enqueues a pass for the active model when anything is missing or stale; returns the job id. */
  async 'embedQueue.ensure'(_input, { db, emit }) {
    const model = await activeModel(db);
    if ((await countStale(db, model)) === 0) return null;
    const { job, created } = await enqueueEmbed(db, { model });
    if (created) emit('data.changed', { entity: 'jobs', op: 'insert', ids: [job.id] });
    return job.id;
  },

  /** Claims the oldest ready `embed` job; sets up its checkpoint on first claim. */
  async 'embedQueue.claim'(_input, { db, emit }) {
    const row = await claimNextJob(db, [EMBED_JOB]);
    if (!row) return null;
    const payload = row.payload as unknown as EmbedJobPayload;
    let checkpoint = row.checkpoint as EmbedCheckpoint | null;
    if (!checkpoint) {
      const total = await countStale(db, payload.model);
      checkpoint = { cursor: { phase: 'book', after: '' }, total, done: 0, embedded: 0 };
      await reportProgress(db, row.id, 0, `embedding ${total} records`, checkpoint);
    }
    progress(emit, jobFromRow({ ...row, progress_message: `embedding with ${payload.model}` }));
    return { jobId: row.id, model: payload.model, activate: payload.activate === true, checkpoint };
  },

  /**
   * The next texts to embed (at most `limit` owners looked at per round), or `items: []` when the
   * walk is over. Unchanged owners advance the checkpoint without a vector. Also returns the job's
   * state, so a pause or cancel stops the runner.
   */
  async 'embedQueue.next'({ jobId, model, checkpoint, limit }, { db }) {
    let current = checkpoint;
    for (;;) {
      const batch = await nextBatch(db, model, current, limit);
      const next: EmbedCheckpoint = batch.cursor
        ? { ...current, cursor: batch.cursor, done: current.done + batch.looked }
        : current;
      if (batch.items.length > 0 || !batch.cursor) {
        const state = (await loadJob(db, jobId)).state;
        return { items: batch.items, checkpoint: next, finished: !batch.cursor, state };
      }
      // Progress only, not the cursor: the runner may still be storing an earlier batch, and a
      // cursor committed past it would skip that batch after a crash. (Unchanged owners were just
      // marked fresh, so a resumed walk passes them quickly anyway.)
      const state = await reportProgress(
        db,
        jobId,
        next.total > 0 ? Math.min(0.99, next.done / next.total) : 0.5,
        `embedded ${next.embedded} of ${next.total}`,
      );
      if (state !== 'running') return { items: [], checkpoint: next, finished: false, state };
      current = next;
    }
  },

  /** Stores vectors with the new checkpoint; returns the job's state. */
  async 'embedQueue.store'({ jobId, model, items, vectors, checkpoint }, { db, emit, recommend }) {
    const state = await storeBatch(db, jobId, model, items, vectors, checkpoint);
    // The serving memory's vectors stay in step without a re-read.
    const books = items.flatMap((item, index) => (item.kind === 'book' ? [index] : []));
    recommend.memory.vectorMemory.stored(
      model.id,
      books.flatMap((index) => items[index]?.id ?? []),
      books.flatMap((index) => vectors[index] ?? []),
    );
    emit('job.progress', {
      id: jobId,
      kind: EMBED_JOB,
      state: state as Job['state'],
      progress: checkpoint.total > 0 ? Math.min(0.99, checkpoint.done / checkpoint.total) : 0.5,
      message: `embedded ${checkpoint.embedded} of ${checkpoint.total}`,
    });
    emit('data.changed', { entity: 'embeddings', op: 'insert', ids: [] });
    return state;
  },

  /**
   * Completes a pass: records the model as complete, switches to it if asked (atomically with the
   * job's success), then builds its HNSW index if missing.
   */
  async 'embedQueue.finish'({ jobId, model, activate }, { db, emit }) {
    const job = await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO embedding_models (id, provider, dimension, completed_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (id) DO UPDATE SET dimension = excluded.dimension, completed_at = now()`,
        [model.id, model.provider, model.dimension],
      );
      if (activate)
        await tx.query(
          `INSERT INTO settings (key, value) VALUES ('embeddings.model', $1::jsonb)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
          [JSON.stringify(model.id)],
        );
      return finishJob(tx, jobId, { ok: true });
    });
    const indexBuilt = await ensureIndex(db, model.id, model.dimension);
    progress(emit, job);
    emit('data.changed', { entity: 'jobs', op: 'update', ids: [jobId] });
    emit('data.changed', { entity: 'embeddings', op: 'update', ids: [] });
    if (activate) emit('data.changed', { entity: 'settings', op: 'update', ids: ['embeddings.model'] });
    return { activated: activate, indexBuilt };
  },

  /**
   * Records a failed attempt. `permanent` failures (a bad key, a missing model) fail the job at once
   * instead of retrying with backoff. Returns when the job may run again (ms from now), or null.
   */
  async 'embedQueue.fail'({ jobId, message, permanent }, { db, emit }) {
    if (permanent) await db.query('UPDATE jobs SET attempts = max_attempts WHERE id = $1', [jobId]);
    const job = await finishJob(db, jobId, { ok: false, error: message });
    progress(emit, job);
    emit('data.changed', { entity: 'jobs', op: 'update', ids: [jobId] });
    if (job.state !== 'queued') return null;
    const row = await db.query<{ wait: number }>(
      'SELECT greatest(0, extract(epoch FROM run_after - now()) * 1000)::float8 AS wait FROM jobs WHERE id = $1',
      [jobId],
    );
    return row.rows[0]?.wait ?? 0;
  },

  /** Puts a running job back in the queue (the host is closing); its checkpoint is kept. */
  async 'embedQueue.release'({ jobId }, { db }) {
    await db.query(
      "UPDATE jobs SET state = 'queued', attempts = greatest(0, attempts - 1), updated_at = now() WHERE id = $1 AND state = 'running'",
      [jobId],
    );
  },
} satisfies HandlerSlice<'embedQueue'>;

function progress(emit: WorkerContext['emit'], job: Job): void {
  emit('job.progress', {
    id: job.id,
    kind: job.kind,
    state: job.state,
    progress: job.progress,
    message: job.state === 'failed' ? job.lastError : job.progressMessage,
  });
}
