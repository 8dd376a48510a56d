/** The contract between the core and every host. */
export * from './api';
export * from './client';
export * from './domain';
export * from './errors';
export * from './events';
export * from './imports';
export * from './methods';
export * from './schemas';
export * from './settings';
export * from './validate';
export * from './embeddings';
export * from './recommend';
