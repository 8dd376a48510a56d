/**
 * A fake Hugging Face hub for tests: a node:http server on 127.0.0.1 serving model folders at
 * transformers.js's URL template `{remoteHost}/{repo}/resolve/{revision}/{file}`, and recording every
 * request. It answers GET and HEAD, and honours a single `Range: bytes=a-b` (transformers.js asks
 * for `bytes=0-0` to learn a file's size before it downloads) with 206 and Content-Range, as the
 * real hub does. Unknown repos and files get 404 (transformers.js probes optional files that way).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';

/** One request as the hub saw it. */
export interface HubRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The repo asked for (`owner/name`), when the path follows the template. */
  repo: string | null;
  /** The revision asked for, when the path follows the template. */
  revision: string | null;
  /** The file inside the repo, when the path follows the template. */
  file: string | null;
  /** The Range header, if any. */
  range: string | null;
  /** Lower-cased header names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** The status the hub answered. */
  status: number;
}

/** A repo the hub serves: a folder, plus aliases (`served file → file in the folder`). */
export interface HubRepo {
  folder: string;
  aliases?: Readonly<Record<string, string>>;
}

/** A running hub. */
export interface FakeHub {
  /** The remoteHost to give transformers.js, e.g. `http://127.0.0.1:PORT/` (trailing slash). */
  url: string;
  /** Every request received, in order. */
  requests: HubRequest[];
  /** Stops the server, dropping open connections. */
  close(): Promise<void>;
}

const TEMPLATE = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/;

/** Starts the hub on 127.0.0.1 at a free port, serving `repos` (keyed by `owner/name`). */
export async function startFakeHub(repos: Readonly<Record<string, HubRepo>>): Promise<FakeHub> {
  const requests: HubRequest[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    const match = TEMPLATE.exec(url.split('?')[0] ?? '');
    const repo = match ? decodeURIComponent(match[1] ?? '') : null;
    const revision = match ? decodeURIComponent(match[2] ?? '') : null;
    const file = match ? decodeURIComponent(match[3] ?? '') : null;
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    const record = (status: number) =>
      requests.push({
        method: req.method ?? '',
        url,
        repo,
        revision,
        file,
        range,
        headers: req.headers,
        status,
      });

    const served = repo ? repos[repo] : undefined;
    const source = served && file ? join(served.folder, served.aliases?.[file] ?? file) : null;
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      !source ||
      file?.split('/').includes('..') ||
      !existsSync(source) ||
      !statSync(source).isFile()
    ) {
      record(404);
      res.writeHead(404, { 'content-type': 'text/plain', 'x-error-code': 'EntryNotFound' });
      res.end('Entry not found');
      return;
    }
    const bytes = readFileSync(source);
    const wanted = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    if (wanted) {
      const start = Number(wanted[1]);
      const end = Math.min(wanted[2] ? Number(wanted[2]) : bytes.length - 1, bytes.length - 1);
      if (start >= bytes.length || start > end) {
        record(416);
        res.writeHead(416, { 'content-range': `bytes */${bytes.length}` });
        res.end();
        return;
      }
      const part = bytes.subarray(start, end + 1);
      record(206);
      res.writeHead(206, {
        'content-type': 'application/octet-stream',
        'content-length': String(part.length),
        'content-range': `bytes ${start}-${end}/${bytes.length}`,
        'accept-ranges': 'bytes',
      });
      res.end(req.method === 'HEAD' ? undefined : part);
      return;
    }
    record(200);
    res.writeHead(200, {
      'content-type': file?.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      'content-length': String(bytes.length),
      'accept-ranges': 'bytes',
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A `http://127.0.0.1:PORT/` where nothing listens (a port that was free a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
