/**
 * A store slice that mirrors one read of the core (`status.get`, `readers.list`…) and can refresh
 * itself. Refreshes are coalesced: a bulk import emits many `data.changed` events, and while one
 * load is in flight further requests collapse into a single follow-up load, so the slice never
 * shows an older answer after a newer one and never floods the core.
 */
import { type StoreApi, createStore } from 'zustand/vanilla';
import type { LuminErrorShape, Result } from '../../../shared/contract/errors';

/** The state of a query slice. */
export interface QueryState<T> {
  /** The last successful answer (kept while a refresh runs or after a failed one). */
  data: T | null;
  /** The failure of the last load, or null when it succeeded. */
  error: LuminErrorShape | null;
  /** True until the first load settles. */
  loading: boolean;
  /** Loads again; resolves when the slice reflects a load started after this call. */
  refresh(): Promise<void>;
}

/** Turns a thrown transport failure (the bridge itself broke) into the contract's error shape. */
export function thrownToError(method: string, error: unknown): LuminErrorShape {
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'LuminError', code: 'internal', message: `${method}: ${message}` };
}

/** Runs one call of the bridge; a throw (the transport broke) becomes a failed Result naming `method`. */
export async function settle<T>(method: string, run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    return { ok: false, error: thrownToError(method, error) };
  }
}

/** Creates a query slice over `load`; `method` names the call in errors. */
export function createQueryStore<T>(method: string, load: () => Promise<Result<T>>): StoreApi<QueryState<T>> {
  let running: Promise<void> | null = null;
  let again: Promise<void> | null = null;

  return createStore<QueryState<T>>()((set) => {
    const loadOnce = async (): Promise<void> => {
      const result = await settle(method, load);
      if (result.ok) set({ data: result.value, error: null, loading: false });
      else set({ error: result.error, loading: false });
    };

    const refresh = (): Promise<void> => {
      if (!running) {
        running = loadOnce().finally(() => (running = null));
        return running;
      }
      // A load is in flight and may have read before the latest change: queue exactly one more.
      again ??= running.then(() => {
        again = null;
        return refresh();
      });
      return again;
    };

    return { data: null, error: null, loading: true, refresh };
  });
}
