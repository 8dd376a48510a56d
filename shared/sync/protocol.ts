/**
 * The sync protocol between devices and the sync server. Only pseudonyms (a reader's random
 * `pseudonym` UUID) and public book identifiers ever leave a device, and only when sync is enabled.
 */

/** Bumped on any incompatible change; both sides refuse a different major version. */
export const SYNC_PROTOCOL_VERSION = 1;
