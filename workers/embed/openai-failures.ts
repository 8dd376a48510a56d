/**
 * How the OpenAI provider reads a failure: which EmbeddingError to report and whether another attempt
 * may help. Messages carry only the endpoint, the model, the status and short identifiers, never the
 * server's own text (OpenAI's 401 message echoes part of the key; other servers may echo input).
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { EmbeddingError } from '../../shared/embed/provider';

/** A classified SDK failure: the error to report, and whether another attempt may help. */
export type Failure =
  { retry: true; error: EmbeddingError; retryAfterMs?: number } | { retry: false; error: EmbeddingError };

/** Turns whatever the SDK threw into an EmbeddingError, and says whether another attempt may help. */
export function classify(
  error: unknown,
  signal: AbortSignal,
  where: { shown: string; model: string; timeoutMs: number; attempts: number },
): Failure {
  const { shown, model, timeoutMs, attempts } = where;
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  if (error instanceof EmbeddingError) return { retry: false, error };
  if (error instanceof APIUserAbortError || signal.aborted) return { retry: false, error: cancelled() };
  if (error instanceof APIConnectionTimeoutError)
    return {
      retry: true,
      error: new EmbeddingError(
        'timeout',
        `the OpenAI-compatible endpoint at ${shown} did not answer within ${timeoutMs} ms (${tries})`,
      ),
    };
  if (error instanceof APIConnectionError) {
    const code = errorCode(error.cause);
    return {
      retry: true,
      error: new EmbeddingError(
        'unavailable',
        `could not reach the OpenAI-compatible endpoint at ${shown}${code ? ` (${code})` : ''} after ${tries}: is the server running?`,
      ),
    };
  }
  if (!(error instanceof APIError) || error.status === undefined)
    // Not JSON, or the SDK choked on the body: the server answered, but not like OpenAI.
    return { retry: false, error: bad(shown, 'the response could not be read') };

  const status = error.status;
  const detail = [identifier(error.type), identifier(error.code)].filter(Boolean).join(', ');
  const suffix = detail ? `${status} ${detail}` : String(status);
  if (status === 401 || status === 403)
    return {
      retry: false,
      error: new EmbeddingError(
        'unauthorized',
        `the OpenAI-compatible endpoint at ${shown} refused the API key (${status}): check the key in Settings → Embeddings or LUMIN_OPENAI_API_KEY`,
        status,
      ),
    };
  if (status === 404 || error.code === 'model_not_found' || modelMissingMessage(error))
    return {
      retry: false,
      error: new EmbeddingError(
        'model_missing',
        `the OpenAI-compatible endpoint at ${shown} has no model '${model}' (${suffix}): check the model name, pull it (e.g. \`ollama pull ${model}\`), and that the base URL ends in /v1`,
        status,
      ),
    };
  if (status === 429) {
    const quota = error.code === 'insufficient_quota';
    const message = quota
      ? `the OpenAI account behind ${shown} has no quota left (429 insufficient_quota): check its billing`
      : `the OpenAI-compatible endpoint at ${shown} is rate limiting requests (429 after ${tries}): try again later`;
    const retryAfterMs = retryAfter(error.headers);
    const failure = new EmbeddingError('rate_limited', message, status);
    return quota
      ? { retry: false, error: failure }
      : { retry: true, error: failure, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status === 408)
    return {
      retry: true,
      error: new EmbeddingError(
        'timeout',
        `the OpenAI-compatible endpoint at ${shown} timed out (408 after ${tries})`,
        status,
      ),
    };
  if (status >= 500) {
    const retryAfterMs = retryAfter(error.headers);
    return {
      retry: true,
      error: new EmbeddingError(
        'unavailable',
        `the OpenAI-compatible endpoint at ${shown} is unavailable (HTTP ${suffix} after ${tries})`,
        status,
      ),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  // 400, 413, 422 …: the request itself is wrong (too long a text, too big a batch); resending can't help.
  return {
    retry: false,
    error: new EmbeddingError(
      'bad_response',
      `the OpenAI-compatible endpoint at ${shown} rejected the request (${suffix}): a text may be too long or the batch too big`,
      status,
    ),
  };
}

/** Some servers (LM Studio, older Ollama) answer a missing model with 400 rather than 404. */
export function modelMissingMessage(error: APIError): boolean {
  const body: unknown = error.error;
  const message = typeof body === 'string' ? body : (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && /model\b.*\b(not found|does not exist|not loaded)/i.test(message);
}

/** The server's requested wait (retry-after-ms wins over Retry-After), if it gave a usable one. */
export function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export function cancelled(): EmbeddingError {
  return new EmbeddingError('cancelled', 'the embedding request was cancelled');
}

export function bad(shown: string, what: string): EmbeddingError {
  return new EmbeddingError(
    'bad_response',
    `the OpenAI-compatible endpoint at ${shown} sent a bad response: ${what}`,
  );
}

/** Error codes such as ECONNREFUSED: short identifiers, safe to show. */
export function errorCode(cause: unknown): string | undefined {
  for (let current = cause, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && identifier(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `value` when it is a short identifier (an error type or code), never free text that could echo input. */
export function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined;
}
