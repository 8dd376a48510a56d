/**
 * Sending erase requests: `DELETE /v1/readers/:hash` with the device's token, one per erased or
 * rotated pseudonym, oldest first. A 200 (`{pseudonym, erased: true}`, also when the server held
 * nothing) drops the request. A 404 means the server has no such route yet: the requests stay queued
 * and the rest wait for a later push. Any other failure (401 a revoked token, 403 a pseudonym of
 * another device, 5xx, no network) also keeps them queued and is reported, since an erase must never
 * be dropped unconfirmed.
 */
import type { EraseRequest } from '../db/sync/erase-requests';
import { eraseResponseSchema } from '../../shared/sync/protocol';
import { SyncCallError, callJson } from './http';

/** What {@link sendErasures} did. */
export interface ErasureTotals {
  erased: number;
  /** Still queued. */
  waiting: number;
  /** True when the server answered 404 (no erase route yet). */
  unsupported: boolean;
  /** The failure that stopped it, other than "not supported yet". */
  error: SyncCallError | null;
}

/** Sends the waiting erase requests until one fails. */
export async function sendErasures(
  source: { pending(): Promise<EraseRequest[]>; done(ids: number[]): Promise<void> },
  options: { serverUrl: string; token: string; signal?: AbortSignal },
): Promise<ErasureTotals> {
  const requests = await source.pending();
  const totals: ErasureTotals = { erased: 0, waiting: requests.length, unsupported: false, error: null };
  for (const request of requests) {
    try {
      await callJson(options.serverUrl, `/v1/readers/${encodeURIComponent(request.reader)}`, {
        schema: eraseResponseSchema,
        method: 'DELETE',
        token: options.token,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (caught) {
      const error =
        caught instanceof SyncCallError ? caught : new SyncCallError((caught as Error).message, 0, true);
      if (error.status === 404) totals.unsupported = true;
      else totals.error = error;
      return totals;
    }
    await source.done([request.id]);
    totals.erased += 1;
    totals.waiting -= 1;
  }
  return totals;
}
