/**
 * A capture server on 127.0.0.1 for privacy tests: it records every byte of every request (method,
 * URL, headers, raw body) and answers like the services Lumin talks to: OpenAI-compatible embeddings
 * (`POST …/embeddings`, deterministic vectors) and chat (`POST …/chat/completions`), Open Library
 * covers (`GET /b/isbn/<isbn>-M.jpg`, a tiny PNG), and an optional redirect (`/redirect?to=URL`).
 */
import { type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeEmbedding } from './openai-server';

/** One request as received. */
export interface CapturedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

/** A running capture server. */
export interface CaptureServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  requests: CapturedRequest[];
  /** Everything a request carried, as one string (for "never contains" checks). */
  everything(): string;
  close(): Promise<void>;
}

/** A 1×1 PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** An OpenAI chat-completion answer carrying `content`. */
export function chatCompletion(content: string, id = 'chat-1') {
  return {
    id,
    object: 'chat.completion',
    created: 0,
    model: 'local-test',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
  };
}

/**
 * Starts a server on 127.0.0.1 that records every request in full, then lets `answer` reply (the
 * body already read).
 */
export async function startCapture(
  answer: (request: CapturedRequest, response: ServerResponse) => void,
): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const captured = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: { ...request.headers },
        raw,
      };
      requests.push(captured);
      answer(captured, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    everything: () =>
      requests
        .map((entry) => `${entry.method} ${entry.url}\n${JSON.stringify(entry.headers)}\n${entry.raw}`)
        .join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts a capture server; `chatReply` makes the chat answer (default a fixed sentence). */
export function startCaptureServer(
  options: { dimension?: number; chatReply?: (prompt: string, count: number) => string } = {},
): Promise<CaptureServer> {
  const dimension = options.dimension ?? 16;
  let chats = 0;
  return startCapture(({ method, url, raw }, response) => {
    const path = new URL(url, 'http://local').pathname;
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (path === '/redirect') {
      response.writeHead(302, { location: new URL(url, 'http://local').searchParams.get('to') ?? '/' });
      response.end();
    } else if (method === 'POST' && path.endsWith('/embeddings')) {
      const input = (JSON.parse(raw) as { input: string[] }).input;
      json(200, {
        object: 'list',
        data: input.map((text, index) => ({
          object: 'embedding',
          index,
          embedding: fakeEmbedding(text, dimension),
        })),
        model: 'test',
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    } else if (method === 'POST' && path.endsWith('/chat/completions')) {
      chats += 1;
      const prompt = (JSON.parse(raw) as { messages: { content: string }[] }).messages
        .map((message) => message.content)
        .join('\n');
      json(
        200,
        chatCompletion(
          options.chatReply?.(prompt, chats) ?? `A sentence from the model, number ${chats}.`,
          `chat-${chats}`,
        ),
      );
    } else if (method === 'GET' && /^\/b\/isbn\/97[89]\d{10}-M\.jpg$/.test(path)) {
      response.writeHead(200, { 'content-type': 'image/png', 'set-cookie': 'tracker=1' });
      response.end(TINY_PNG);
    } else {
      json(404, { error: { message: `no route ${method} ${path}` } });
    }
  });
}
