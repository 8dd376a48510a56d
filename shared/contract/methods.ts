/**
 * The names of every contract method, `namespace.method`. Kept free of zod so the Electron preload
 * and other thin transports can build the API without bundling the validation schemas.
 */
export const METHOD_NAMES = [
  'status.get',
  'status.ping',
  'books.add',
  'books.addMany',
  'books.get',
  'books.resolve',
  'books.list',
  'books.update',
  'books.remove',
  'classes.add',
  'classes.list',
  'classes.update',
  'classes.remove',
  'readers.add',
  'readers.get',
  'readers.resolve',
  'readers.list',
  'readers.update',
  'readers.remove',
  'interactions.log',
  'interactions.list',
  'settings.get',
  'settings.set',
  'settings.list',
  'jobs.list',
  'jobs.get',
  'jobs.cancel',
  'jobs.pause',
  'jobs.resume',
  'backup.create',
  'backup.list',
  'imports.preview',
  'imports.commit',
  'imports.cancel',
  'imports.export',
  'embeddings.status',
  'embeddings.run',
  'embeddings.similar',
  'models.list',
  'models.use',
  'models.setApiKey',
  'recommend.get',
  'recommend.group',
  'recommend.feedback',
  'stats.get',
  'jobs.run',
  'analytics.activity',
  'analytics.levels',
  'sync.enroll',
  'sync.push',
  'sync.pull',
  'sync.status',
  'privacy.get',
  'readers.export',
  'sync.rotate',
] as const;

/**
 * Methods the host answers itself instead of the db worker (they touch secrets the database must never
 * hold: the Electron host keeps the API key with safeStorage, the CLI in a 0600 file).
 */
export const HOST_METHODS = [
  'models.setApiKey',
  // Sync talks to the network and holds the device token: the host runs it, the db worker only stores.
  'sync.enroll',
  'sync.push',
  'sync.pull',
  'sync.status',
  // Built from the egress module's table, the settings and the sync enrolment.
  'privacy.get',
] as const;

/** A method of {@link HOST_METHODS}. */
export type HostMethodName = (typeof HOST_METHODS)[number];

/** A method of the contract. */
export type MethodName = (typeof METHOD_NAMES)[number];

const known = new Set<string>(METHOD_NAMES);

/** True when `name` is a method of the contract. */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && known.has(name);
}
