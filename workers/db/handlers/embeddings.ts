/** Embeddings and models as the contract shows them: status, queueing a pass, similar books, switching. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from '../../../shared/contract/domain';
import type { EmbeddingModelInfo, ModelAvailability } from '../../../shared/contract/embeddings';
import { LuminFailure } from '../../../shared/contract/errors';
import { CATALOGUE_MODEL_IDS, type ModelSpec, parseModelId } from '../../../shared/embed/models';
import { type Context, type Sql, isoOrNull } from '../context';
import type { HandlerSlice } from './types';
import { type JobRow, jobFromRow } from '../jobs';
import { activeModel } from '../embeddings/active-model';
import { EMBED_JOB, enqueueEmbed } from '../embeddings/runner-api';
import { countStale } from '../embeddings/queue';
import { indexName, nearestBooks, parseVector } from '../embeddings/vectors';
import { bundledModelsDir, downloadedMarker } from '../layout';
import { bookFromRow } from './books';

function spec(id: string): ModelSpec {
  const parsed = parseModelId(id);
  if ('error' in parsed) throw new LuminFailure('invalid_argument', parsed.error, { model: id });
  return parsed.spec;
}

/** Whether the model's files are here (keys are the host's business: it refines `openai` models). */
export function availability(model: ModelSpec, dataDir: string): ModelAvailability {
  if (model.source === 'bundled')
    return existsSync(join(bundledModelsDir(), model.name, 'tokenizer.json')) ? 'ready' : 'missing';
  if (model.source === 'folder')
    return existsSync(join(model.name, 'config.json')) && existsSync(join(model.name, 'tokenizer.json'))
      ? 'ready'
      : 'missing';
  if (model.source === 'hub')
    return existsSync(downloadedMarker(dataDir, model.name, model.revision ?? 'main')) ? 'ready' : 'download';
  return 'ready';
}

async function unfinishedJobs(sql: Sql): Promise<Job[]> {
  const rows = await sql.query<JobRow>(
    "SELECT * FROM jobs WHERE kind = $1 AND state IN ('queued','running','paused') ORDER BY created_at",
    [EMBED_JOB],
  );
  return rows.rows.map(jobFromRow);
}

async function modelInfos(context: Context): Promise<EmbeddingModelInfo[]> {
  const active = await activeModel(context.db);
  const [known, counts, jobs, indexes] = await Promise.all([
    context.db.query<{ id: string; dimension: number | null; completed_at: Date | null }>(
      'SELECT id, dimension, completed_at FROM embedding_models',
    ),
    context.db.query<{ model_id: string; owner_kind: string; n: number; dimension: number }>(
      'SELECT model_id, owner_kind, count(*)::int AS n, max(dimension) AS dimension FROM embeddings GROUP BY 1, 2',
    ),
    unfinishedJobs(context.db),
    context.db.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'embeddings' AND indexname LIKE 'embeddings_hnsw_%'",
    ),
  ]);
  const indexed = new Set(indexes.rows.map((row) => row.indexname));
  const switching = new Set(
    jobs.filter((job) => job.payload.activate === true).map((job) => String(job.payload.model)),
  );
  const ids = [
    ...new Set([
      ...CATALOGUE_MODEL_IDS,
      active,
      ...jobs.map((job) => String(job.payload.model)),
      ...known.rows.map((row) => row.id),
      ...counts.rows.map((row) => row.model_id),
    ]),
  ];
  return ids.flatMap((id) => {
    const parsed = parseModelId(id);
    if ('error' in parsed) return [];
    const model = parsed.spec;
    const row = known.rows.find((candidate) => candidate.id === id);
    const vectors = { books: 0, readers: 0, tags: 0 };
    let dimension = row?.dimension ?? model.dimension ?? null;
    for (const count of counts.rows.filter((candidate) => candidate.model_id === id)) {
      vectors[`${count.owner_kind}s` as keyof typeof vectors] = count.n;
      dimension ??= count.dimension;
    }
    return [
      {
        id,
        label: model.label,
        provider: model.provider,
        dimension,
        availability: availability(model, context.dataDir),
        active: id === active,
        switching: switching.has(id) && id !== active,
        vectors,
        completedAt: isoOrNull(row?.completed_at),
        indexed: indexed.has(indexName(id)),
      },
    ];
  });
}

export const embeddingHandlers = {
  async 'embeddings.status'(_input, context) {
    const model = await activeModel(context.db);
    const [counts, stale, jobs] = await Promise.all([
      context.db.query<{ total: number; embedded: number }>(
        `SELECT (SELECT count(*)::int FROM books) AS total,
                (SELECT count(*)::int FROM embeddings WHERE owner_kind = 'book' AND model_id = $1) AS embedded`,
        [model],
      ),
      countStale(context.db, model),
      unfinishedJobs(context.db),
    ]);
    const switchJob = jobs.find((job) => job.payload.activate === true && job.payload.model !== model);
    return {
      activeModel: model,
      switchingTo: switchJob ? String(switchJob.payload.model) : null,
      books: counts.rows[0] ?? { total: 0, embedded: 0 },
      stale,
      jobs,
    };
  },

  async 'embeddings.queue'(input, context) {
    const model = input?.model ?? (await activeModel(context.db));
    const { job, created } = await enqueueEmbed(context.db, { model });
    if (created) context.changed({ entity: 'jobs', op: 'insert', ids: [job.id] });
    context.emit('job.queued', { id: job.id, kind: job.kind });
    return job;
  },

  async 'embeddings.similar'(input, context) {
    const model = await activeModel(context.db);
    const own = await context.db.query<{ embedding: string; dimension: number }>(
      `SELECT embedding::text AS embedding, dimension FROM embeddings
        WHERE owner_kind = 'book' AND owner_id = $1 AND model_id = $2`,
      [input.id, model],
    );
    const row = own.rows[0];
    if (!row) {
      const exists = await context.db.query('SELECT 1 FROM books WHERE id = $1', [input.id]);
      if (exists.rows.length === 0)
        throw new LuminFailure('not_found', `no book with id ${input.id}`, { id: input.id });
      throw new LuminFailure(
        'not_found',
        `book ${input.id} has no vector of model ${model} yet: run \`lumin embed\` (or wait for the background pass)`,
        { id: input.id, model },
      );
    }
    const nearest = await nearestBooks(
      context.db,
      model,
      row.dimension,
      parseVector(row.embedding),
      input.k,
      [input.id],
    );
    if (nearest.length === 0) return [];
    const books = await context.db.query<Parameters<typeof bookFromRow>[0]>(
      'SELECT * FROM books WHERE id = ANY($1::uuid[])',
      [nearest.map((item) => item.id)],
    );
    const byId = new Map(books.rows.map((book) => [book.id, bookFromRow(book)]));
    return nearest.flatMap((item) => {
      const book = byId.get(item.id);
      return book ? [{ book, score: item.score }] : [];
    });
  },

  async 'models.catalogue'(_input, context) {
    return modelInfos(context);
  },

  async 'models.queueSwitch'(input, context) {
    const model = spec(input.id);
    const state = availability(model, context.dataDir);
    if (state === 'missing')
      throw new LuminFailure('invalid_argument', `model ${model.id} cannot run here: its files are missing`, {
        model: model.id,
      });
    const active = await activeModel(context.db);
    const info = async () => (await modelInfos(context)).find((candidate) => candidate.id === model.id);
    if (active === model.id) return { model: (await info()) as EmbeddingModelInfo, job: null };
    const { job, created } = await enqueueEmbed(context.db, { model: model.id, activate: true });
    context.changed({ entity: 'jobs', op: created ? 'insert' : 'update', ids: [job.id] });
    context.emit('job.queued', { id: job.id, kind: job.kind });
    return { model: (await info()) as EmbeddingModelInfo, job };
  },
} satisfies HandlerSlice<'embeddings'> & HandlerSlice<'models'>;
