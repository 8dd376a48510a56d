/**
 * A stand-in for Electron's main process, for end-to-end tests where the Electron binary cannot
 * run: the REAL core (openCore on a fresh data directory) and the REAL renderer build, joined over
 * HTTP instead of IPC.
 *
 *   GET  /…        the renderer build (out/renderer), with the app's Content-Security-Policy header
 *   POST /rpc      { method, input } → the bridge's policy → core.invoke → the Result as JSON (what
 *                  `lumin:invoke` does, through the same workers/host/file-access.ts)
 *   GET  /events   Server-Sent Events, one `{ name, payload }` per core event (what `lumin:event` does)
 *   POST /desktop/<call>  `window.luminDesktop` (electron/main/desktop.ts): the open and save dialogs
 *                  (answered by the test, playing the user), dropped files, reveal, links
 *
 * tests/e2e/web-bridge.ts is the matching `window.lumin` and `window.luminDesktop` for the page.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve, sep } from 'node:path';
import { contentSecurityPolicy } from '../../electron/main/csp';
import { isAllowedExternalUrl } from '../../electron/main/links';
import { type Result, err } from '../../shared/contract/errors';
import { EVENT_NAMES } from '../../shared/contract/events';
import { type Core, openCore } from '../../workers/host/core';
import {
  FileHandles,
  type OpenDialogRequest,
  type SaveDialogRequest,
  chooseImportSource,
  chooseSaveTarget,
  importDroppedFile,
  rendererInvoke,
} from '../../workers/host/file-access';

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
  /** The user's own folder (their desktop): files to drop or pick live here. */
  userDir: string;
  /** Writes a file into `userDir` and returns its path. */
  putUserFile(name: string, content: string | Uint8Array): string;
  /** The user's answer to the next open or save dialog: a path, or null to cancel (the default). */
  answerDialog(path: string | null): void;
  /** The dialogs shown so far. */
  dialogs: Array<OpenDialogRequest | SaveDialogRequest>;
  /** Every request body the page sent (/rpc and /desktop), by route and size in bytes. */
  requests: Array<{ route: string; bytes: number }>;
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
async function readBody(request: IncomingMessage, log: WebHost['requests']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`the request body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  log.push({ route: request.url ?? '', bytes: size });
  return Buffer.concat(chunks).toString('utf8');
}

/** A POST body as JSON; null (with a 400 sent) when it is not. */
async function readJson(
  request: IncomingMessage,
  response: ServerResponse,
  log: WebHost['requests'],
): Promise<Record<string, unknown> | null> {
  try {
    return (JSON.parse(await readBody(request, log)) ?? {}) as Record<string, unknown>;
  } catch (error) {
    sendResult(response, 400, err('invalid_argument', `${request.url}: ${(error as Error).message}`));
    return null;
  }
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
  // What electron/main/index.ts holds: the session's file handles and the renderer's way into the core.
  const files = new FileHandles();
  const invoke = rendererInvoke(core.invoke, files);
  const userDir = join(dataDir, '..', `${basename(dataDir)}-user`);
  mkdirSync(userDir);
  const answers: Array<string | null> = [];
  const dialogs: WebHost['dialogs'] = [];
  const requests: WebHost['requests'] = [];
  const showDialog = async (request: OpenDialogRequest | SaveDialogRequest) => {
    dialogs.push(request);
    return answers.shift() ?? null;
  };
  /** The desktop calls (electron/main/desktop.ts), by route. */
  const desktop: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    'choose-import-file': () => chooseImportSource(files, showDialog),
    'choose-save-target': (body) => chooseSaveTarget(files, body['kind'], showDialog),
    // Stands in for the preload's webUtils.getPathForFile: a dropped file is one of the user's files.
    'import-dropped-file': (body) => {
      const name = typeof body['name'] === 'string' ? basename(body['name']) : '';
      const path = join(userDir, name);
      return importDroppedFile(files, name && statSync(path, { throwIfNoEntry: false }) ? path : '');
    },
    reveal: async () => null,
    'open-external': async (body) => isAllowedExternalUrl(String(body['url'])),
  };
  const handleDesktop = async (call: string, request: IncomingMessage, response: ServerResponse) => {
    const body = await readJson(request, response, requests);
    if (!body) return;
    const run = desktop[call];
    if (!run) send(response, 404, 'text/plain; charset=utf-8', 'not found');
    else send(response, 200, 'application/json', JSON.stringify((await run(body)) ?? null));
  };
  const handleRpc = async (request: IncomingMessage, response: ServerResponse) => {
    const call = await readJson(request, response, requests);
    if (call) sendResult(response, 200, await invoke(call['method'], call['input']));
  };
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
      handleRpc(request, response).catch((error: unknown) =>
        sendResult(response, 500, err('internal', `rpc: ${(error as Error).message}`)),
      );
    } else if (pathname.startsWith('/desktop/') && request.method === 'POST') {
      handleDesktop(pathname.slice('/desktop/'.length), request, response).catch((error: unknown) =>
        sendResult(response, 500, err('internal', `desktop: ${(error as Error).message}`)),
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
    userDir,
    putUserFile(name, content) {
      const path = join(userDir, basename(name));
      writeFileSync(path, content);
      return path;
    },
    answerDialog: (path) => void answers.push(path),
    dialogs,
    requests,
    close() {
      closing ??= (async () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
        for (const stream of streams) stream.end();
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        await core.close();
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(userDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
