/** What the core's `sync.*` methods answer (the device side of sync). */

/** `sync.status`: whether sync is on, where to, and how it went last. */
export interface SyncStatus {
  /** The `sync.enabled` setting (off by default). */
  enabled: boolean;
  /** True once this device holds a token from `sync.enroll`. */
  enrolled: boolean;
  serverUrl: string | null;
  tenantId: string | null;
  deviceId: string | null;
  /** Interactions waiting in the outbox. */
  pending: number;
  /** The newest batch version pulled (0: none). */
  pulledVersion: number;
  lastPushAt: string | null;
  lastPullAt: string | null;
  /** The last failure (network, server, auth), cleared by the next success. */
  lastError: string | null;
  lastErrorAt: string | null;
  /** True while this core's background loop pushes (sync enabled, enrolled, a host that runs it). */
  background: boolean;
}

/** `sync.push`: what one push run sent. */
export interface SyncPushReport {
  /** Events the server stored. */
  accepted: number;
  /** Events the server already had (retries after a lost answer). */
  duplicates: number;
  /** Requests that succeeded. */
  batches: number;
  /** Failed attempts that were retried. */
  retries: number;
  /** Still waiting in the outbox (non-zero only when the run gave up, or erase requests wait). */
  remaining: number;
  /** Erase requests the server confirmed (`DELETE /v1/readers/:hash`). */
  erased?: number;
  /** Erase requests still queued (the server does not support erasure yet, or refused). */
  erasuresWaiting?: number;
}

/** `sync.pull`: what one pull stored. */
export interface SyncPullReport {
  /** The server's newest version. */
  version: number;
  /** True when this device already had it. */
  unchanged: boolean;
  /** Local readers whose batch lists were replaced. */
  readers: number;
  /** Batch entries stored (books this device has). */
  stored: number;
  /** Entries skipped because this device does not have the book. */
  skipped: number;
}
