/**
 * The push loop, independent of where the outbox lives (the db worker for a device, memory for the
 * benchmark): claim the oldest batch, POST it, acknowledge it only after the server answered, retry
 * the same batch with backoff and jitter on failure. A batch whose answer was lost is sent again and
 * counted as duplicates by the server, so nothing is lost or stored twice.
 */
import { type PushResponse, type SyncEvent, pushResponseSchema } from '../../shared/sync/protocol';
import { type Backoff, DEFAULT_BACKOFF, backoffDelay } from '../../shared/egress/backoff';
import { sleep } from './sleep';
import { SyncCallError, callJson } from './http';

/** Where the events come from. */
export interface PushSource {
  claim(limit: number): Promise<{ ids: number[]; events: SyncEvent[] }>;
  ack(ids: number[]): Promise<void>;
}

/** Options of {@link pushAll}. */
export interface PushOptions {
  serverUrl: string;
  token: string;
  batchSize?: number;
  /** Attempts per batch before giving up. */
  attempts?: number;
  backoff?: Backoff;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each request's duration (ms), for the benchmark's percentiles. */
  onRequest?: (ms: number, outcome: 'ok' | 'failed') => void;
  /** Called before each retry. */
  onRetry?: (error: SyncCallError, attempt: number) => void;
  /** Sends one request; the default POSTs `/v1/interactions` (the benchmark injects disconnects). */
  send?: (events: SyncEvent[], signal: AbortSignal | undefined) => Promise<PushResponse>;
}

/** What {@link pushAll} did. */
export interface PushTotals {
  accepted: number;
  duplicates: number;
  batches: number;
  retries: number;
  /** The error it gave up on, or null when the outbox is empty. */
  error: SyncCallError | null;
}

/** Pushes until the source is empty, or a batch fails `attempts` times or cannot succeed (4xx). */
export async function pushAll(source: PushSource, options: PushOptions): Promise<PushTotals> {
  const totals: PushTotals = { accepted: 0, duplicates: 0, batches: 0, retries: 0, error: null };
  const attempts = options.attempts ?? 6;
  const send =
    options.send ??
    ((events: SyncEvent[], signal: AbortSignal | undefined) =>
      callJson(options.serverUrl, '/v1/interactions', {
        schema: pushResponseSchema,
        method: 'POST',
        token: options.token,
        body: { events },
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(signal ? { signal } : {}),
      }));
  for (;;) {
    if (options.signal?.aborted) return totals;
    const batch = await source.claim(options.batchSize ?? 500);
    if (batch.events.length === 0) {
      if (batch.ids.length > 0) await source.ack(batch.ids);
      return totals;
    }
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        const answer = await send(batch.events, options.signal);
        options.onRequest?.(performance.now() - started, 'ok');
        await source.ack(batch.ids);
        totals.accepted += answer.accepted;
        totals.duplicates += answer.duplicates;
        totals.batches += 1;
        break;
      } catch (caught) {
        options.onRequest?.(performance.now() - started, 'failed');
        const error =
          caught instanceof SyncCallError ? caught : new SyncCallError((caught as Error).message, 0, true);
        if (!error.retryable || attempt + 1 >= attempts || options.signal?.aborted) {
          totals.error = error;
          return totals;
        }
        totals.retries += 1;
        options.onRetry?.(error, attempt);
        const wait = Math.max(
          error.retryAfterMs ?? 0,
          backoffDelay(attempt, options.backoff ?? DEFAULT_BACKOFF),
        );
        await sleep(wait, options.signal);
      }
    }
  }
}
