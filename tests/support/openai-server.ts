/**
 * A real OpenAI-compatible embeddings server on 127.0.0.1 for tests: `POST …/embeddings` answers like
 * OpenAI (`{object:'list', data:[{object:'embedding', index, embedding}], model, usage}`) with
 * deterministic vectors derived from each text, and records every request (headers and parsed body)
 * so tests can check what left the process. A behaviour function scripts failures per request.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface RecordedRequest {
  /** 0-based position among all requests this server received. */
  index: number;
  method: string;
  /** Path and query. */
  url: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
  /** The raw body text. */
  raw: string;
}

/** An answer: a status with a JSON body (none when undefined) and extra headers. */
export interface JsonReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What to answer: a JSON reply, or `'hang'` (never answer, until the client gives up or the server closes). */
export type Reply = JsonReply | 'hang';

/**
 * Decides the answer to one embeddings request. `call` counts requests (from 0) since this behaviour
 * was set, so a script like "429 first, then succeed" reads naturally. `ok(options)` builds the normal
 * answer (optionally with another dimension). Return `undefined` for the normal answer.
 */
export type Behaviour = (
  request: RecordedRequest,
  call: number,
  ok: (options?: { dimension?: number }) => JsonReply,
) => Reply | undefined;

/** Server options. */
export interface OpenAiServerOptions {
  /** Length of every vector (default 16). */
  dimension?: number;
  /** When set, requests without `Authorization: Bearer <apiKey>` get OpenAI's 401 (which echoes the key). */
  apiKey?: string;
  /** When set, other model names get OpenAI's 404 `model_not_found`. */
  models?: readonly string[];
  /** Return `data` in reverse order (each item keeps its `index`), as a server is allowed to. */
  shuffle?: boolean;
  /** The first behaviour (default: always the normal answer). */
  behaviour?: Behaviour;
}

/** A running server. */
export interface OpenAiServer {
  /** The base URL to give a client, e.g. `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** Every request received, in order (tests may clear it with `requests.length = 0`). */
  requests: RecordedRequest[];
  /** Replaces the behaviour and restarts its `call` count. */
  setBehaviour(behaviour: Behaviour | undefined): void;
  /** Stops the server, dropping hung connections. */
  close(): Promise<void>;
}

/** OpenAI's error body. */
export function openAiError(
  status: number,
  message: string,
  type: string,
  code: string | null = null,
): JsonReply {
  return { status, body: { error: { message, type, param: null, code } } };
}

/**
 * The server's vector for `text`: seeded by a hash of the text, so equal texts get equal vectors and
 * order mix-ups show. Deliberately not unit length (norm about 3), so a client must normalise.
 */
export function fakeEmbedding(text: string, dimension: number): number[] {
  let seed = 2166136261;
  for (let index = 0; index < text.length; index++) seed = Math.imul(seed ^ text.charCodeAt(index), 16777619);
  const out: number[] = [];
  for (let index = 0; index < dimension; index++) {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out.push((((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5) * 10);
  }
  return out;
}

/** Starts the server on 127.0.0.1 at a free port. */
export async function startOpenAiServer(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  const dimension = options.dimension ?? 16;
  const requests: RecordedRequest[] = [];
  let behaviour = options.behaviour;
  let calls = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep the raw text
      }
      const recorded: RecordedRequest = {
        index: requests.length,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        raw,
      };
      requests.push(recorded);
      const reply = answer(recorded);
      if (reply === 'hang') return;
      send(res, reply);
    });
  });

  function answer(request: RecordedRequest): Reply {
    if (request.method !== 'POST' || !/\/embeddings$/.test(request.url.split('?')[0] ?? ''))
      return openAiError(
        404,
        `Unknown request URL: ${request.method} ${request.url}`,
        'invalid_request_error',
      );
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      // Like OpenAI, echo (here: all of) the presented key, so tests can prove clients don't repeat it.
      const presented = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
      return openAiError(
        401,
        `Incorrect API key provided: ${presented}.`,
        'invalid_request_error',
        'invalid_api_key',
      );
    }
    const call = calls++;
    return (
      behaviour?.(request, call, (over) => normal(request, over?.dimension ?? dimension)) ??
      normal(request, dimension)
    );
  }

  function normal(request: RecordedRequest, size: number): JsonReply {
    const body = request.body as { model?: unknown; input?: unknown; encoding_format?: unknown };
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (
      typeof body.model !== 'string' ||
      !Array.isArray(input) ||
      input.some((text) => typeof text !== 'string')
    )
      return openAiError(400, "'input' must be a string or an array of strings", 'invalid_request_error');
    if (input.some((text) => text === ''))
      return openAiError(
        400,
        "'$.input' is invalid. Please check the API reference.",
        'invalid_request_error',
      );
    if (options.models && !options.models.includes(body.model))
      return openAiError(
        404,
        `The model \`${body.model}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        'model_not_found',
      );
    const data = (input as string[]).map((text, index) => {
      const vector = fakeEmbedding(text, size);
      const embedding =
        body.encoding_format === 'base64'
          ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
          : vector;
      return { object: 'embedding', index, embedding };
    });
    if (options.shuffle) data.reverse();
    const tokens = (input as string[]).reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    return {
      status: 200,
      body: {
        object: 'list',
        data,
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setBehaviour(next) {
      behaviour = next;
      calls = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, reply: JsonReply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(text ? { 'content-type': 'application/json' } : {}),
    ...reply.headers,
  });
  res.end(text);
}
