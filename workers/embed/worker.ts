/**
 * The embed worker thread: model inference and endpoint calls happen here, never on the main thread
 * (the window stays responsive while a catalogue is embedded). Events go out as plain messages on the
 * comlink port, like the db worker's.
 */
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createEmbedService } from './service';

if (!parentPort) throw new Error('workers/embed/worker.ts must run in a worker thread');
const port = parentPort;
const service = createEmbedService((event, payload) => port.postMessage({ luminEvent: event, payload }));
expose(service, nodeEndpoint(port));
