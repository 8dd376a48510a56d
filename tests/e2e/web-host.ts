/**
 * A stand-in for Electron's main process, for end-to-end tests where the Electron binary cannot
 * run: the REAL core (openCore on a fresh data directory) and the REAL renderer build, joined over
 * HTTP instead of IPC.
 *
 *   GET  /…        the renderer build (out/renderer), with the app's Content-Security-Policy header
 *   POST /rpc      { method, input } → core.invoke → the Result as JSON (what `lumin:invoke` does)
 *   GET  /events   Server-Sent Events, one `{ name, payload }` per core event (what `lumin:event` does)
 *
 * tests/e2e/web-bridge.ts is the matching `window.lumin` for the page.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { contentSecurityPolicy } from '../../electron/main/csp';
import { isMethodName } from '../../shared/contract/client';
import { type Result, err } from '../../shared/contract/errors';
import { EVENT_NAMES } from '../../shared/contract/events';
import { type Core, openCore } from '../../workers/host/core';

/** Every core event; the `Record` type makes the compiler flag a missing one. */

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The largest /rpc body accepted (a big `books.addMany`). */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** A running web host. */
export interface WebHost {
  /** The page's address, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** The core behind the page, for arranging data and checking effects directly. */
  core: Core;
  /** The temporary data directory (removed by `close`). */
  dataDir: string;
  /** How many pages are listening on /events now. */
  eventClients(): number;
  /** Stops serving, closes the core and removes the data directory. */
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(body);
}

function sendResult(response: ServerResponse, status: number, result: Result<unknown>): void {
  send(response, status, 'application/json', JSON.stringify(result));
}

/** Reads a request body up to MAX_BODY_BYTES. */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`the request body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** POST /rpc: the IPC handler's checks, then the core. */
async function handleRpc(core: Core, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let call: { method?: unknown; input?: unknown };
  try {
    call = JSON.parse(await readBody(request)) as typeof call;
  } catch (error) {
    sendResult(response, 400, err('invalid_argument', `rpc: ${(error as Error).message}`));
    return;
  }
  const method = call?.method;
  if (!isMethodName(method)) {
    sendResult(response, 200, err('unknown_method', `lumin: no such method: ${String(method)}`));
    return;
  }
  sendResult(response, 200, await core.invoke(method, call.input));
}

/** Serves a file of the renderer build; anything outside it is a 404. */
function serveStatic(rendererDir: string, pathname: string, response: ServerResponse, csp: string): void {
  const relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  const file = resolve(rendererDir, `.${relative}`);
  if (!file.startsWith(rendererDir + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
    send(response, 404, 'text/plain; charset=utf-8', 'not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  response.end(readFileSync(file));
}

/**
 * Opens a core on a fresh temporary data directory and serves `rendererDir` and the API on
 * 127.0.0.1 at a free port.
 */
export async function startWebHost(options: { rendererDir: string }): Promise<WebHost> {
  const rendererDir = resolve(options.rendererDir);
  const dataDir = mkdtempSync(join(tmpdir(), 'lumin-e2e-'));
  const opened = await openCore({ dataDir, autoBackup: false, purpose: 'test' });
  if (!opened.ok) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`web host: the core did not open: ${opened.error.message}`);
  }
  const core = opened.value;
  const csp = contentSecurityPolicy();
  const streams = new Set<ServerResponse>();
  const unsubscribes = EVENT_NAMES.map((name) =>
    core.on(name, (payload) => {
      const frame = `data: ${JSON.stringify({ name, payload })}\n\n`;
      for (const stream of streams) stream.write(frame);
    }),
  );

  const server: Server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (pathname === '/rpc' && request.method === 'POST') {
      handleRpc(core, request, response).catch((error: unknown) =>
        sendResult(response, 500, err('internal', `rpc: ${(error as Error).message}`)),
      );
    } else if (pathname === '/events' && request.method === 'GET') {
      response.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      response.write('retry: 500\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
    } else if (request.method === 'GET') {
      serveStatic(rendererDir, pathname, response, csp);
    } else {
      send(response, 405, 'text/plain; charset=utf-8', 'method not allowed');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/`,
    core,
    dataDir,
    eventClients: () => streams.size,
    close() {
      closing ??= (async () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
        for (const stream of streams) stream.end();
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        await core.close();
        rmSync(dataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
