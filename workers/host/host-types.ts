/**
 * The core host's handler types, from the operation registry (shared/contract/methods.ts): every
 * operation that runs in `host` has exactly one handler (handlers.ts).
 */
import type { Output, ParsedInput } from '../../shared/contract/api';
import type { Result } from '../../shared/contract/errors';
import type { HostOperationName } from '../../shared/contract/methods';
import type { SecretStore } from '../egress/secrets';
import type { SyncClient } from '../sync/client';
import type { DbClient } from '../../shared/contract/db-client';
import type { EmbeddingHost } from './embedding';
import type { RecommendCache } from './recommend-cache';

/** What a host handler gets. */
export interface HostContext {
  /** The typed client of the db worker. */
  db: DbClient;
  embedding: EmbeddingHost;
  secrets: SecretStore;
  sync: SyncClient;
  recommendations: RecommendCache;
  /** Where covers and hub models come from (for the privacy page). */
  origins: { coverOrigin: string; hubOrigin?: string };
}

/** The implementation of every operation the core host answers. */
export type HostHandlers = {
  [M in HostOperationName]: (input: ParsedInput<M>, context: HostContext) => Promise<Result<Output<M>>>;
};

/** Some of the host's handlers. */
export type HostSlice<M extends HostOperationName> = Pick<HostHandlers, M>;
