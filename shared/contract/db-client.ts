/**
 * The core host's typed client of the db worker, generated from the operation registry: one function
 * per operation that runs in `db`, public or internal (`db.settings.get({ key })`,
 * `db.syncStore.claim({ limit })`). Each call's input is checked against the registry's schema before
 * it crosses to the worker, and every answer is a `Result`; a dead worker answers `internal`.
 */
import type { LuminApi } from './api';
import { buildClient } from './client';
import { type Result, err } from './errors';
import type { InternalApi } from './internal';
import { DB_OPERATIONS, type DbOperationName } from './methods';
import { type CheckedCall, validateOperation } from './validate';

type Operations = LuminApi & InternalApi;
type Namespace<N extends string> = N extends `${infer P}.${string}` ? P : never;

/** The db worker's operations as `namespace.name(input)`. */
export type DbClient = {
  [P in Namespace<DbOperationName> & keyof Operations]: {
    [F in keyof Operations[P] & string as `${P}.${F}` extends DbOperationName ? F : never]: Operations[P][F];
  };
};

/** Sends one validated operation to the worker. */
export type DbTransport = (call: CheckedCall<DbOperationName>) => Promise<Result<unknown>>;

/** The typed client over `send`. */
export function createDbClient(send: DbTransport): DbClient {
  return buildClient<DbClient, DbOperationName>(DB_OPERATIONS, async (method, input) => {
    const checked = validateOperation(method, input);
    if (!checked.ok) return checked;
    try {
      return await send(checked);
    } catch (error) {
      return err('internal', `${method}: ${(error as Error).message}`);
    }
  });
}
