/**
 * The embed worker's service: loads providers (transformers.js or an OpenAI-compatible endpoint) and
 * embeds batches of texts off the main thread. Providers are cached by model id; a failure comes back
 * as a `Result` value carrying the provider's reason, so the runner can tell a bad key (stop) from a
 * busy endpoint (retry later).
 */
import { transfer } from 'comlink';
import { type ErrorCode, type Result, err, ok } from '../../shared/contract/errors';
import type { EventName, LuminEvents } from '../../shared/contract/events';
import { parseModelId } from '../../shared/embed/models';
import {
  type EmbeddingErrorReason,
  type EmbeddingProvider,
  EmbeddingError,
} from '../../shared/embed/provider';
import type { PayloadPart } from '../../shared/egress/destinations';
import { EgressRefused, assertCarries } from '../egress/fetch';
import { createOpenAiProvider } from './openai-provider';
import { type TransformersLocations, createTransformersProvider } from './transformers-provider';

/** What `load` needs besides the model id. */
export interface LoadRequest {
  modelId: string;
  /** transformers.js folders (the marker path is derived from `cacheDir`). */
  locations: Omit<TransformersLocations, 'markerPath'>;
  /** For `openai:` models. The key never leaves this worker except in the request's header. */
  openai?: { baseUrl: string; apiKey: string | null };
  /** Overrides a provider's batch size (benchmarks). */
  batchSize?: number;
}

/** A loaded model. */
export interface LoadedModel {
  id: string;
  dimension: number;
  batchSize: number;
  provider: 'bundled' | 'transformers' | 'openai';
  /** How long loading took. */
  loadMs: number;
}

const CODES: Record<EmbeddingErrorReason, ErrorCode> = {
  unauthorized: 'forbidden',
  rate_limited: 'io',
  unavailable: 'io',
  timeout: 'io',
  bad_response: 'io',
  model_missing: 'not_found',
  cancelled: 'cancelled',
};

function failure<T>(error: unknown, modelId: string): Result<T> {
  if (error instanceof EmbeddingError)
    return err(CODES[error.reason], error.message, {
      reason: error.reason,
      model: modelId,
      ...(error.status ? { status: error.status } : {}),
    });
  return err('internal', `model ${modelId}: ${(error as Error).message}`, { model: modelId });
}

/** Creates the service; `emit` posts events (download progress) to the host. */
export function createEmbedService(emit: <E extends EventName>(event: E, payload: LuminEvents[E]) => void) {
  const providers = new Map<string, { provider: Promise<EmbeddingProvider>; key: string; remote: boolean }>();
  // transformers.js keeps its settings in one global `env` that each load adjusts: loads run one at a time.
  let loading: Promise<unknown> = Promise.resolve();

  async function build(request: LoadRequest): Promise<EmbeddingProvider> {
    const parsed = parseModelId(request.modelId);
    if ('error' in parsed) throw new EmbeddingError('model_missing', parsed.error);
    const spec = request.batchSize ? { ...parsed.spec, batchSize: request.batchSize } : parsed.spec;
    if (spec.provider === 'openai')
      return createOpenAiProvider({
        model: spec.name,
        baseUrl: request.openai?.baseUrl ?? '',
        apiKey: request.openai?.apiKey ?? null,
        ...(request.batchSize ? { batchSize: request.batchSize } : {}),
      });
    const cacheDir = request.locations.cacheDir;
    const provider = await createTransformersProvider(
      spec,
      {
        ...request.locations,
        markerPath: (repo, revision) => `${cacheDir}/${repo}/${revision}/.lumin-complete`,
      },
      ({ done, ...progress }) =>
        emit('model.download', { model: spec.id, ...progress, status: done ? 'done' : 'progress' }),
    );
    return provider;
  }

  return {
    /** Loads (or reuses) the provider for `request.modelId`. */
    async load(request: LoadRequest): Promise<Result<LoadedModel>> {
      const started = performance.now();
      // A changed key or endpoint must not reuse a client made with the old one.
      const key = JSON.stringify([
        request.openai?.baseUrl ?? null,
        request.openai?.apiKey ?? null,
        request.batchSize ?? 0,
      ]);
      let entry = providers.get(request.modelId);
      if (!entry || entry.key !== key) {
        if (entry) void entry.provider.then((provider) => provider.dispose?.()).catch(() => undefined);
        const provider = loading.then(() => build(request));
        loading = provider.catch(() => undefined);
        const parsed = parseModelId(request.modelId);
        entry = { provider, key, remote: 'spec' in parsed && parsed.spec.provider === 'openai' };
        providers.set(request.modelId, entry);
      }
      try {
        const provider = await entry.provider;
        const parsed = parseModelId(request.modelId);
        return ok({
          id: provider.id,
          dimension: provider.dimension,
          batchSize: provider.batchSize,
          provider: 'spec' in parsed ? parsed.spec.provider : 'transformers',
          loadMs: performance.now() - started,
        });
      } catch (error) {
        providers.delete(request.modelId);
        return failure(error, request.modelId);
      }
    },

    /**
     * Embeds `texts` with a loaded model; the vectors' buffers are transferred, not copied. `parts`
     * says what each text is: a remote endpoint takes catalogue texts only (the egress table), so a
     * remote model refuses texts without it or with a reader's profile among them.
     */
    async embed(modelId: string, texts: string[], parts?: PayloadPart[]): Promise<Result<Float32Array[]>> {
      const entry = providers.get(modelId);
      if (!entry) return err('invalid_argument', `model ${modelId} is not loaded in the embed worker`);
      try {
        if (entry.remote) {
          if (!parts || parts.length !== texts.length)
            throw new EgressRefused(
              'embeddings',
              'a remote model embeds only texts declared as catalogue texts',
            );
          assertCarries('embeddings', new Set(parts));
        }
        const vectors = await (await entry.provider).embed(texts);
        return transfer(
          ok(vectors),
          vectors.map((vector) => vector.buffer as ArrayBuffer),
        );
      } catch (error) {
        if (error instanceof EgressRefused) return err('forbidden', error.message, { model: modelId });
        return failure(error, modelId);
      }
    },

    /** Frees every model. */
    async close(): Promise<void> {
      const all = [...providers.values()];
      providers.clear();
      await Promise.all(
        all.map((entry) => entry.provider.then((provider) => provider.dispose?.()).catch(() => undefined)),
      );
    },
  };
}

/** The service's type, as the host sees it through comlink. */
export type EmbedService = ReturnType<typeof createEmbedService>;
