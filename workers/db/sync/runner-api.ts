/**
 * What the db worker offers the host's sync client (internal operations `syncStore.*`): the state,
 * enrolment bookkeeping, claiming and acknowledging outbox batches, and storing pulled lists. Each
 * step is one short call through the worker's serial queue; the network waits happen in the host, so
 * a slow or dead server never blocks the database.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { StoredSyncState } from '../../../shared/contract/internal';
import type { HandlerSlice } from '../handlers/types';
import { ackBatch, claimBatch, pendingCount, queueAll } from './outbox';
import { effectivePulledVersion, storePulled } from './pulled';
import { deviceKey } from './pseudonym';
import { erasuresDone, pendingErasures } from './erase-requests';

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

async function readState(db: PGlite): Promise<StoredSyncState> {
  await deviceKey(db);
  const rows = await db.query<{
    enabled: boolean;
    server_url: string | null;
    tenant_id: string | null;
    device_id: string | null;
    pulled_version: number;
    last_push_at: Date | null;
    last_pull_at: Date | null;
    last_error: string | null;
    last_error_at: Date | null;
  }>(
    `SELECT coalesce((SELECT value FROM settings WHERE key = 'sync.enabled'), 'false'::jsonb) = 'true'::jsonb AS enabled,
            server_url, tenant_id::text, device_id::text, pulled_version, last_push_at, last_pull_at,
            last_error, last_error_at FROM sync_state`,
  );
  const row = rows.rows[0];
  return {
    enabled: row?.enabled ?? false,
    serverUrl: row?.server_url ?? null,
    tenantId: row?.tenant_id ?? null,
    deviceId: row?.device_id ?? null,
    pending: await pendingCount(db),
    pulledVersion: await effectivePulledVersion(db),
    lastPushAt: iso(row?.last_push_at ?? null),
    lastPullAt: iso(row?.last_pull_at ?? null),
    lastError: row?.last_error ?? null,
    lastErrorAt: iso(row?.last_error_at ?? null),
  };
}

/** The `syncStore.*` operations: one short call each through the worker's serial queue. */
export const syncStoreHandlers = {
  /** The sync state (creating the device key on first use). */
  async 'syncStore.state'(_input, { db }) {
    return readState(db);
  },

  /**
   * Records an enrolment, turns sync on with the server's URL, and queues every interaction the
   * device already has (the server drops what it already stored). Returns how many were queued.
   */
  async 'syncStore.enrolled'(input, { db, emit }) {
    const queued = await db.transaction(async (tx) => {
      await deviceKey(tx);
      await tx.query(
        `UPDATE sync_state SET server_url = $1, tenant_id = $2, device_id = $3, pulled_version = 0,
           last_error = NULL, last_error_at = NULL`,
        [input.serverUrl, input.tenantId, input.deviceId],
      );
      await tx.query(
        `INSERT INTO settings (key, value) VALUES ('sync.enabled', 'true'::jsonb), ('sync.serverUrl', to_jsonb($1::text))
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
        [input.serverUrl],
      );
      // Erase requests stay: a re-enrolment must not forget an erase the server has not confirmed.
      await tx.query("DELETE FROM sync_outbox WHERE kind = 'interaction'");
      return queueAll(tx);
    });
    emit('data.changed', { entity: 'settings', op: 'update', ids: ['sync.enabled', 'sync.serverUrl'] });
    return queued;
  },

  /** The oldest pending events (up to `limit`). */
  async 'syncStore.claim'({ limit }, { db }) {
    return claimBatch(db, limit);
  },

  /** Drops acknowledged rows and records the push. */
  async 'syncStore.ack'({ ids }, { db }) {
    await db.transaction(async (tx) => {
      await ackBatch(tx, ids);
      await tx.query('UPDATE sync_state SET last_push_at = now(), last_error = NULL, last_error_at = NULL');
    });
  },

  /** Records a failure (shown by `sync.status` until the next success). */
  async 'syncStore.failed'({ message }, { db }) {
    await deviceKey(db);
    await db.query('UPDATE sync_state SET last_error = $1, last_error_at = now()', [message.slice(0, 500)]);
  },

  /** Erase requests waiting for the server (`DELETE /v1/readers/:hash`). */
  async 'syncStore.erasures'(_input, { db }) {
    return pendingErasures(db);
  },

  /** Drops erase requests the server confirmed. */
  async 'syncStore.erased'({ ids }, { db }) {
    await erasuresDone(db, ids);
  },

  /** Stores pulled lists in the serving chain's batch table. */
  async 'syncStore.storePulled'({ response }, { db, emit }) {
    const { readerIds, ...report } = await storePulled(db, response);
    if (readerIds.length > 0) emit('data.changed', { entity: 'readers', op: 'update', ids: readerIds });
    return report;
  },
} satisfies HandlerSlice<'syncStore'>;
