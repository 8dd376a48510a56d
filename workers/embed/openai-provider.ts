/**
 * The embedding provider for OpenAI and any OpenAI-compatible endpoint (Ollama at
 * http://localhost:11434/v1, LM Studio at http://localhost:1234/v1, Jan, LiteLLM …), over the official
 * `openai` SDK's `embeddings.create`.
 *
 * Privacy: this module sends exactly the texts it is given and never logs. Error messages name the
 * endpoint, the model and the HTTP status, never the API key, a text being embedded, or the server's
 * own error message (OpenAI's 401 message echoes part of the key; other servers may echo input).
 *
 * Retries are ours, not the SDK's (the client is built with `maxRetries: 0`): the SDK also retries
 * 408/409, obeys a server's `x-should-retry: true` even on a 401, and ignores a Retry-After over 60 s
 * instead of capping it. Here 408, 429 (except `insufficient_quota`), 5xx, connection errors and
 * timeouts are retried with the shared back-off (shared/egress/backoff.ts); 400/401/403/404 never are.
 */
import {
  type AbortSignalLike,
  EmbeddingError,
  type EmbeddingProvider,
  normalise,
} from '../../shared/embed/provider';
import { backoffDelay } from '../../shared/egress/backoff';
import { OPENAI_BASE_URL } from '../../shared/egress/destinations';
import { destinationProblem } from '../egress/fetch';
import { openAiClient } from '../egress/openai-client';
import { bad, cancelled, classify } from './openai-failures';

/** OpenAI's own endpoint: the only one that needs a key. */
export { OPENAI_BASE_URL };

/** Dimensions of OpenAI's models, used without a probe call when the endpoint is OpenAI's. */
export const OPENAI_MODEL_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** Backoff tuning. The defaults suit OpenAI; tests shrink them. */
export interface RetryTiming {
  /** First retry waits between half this and this; each later one doubles it (default 500 ms). */
  baseDelayMs?: number;
  /** Longest computed backoff (default 8 s). */
  maxDelayMs?: number;
  /** Longest wait a server's Retry-After / retry-after-ms may ask for; longer asks are capped (default 60 s). */
  maxRetryAfterMs?: number;
}

/** How to reach the endpoint. */
export interface OpenAiProviderOptions {
  /** The endpoint's model name (default `text-embedding-3-small`). */
  model?: string;
  /** The endpoint, ending in `/v1` for the local servers (default OpenAI's). */
  baseUrl?: string;
  /**
   * The key, sent only to `baseUrl`'s origin (by the egress module); local servers need none, OpenAI's
   * endpoint refuses to start without.
   */
  apiKey?: string | null;
  /** Texts per request (default 256 for OpenAI, 64 for other endpoints, which are often a laptop CPU). */
  batchSize?: number;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  /** Retries of a transient failure after the first attempt (default 5). */
  maxRetries?: number;
  /** The dimension, when the caller already knows it: skips the probe call (responses are still checked). */
  dimension?: number;
  /** Backoff tuning. */
  retry?: RetryTiming;
}

const PROBE_TEXT = 'dimension probe';
/** OpenAI's cap on inputs per request. */
const MAX_BATCH = 2048;

/**
 * Makes a provider for `options.model` at `options.baseUrl`. The returned provider's `dimension` is
 * final: known OpenAI models use their published size, anything else costs one probe request
 * (which also surfaces a wrong key, a missing model or a stopped server here rather than mid-queue).
 *
 * @throws EmbeddingError `unauthorized` at once when the endpoint is OpenAI's and there is no key;
 *   any probe failure (see {@link OpenAiProviderOptions}); RangeError for nonsensical options.
 */
export async function createOpenAiProvider(
  options: OpenAiProviderOptions = {},
  signal?: AbortSignalLike,
): Promise<EmbeddingProvider> {
  const model = (options.model ?? 'text-embedding-3-small').trim();
  if (!model) throw new RangeError('openai provider: the model name is empty');
  const baseUrl = (options.baseUrl?.trim() || OPENAI_BASE_URL).replace(/\/+$/, '');
  const shown = displayUrl(baseUrl);
  const isOpenAi = isOpenAiHost(baseUrl);
  const apiKey = options.apiKey?.trim() || null;
  if (isOpenAi && !apiKey)
    throw new EmbeddingError(
      'unauthorized',
      `no OpenAI API key: set LUMIN_OPENAI_API_KEY or save a key in Settings → Embeddings (or point the base URL at a local server such as Ollama, http://localhost:11434/v1)`,
    );
  const batchSize = positiveInteger('batchSize', options.batchSize ?? (isOpenAi ? 256 : 64), MAX_BATCH);
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? 60_000);
  const maxRetries = options.maxRetries ?? 5;
  if (!Number.isInteger(maxRetries) || maxRetries < 0)
    throw new RangeError(`openai provider: maxRetries must be a whole number ≥ 0, not ${maxRetries}`);
  const timing = {
    baseDelayMs: options.retry?.baseDelayMs ?? 500,
    maxDelayMs: options.retry?.maxDelayMs ?? 8_000,
    maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 60_000,
  };

  const problem = destinationProblem(baseUrl);
  if (problem) throw new EmbeddingError('unauthorized', `${shown}: ${problem}`);
  const client = openAiClient({
    kind: 'embeddings',
    baseUrl,
    credential: apiKey ? { origin: new URL(baseUrl).origin, token: apiKey } : null,
    timeoutMs,
    maxRetries: 0,
  });
  const disposed = new AbortController();

  /** One request with retries; returns raw, unchecked vectors. */
  async function request(texts: readonly string[], signal: AbortSignal): Promise<unknown[]> {
    // OpenAI rejects an empty string; a single space embeds as "nothing in particular".
    const input = texts.map((text) => (text.length === 0 ? ' ' : text));
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await (
          await client
        ).embeddings.create({ model, input, encoding_format: 'float' }, { signal });
        return orderedEmbeddings(response as unknown, texts.length, shown);
      } catch (error) {
        const failure = classify(error, signal, { shown, model, timeoutMs, attempts: attempt + 1 });
        if (!failure.retry || attempt >= maxRetries) throw failure.error;
        // The server's ask (capped) wins over the computed back-off.
        const wait =
          failure.retryAfterMs === undefined
            ? backoffDelay(attempt, { baseMs: timing.baseDelayMs, maxMs: timing.maxDelayMs })
            : Math.min(failure.retryAfterMs, timing.maxRetryAfterMs);
        await sleep(wait, signal);
      }
    }
  }

  /** Checks and normalises one batch's vectors against `dimension`. */
  function vectors(raw: unknown[], dimension: number): Float32Array[] {
    return raw.map((embedding, index) => {
      if (!Array.isArray(embedding))
        throw bad(shown, `item ${index} has no numeric embedding (did the server ignore encoding_format?)`);
      if (embedding.length !== dimension)
        throw bad(shown, `item ${index} has ${embedding.length} dimensions, expected ${dimension}`);
      const vector = new Float32Array(dimension);
      for (let at = 0; at < dimension; at++) {
        const value: unknown = embedding[at];
        if (typeof value !== 'number' || !Number.isFinite(value))
          throw bad(shown, `item ${index} holds a value that is not a finite number`);
        vector[at] = value;
      }
      // A zero vector would make every cosine NaN downstream; no real model returns one.
      if (vector.every((value) => value === 0)) throw bad(shown, `item ${index} is an all-zero vector`);
      return normalise(vector);
    });
  }

  const known = options.dimension ?? (isOpenAi ? OPENAI_MODEL_DIMENSIONS[model] : undefined);
  let dimension: number;
  if (known !== undefined) {
    dimension = positiveInteger('dimension', known);
  } else {
    // Local servers may alias any name to any model, so only a real vector tells the dimension.
    const [probe] = await linked(signal, disposed.signal, (joined) => request([PROBE_TEXT], joined));
    dimension = Array.isArray(probe) ? probe.length : 0;
    if (dimension === 0) throw bad(shown, 'the probe request returned no numeric embedding');
    vectors([probe], dimension);
  }

  return {
    id: `openai:${model}`,
    dimension,
    batchSize,
    embed: (texts, callerSignal) =>
      linked(callerSignal, disposed.signal, async (signal) => {
        const out: Float32Array[] = [];
        // One request at a time: parallel batches would only meet the rate limit sooner.
        for (let start = 0; start < texts.length; start += batchSize) {
          if (signal.aborted) throw cancelled();
          const batch = texts.slice(start, start + batchSize);
          out.push(...vectors(await request(batch, signal), dimension));
        }
        return out;
      }),
    async dispose() {
      disposed.abort();
    },
  };
}

/** The response's embeddings in input order; `bad_response` when the shape or count is wrong. */
function orderedEmbeddings(response: unknown, count: number, shown: string): unknown[] {
  const data = (response as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw bad(shown, 'the response has no data list');
  if (data.length !== count) throw bad(shown, `it returned ${data.length} embeddings for ${count} texts`);
  const out: unknown[] = new Array<unknown>(count);
  const seen = new Set<number>();
  data.forEach((item: unknown, position) => {
    const record = (item ?? {}) as { index?: unknown; embedding?: unknown };
    // OpenAI and Ollama send `index`; a server that omits it is taken to answer in order.
    const index = record.index === undefined ? position : record.index;
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= count ||
      seen.has(index)
    )
      throw bad(shown, `item ${position} has a missing, repeated or out-of-range index`);
    seen.add(index);
    out[index] = record.embedding;
  });
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `work` with one real AbortSignal (the SDK needs one) that fires when the caller's signal-like
 * or the provider's own (aborted by `dispose`) does. The listeners are removed afterwards, so a
 * long-lived caller signal passed to many calls does not collect them.
 */
async function linked<T>(
  caller: AbortSignalLike | undefined,
  own: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (!caller) return work(own);
  const joined = new AbortController();
  const abort = () => joined.abort();
  if (caller.aborted || own.aborted) abort();
  caller.addEventListener('abort', abort, { once: true });
  own.addEventListener('abort', abort, { once: true });
  try {
    return await work(joined.signal);
  } finally {
    caller.removeEventListener('abort', abort);
    own.removeEventListener('abort', abort);
  }
}

/** True for OpenAI's own hosts (including regional ones such as eu.api.openai.com). */
function isOpenAiHost(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'api.openai.com' || host.endsWith('.api.openai.com');
  } catch {
    return false;
  }
}

/** The base URL for messages, without any user:password@ or query string someone put in it. */
function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
  } catch {
    throw new RangeError(
      'openai provider: the base URL is not a URL (expected e.g. http://localhost:11434/v1)',
    );
  }
}

function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new RangeError(`openai provider: ${name} must be a whole number from 1 to ${max}, not ${value}`);
  return value;
}
