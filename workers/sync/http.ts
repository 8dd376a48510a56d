/**
 * The sync client's HTTP calls: JSON over fetch with a timeout, the answer parsed with the protocol's
 * schema. A failure says whether retrying can help (network errors, 429, 5xx) or not (4xx: a bad
 * token or a refused payload needs a person; an answer that does not fit the protocol, a server bug).
 */
import type { z } from 'zod';
import { describeIssues } from '../../shared/contract/issues';
import type { SyncErrorBody } from '../../shared/sync/protocol';
import { egressFetch } from '../egress/fetch';

/** A failed call. */
export class SyncCallError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 for a network failure or timeout. */
    readonly status: number,
    /** Whether the same request may succeed later. */
    readonly retryable: boolean,
    /** The server's `Retry-After`, in ms, when it gave one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** One JSON request; `schema` is the answer's, from shared/sync/protocol.ts. */
export async function callJson<S extends z.ZodType>(
  baseUrl: string,
  path: string,
  options: {
    schema: S;
    method?: 'GET' | 'POST' | 'DELETE';
    token?: string | null;
    body?: unknown;
    timeoutMs?: number;
    signal?: AbortSignal;
  },
): Promise<z.output<S>> {
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let response: Response;
  try {
    // Through the egress module: the token goes to the server's own origin only.
    const send = egressFetch({
      kind: 'sync',
      credential: options.token ? { origin: new URL(url).origin, token: options.token } : null,
    });
    response = await send(url, {
      method: options.method ?? 'GET',
      headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal,
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new SyncCallError(
      `${path}: cannot reach ${baseUrl} (${cause ?? (error as Error).message})`,
      0,
      true,
    );
  }
  const text = await response.text().catch(() => '');
  if (response.ok) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new SyncCallError(
        `${path}: the server answered ${response.status} with no JSON`,
        response.status,
        true,
      );
    }
    const parsed = options.schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new SyncCallError(
      `${path}: the server's answer does not fit the sync protocol: ${describeIssues(parsed.error.issues, { root: '(body)' })}`,
      response.status,
      false,
    );
  }
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as SyncErrorBody).message;
  } catch {
    // Not the error shape (a proxy's page): the raw start of the body says enough.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryable = response.status === 429 || response.status >= 500;
  throw new SyncCallError(
    `${path}: the server answered ${response.status}: ${message}`,
    response.status,
    retryable,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
  );
}
