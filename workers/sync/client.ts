/**
 * The device's sync client, run by the core host (never inside the db worker: a slow or dead server
 * must not block the database). It answers `sync.enroll`, `sync.push`, `sync.pull` and `sync.status`,
 * and, when the host asks for it, pushes in the background: shortly after new interactions and every
 * few minutes, with exponential backoff and jitter after failures, and pulls about hourly. It does
 * nothing while `sync.enabled` is off (the default). The device token lives in the secrets store.
 */
import { type Result, err, ok, unwrap } from '../../shared/contract/errors';
import {
  enrollResponseSchema,
  recommendationsResponseSchema,
  rotateResponseSchema,
} from '../../shared/sync/protocol';
import type { SyncPullReport, SyncPushReport, SyncStatus } from '../../shared/sync/status';
import type { DbClient } from '../../shared/contract/db-client';
import type { SecretStore } from '../egress/secrets';
import { SYNC_ORIGIN_SECRET, syncCredential } from '../egress/keys';
import { backoffDelay, DEFAULT_BACKOFF } from '../../shared/egress/backoff';
import { SyncCallError, callJson } from './http';
import { sendErasures } from './erase';
import { pushAll } from './push';
import { sleep } from './sleep';

/** The secret the device token is stored under. */
export const SYNC_TOKEN_SECRET = 'sync-device-token';
/** When the token was last issued or rotated (ISO). */
export const SYNC_TOKEN_ISSUED_SECRET = 'sync-device-token-issued-at';
/** The background loop rotates the device token this often (client-side rotation). */
export const TOKEN_ROTATE_EVERY_MS = 30 * 86_400_000;

/** Options of {@link createSyncClient}. */
export interface SyncClientOptions {
  /** The core host's typed client of the db worker. */
  db: DbClient;
  secrets: SecretStore;
  /**
   * Background timing (ms): push this long after a new interaction, then at least every `everyMs`;
   * pull every `pullEveryMs`; rotate the device token every `rotateEveryMs`.
   */
  background?: { debounceMs?: number; everyMs?: number; pullEveryMs?: number; rotateEveryMs?: number };
}

/** The sync client. */
export interface SyncClient {
  enroll(input: {
    serverUrl: string;
    code: string;
    deviceName?: string | undefined;
  }): Promise<Result<SyncStatus>>;
  push(input?: {
    batchSize?: number | undefined;
    attempts?: number | undefined;
  }): Promise<Result<SyncPushReport>>;
  pull(): Promise<Result<SyncPullReport>>;
  status(): Promise<Result<SyncStatus>>;
  /** Trades the device token for a new one (the old one works until the new one is first used). */
  rotateToken(): Promise<Result<SyncStatus>>;
  /** Starts the background loop (the desktop app); it idles while sync is off. */
  start(): void;
  /** Tells the loop interactions were logged. */
  nudge(): void;
  /** Stops the loop and waits for a running push to stop. */
  close(): Promise<void>;
}

function failure(error: unknown): { code: 'forbidden' | 'io' | 'invalid_argument'; message: string } {
  if (error instanceof SyncCallError) {
    if (error.status === 401 || error.status === 403) return { code: 'forbidden', message: error.message };
    if (error.status >= 400 && error.status < 500 && error.status !== 429)
      return { code: 'invalid_argument', message: error.message };
    return { code: 'io', message: error.message };
  }
  return { code: 'io', message: (error as Error).message };
}

/** Creates the client. */
export function createSyncClient(options: SyncClientOptions): SyncClient {
  const { db, secrets } = options;
  /** A db answer's value; a failure (a closed or dead worker) throws. */
  const guard = async <T>(call: Promise<Result<T>>): Promise<T> => unwrap(await call);
  const stop = new AbortController();
  let running: Promise<unknown> | null = null;
  let background = false;
  let wake: (() => void) | null = null;
  let nudged = false;
  // Set when the server said this device was revoked: the loop stops until the next enrolment.
  let revoked = false;

  const token = () => secrets.get(SYNC_TOKEN_SECRET);

  async function storeToken(value: string): Promise<void> {
    await secrets.set(SYNC_TOKEN_SECRET, value);
    await secrets.set(SYNC_TOKEN_ISSUED_SECRET, new Date().toISOString());
  }

  async function status(): Promise<Result<SyncStatus>> {
    try {
      const state = await guard(db.syncStore.state());
      const enrolled = (await token()) !== null && state.tenantId !== null;
      return ok({ ...state, enrolled, background: background && state.enabled && enrolled });
    } catch (error) {
      return err('io', `sync.status: ${(error as Error).message}`);
    }
  }

  /** The server and token, or why sync cannot run. */
  async function target(method: string): Promise<Result<{ serverUrl: string; token: string }>> {
    const state = await guard(db.syncStore.state());
    // The token only for the server that issued it (a restored backup cannot redirect it).
    const bound = state.serverUrl ? await syncCredential(secrets, SYNC_TOKEN_SECRET, state.serverUrl) : null;
    const deviceToken = bound?.token ?? null;
    if (!state.enabled)
      return err(
        'forbidden',
        `${method}: sync is off (enable it with sync.enroll or the sync.enabled setting)`,
      );
    if (!state.serverUrl || !deviceToken)
      return err('forbidden', `${method}: this device is not enrolled (lumin sync enroll URL CODE)`);
    return ok({ serverUrl: state.serverUrl, token: deviceToken });
  }

  async function push(
    input: { batchSize?: number | undefined; attempts?: number | undefined } = {},
  ): Promise<Result<SyncPushReport>> {
    const where = await target('sync.push');
    if (!where.ok) return where;
    const totals = await pushAll(
      {
        claim: (limit) => guard(db.syncStore.claim({ limit })),
        ack: (ids) => guard(db.syncStore.ack({ ids })),
      },
      {
        ...where.value,
        batchSize: input.batchSize ?? 500,
        attempts: input.attempts ?? 6,
        signal: stop.signal,
      },
    );
    // Erase requests go once the events are through (a 404 leaves them queued for a later server).
    const erasures = totals.error
      ? null
      : await sendErasures(
          {
            pending: () => guard(db.syncStore.erasures()),
            done: (ids) => guard(db.syncStore.erased({ ids })),
          },
          { ...where.value, signal: stop.signal },
        );
    if (erasures?.error) totals.error = erasures.error;
    const state = await guard(db.syncStore.state());
    if (totals.error) {
      await guard(db.syncStore.failed({ message: totals.error.message }));
      const { code, message } = failure(totals.error);
      return err(code, `sync.push: ${message}`, {
        accepted: totals.accepted,
        duplicates: totals.duplicates,
        remaining: state.pending,
      });
    }
    return ok({
      accepted: totals.accepted,
      duplicates: totals.duplicates,
      batches: totals.batches,
      retries: totals.retries,
      remaining: state.pending,
      erased: erasures?.erased ?? 0,
      erasuresWaiting: erasures?.waiting ?? 0,
    });
  }

  async function pull(): Promise<Result<SyncPullReport>> {
    const where = await target('sync.pull');
    if (!where.ok) return where;
    const state = await guard(db.syncStore.state());
    try {
      const response = await callJson(
        where.value.serverUrl,
        `/v1/recommendations?since=${state.pulledVersion}`,
        {
          schema: recommendationsResponseSchema,
          token: where.value.token,
          signal: stop.signal,
          timeoutMs: 120_000,
        },
      );
      return ok(await guard(db.syncStore.storePulled({ response })));
    } catch (error) {
      await guard(db.syncStore.failed({ message: (error as Error).message })).catch(() => undefined);
      const { code, message } = failure(error);
      return err(code, `sync.pull: ${message}`);
    }
  }

  async function enroll(input: {
    serverUrl: string;
    code: string;
    deviceName?: string | undefined;
  }): Promise<Result<SyncStatus>> {
    const serverUrl = input.serverUrl.replace(/\/+$/, '');
    try {
      // Enrolling again with the same server hands this device's pseudonyms to its new token.
      const state = await guard(db.syncStore.state());
      // Only a token bound to this very server (a restored backup cannot name another one and get it).
      const bound =
        state.serverUrl === serverUrl ? await syncCredential(secrets, SYNC_TOKEN_SECRET, serverUrl) : null;
      const previousToken = bound?.token ?? null;
      const enrolled = await callJson(serverUrl, '/v1/enroll', {
        schema: enrollResponseSchema,
        method: 'POST',
        body: {
          code: input.code,
          ...(input.deviceName ? { deviceName: input.deviceName } : {}),
          ...(previousToken ? { previousToken } : {}),
        },
      });
      await storeToken(enrolled.deviceToken);
      await secrets.set(SYNC_ORIGIN_SECRET, new URL(serverUrl).origin);
      revoked = false;
      await guard(
        db.syncStore.enrolled({ serverUrl, tenantId: enrolled.tenantId, deviceId: enrolled.deviceId }),
      );
    } catch (error) {
      const { code, message } = failure(error);
      return err(code, `sync.enroll: ${message}`, { field: code === 'forbidden' ? 'code' : 'serverUrl' });
    }
    nudge();
    return status();
  }

  async function rotateToken(): Promise<Result<SyncStatus>> {
    const where = await target('sync.rotateToken');
    if (!where.ok) return where;
    try {
      const answer = await callJson(where.value.serverUrl, '/v1/devices/rotate', {
        schema: rotateResponseSchema,
        method: 'POST',
        token: where.value.token,
        body: {},
        signal: stop.signal,
      });
      await storeToken(answer.deviceToken);
    } catch (error) {
      const { code, message } = failure(error);
      return err(code, `sync.rotateToken: ${message}`);
    }
    return status();
  }

  /** Rotates when the token is older than `everyMs` (its age starts counting on first sight). */
  async function rotateIfDue(everyMs: number): Promise<void> {
    const issued = await secrets.get(SYNC_TOKEN_ISSUED_SECRET);
    if (!issued) {
      await secrets.set(SYNC_TOKEN_ISSUED_SECRET, new Date().toISOString());
      if (everyMs > 0) return;
    }
    if (issued && Date.now() - Date.parse(issued) < everyMs) return;
    await rotateToken();
  }

  function nudge(): void {
    nudged = true;
    wake?.();
  }

  async function loop(timing: Required<NonNullable<SyncClientOptions['background']>>): Promise<void> {
    let failures = 0;
    let lastPull = 0;
    while (!stop.signal.aborted) {
      const wait =
        failures > 0
          ? backoffDelay(failures - 1, { ...DEFAULT_BACKOFF, maxMs: 15 * 60_000 })
          : nudged
            ? timing.debounceMs
            : timing.everyMs;
      await new Promise<void>((resolve) => {
        wake = resolve;
        void sleep(wait, stop.signal).then(resolve);
      });
      wake = null;
      if (stop.signal.aborted) return;
      nudged = false;
      try {
        const state = await guard(db.syncStore.state());
        if (revoked || !state.enabled || !state.serverUrl || !(await token())) continue;
        if (state.pending > 0) {
          const pushed = await push({ attempts: 1 });
          failures = pushed.ok ? 0 : failures + 1;
          if (!pushed.ok) {
            // A revoked device stops knocking; the status keeps the server's message until it enrols again.
            if (/\b401\b.*revoked/.test(pushed.error.message)) revoked = true;
            continue;
          }
        }
        await rotateIfDue(timing.rotateEveryMs);
        if (Date.now() - lastPull > timing.pullEveryMs) {
          const pulled = await pull();
          if (pulled.ok) lastPull = Date.now();
          failures = pulled.ok ? 0 : failures + 1;
        }
      } catch {
        // The worker is gone (closing): the loop ends with the core.
        return;
      }
    }
  }

  return {
    enroll,
    push,
    pull,
    status,
    rotateToken,
    nudge,
    start() {
      if (running) return;
      background = true;
      running = loop({
        debounceMs: options.background?.debounceMs ?? 2_000,
        everyMs: options.background?.everyMs ?? 5 * 60_000,
        pullEveryMs: options.background?.pullEveryMs ?? 60 * 60_000,
        rotateEveryMs: options.background?.rotateEveryMs ?? TOKEN_ROTATE_EVERY_MS,
      });
    },
    async close() {
      stop.abort();
      wake?.();
      await running?.catch(() => undefined);
    },
  };
}
