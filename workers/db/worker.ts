/**
 * The db worker thread: the one place a PGlite instance lives. Exposes the database service to the
 * host with comlink; pushes events on the same port as plain messages (comlink ignores messages
 * without its id, so the two never mix).
 */
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createDbService } from './service';

if (!parentPort) throw new Error('workers/db/worker.ts must run in a worker thread');
const port = parentPort;
const service = createDbService((event, payload) => port.postMessage({ luminEvent: event, payload }));
expose(service, nodeEndpoint(port));
