/**
 * The operation registry: every operation of the core, declared once with where it runs and who may
 * call it. Its input schema is keyed by the same name in `./schemas.ts` (public) and `./internal.ts`
 * (internal), its result type and JSDoc in `LuminApi` (`./api.ts`) or `InternalApi` (`./internal.ts`);
 * compile-time checks there make a missing or extra entry a type error. The handlers are tables keyed
 * by the same names, each checked with `satisfies`: `workers/db/handlers/table.ts` (runs `db`) and
 * `workers/host/handlers.ts` (runs `host`).
 *
 * Kept free of zod so the Electron preload and other thin transports can build the API from it
 * without bundling the validation schemas.
 */

/** Where an operation's handler runs: the core host (main thread) or the db worker thread. */
export type Runtime = 'host' | 'db';

/** Who may call an operation: every host (`public`: the renderer, the CLI, tests) or only the core. */
export type Access = 'public' | 'internal';

/** Where an operation runs and who may call it. */
export interface Placement {
  readonly runs: Runtime;
  readonly access: Access;
}

const db = { runs: 'db', access: 'public' } as const;
const host = { runs: 'host', access: 'public' } as const;
const internal = { runs: 'db', access: 'internal' } as const;

/** Every operation of the core, `namespace.name` → its placement. */
export const OPERATIONS = {
  'status.get': db,
  'status.ping': db,
  'books.add': db,
  'books.addMany': db,
  'books.get': db,
  'books.resolve': db,
  'books.list': db,
  'books.update': db,
  'books.remove': db,
  'classes.add': db,
  'classes.list': db,
  'classes.update': db,
  'classes.remove': db,
  'readers.add': db,
  'readers.get': db,
  'readers.resolve': db,
  'readers.list': db,
  'readers.update': db,
  'readers.remove': db,
  'readers.export': db,
  'interactions.log': db,
  'interactions.list': db,
  'settings.get': db,
  'settings.set': db,
  'settings.list': db,
  'jobs.list': db,
  'jobs.get': db,
  'jobs.cancel': db,
  'jobs.pause': db,
  'jobs.resume': db,
  'jobs.run': db,
  'backup.create': db,
  'backup.list': db,
  'imports.preview': db,
  'imports.commit': db,
  'imports.cancel': db,
  'imports.export': db,
  'embeddings.status': db,
  'embeddings.similar': db,
  'recommend.group': db,
  'recommend.feedback': db,
  'stats.get': db,
  'analytics.activity': db,
  'analytics.levels': db,
  'sync.rotate': db,
  // The host answers these: they touch secrets the database must never hold (the API key, the sync
  // device token), the network, or the host's own state (the list cache, the embedding runner).
  'models.setApiKey': host,
  'models.list': host,
  'models.use': host,
  'embeddings.run': host,
  'recommend.get': host,
  'sync.enroll': host,
  'sync.push': host,
  'sync.pull': host,
  'sync.status': host,
  'privacy.get': host,
  // Only the core calls these (host code through its typed db client).
  'models.catalogue': internal,
  'models.queueSwitch': internal,
  'embeddings.queue': internal,
  'recommend.compute': internal,
  'embedQueue.ensure': internal,
  'embedQueue.claim': internal,
  'embedQueue.next': internal,
  'embedQueue.store': internal,
  'embedQueue.finish': internal,
  'embedQueue.fail': internal,
  'embedQueue.release': internal,
  'syncStore.state': internal,
  'syncStore.enrolled': internal,
  'syncStore.claim': internal,
  'syncStore.ack': internal,
  'syncStore.failed': internal,
  'syncStore.erasures': internal,
  'syncStore.erased': internal,
  'syncStore.storePulled': internal,
  'schedule.recommend': internal,
  'schedule.backup': internal,
  'jobs.drain': internal,
  'impressions.reserve': internal,
  'impressions.log': internal,
  'llmLevels.candidates': internal,
  'llmLevels.store': internal,
  'explanations.get': internal,
  'explanations.put': internal,
} as const satisfies Record<`${string}.${string}`, Placement>;

type Operations = typeof OPERATIONS;

/** Any operation of the registry. */
export type OperationName = keyof Operations;

/** The operations placed as `P` says. */
type Where<P extends Partial<Placement>> = {
  [K in OperationName]: Operations[K] extends P ? K : never;
}[OperationName];

/** A method of the contract: an operation hosts may call. */
export type MethodName = Where<{ access: 'public' }>;
/** An operation only the core calls. */
export type InternalName = Where<{ access: 'internal' }>;
/** An operation the core host answers itself. */
export type HostOperationName = Where<{ runs: 'host' }>;
/** An operation the db worker answers. */
export type DbOperationName = Where<{ runs: 'db' }>;
/** A public method the host answers itself (kept for the db's handler types). */
export type HostMethodName = HostOperationName & MethodName;

function names<N extends OperationName>(test: (placement: Placement) => boolean): readonly N[] {
  return Object.keys(OPERATIONS).filter((name) => test(OPERATIONS[name as OperationName])) as N[];
}

/** Every operation's name. */
export const OPERATION_NAMES: readonly OperationName[] = names(() => true);
/** The names of every contract method, `namespace.method`. */
export const METHOD_NAMES: readonly MethodName[] = names((placement) => placement.access === 'public');
/** The operations the db worker answers. */
export const DB_OPERATIONS: readonly DbOperationName[] = names((placement) => placement.runs === 'db');

/** True when `name` is an operation of the registry. */
export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(OPERATIONS, name);
}

/** True when `name` is a method of the contract (a public operation). */
export function isMethodName(name: unknown): name is MethodName {
  return isOperationName(name) && OPERATIONS[name].access === 'public';
}
