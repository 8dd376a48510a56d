// Runs a TypeScript worker entry from source (tests, CLI, benchmarks): registers tsx in this thread,
// then imports the entry. Bundled builds start their compiled worker directly and never load this.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.luminEntry);
