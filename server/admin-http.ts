/**
 * The running server's admin endpoint: a second listener on 127.0.0.1 only, answering
 * `POST /admin/run {command, args}` for a bearer secret written with the URL to
 * `<data>/admin.json` (mode 0600). The admin CLI uses it while the server holds the embedded
 * database, so there is only ever one writer.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Fastify from 'fastify';
import { ADMIN_COMMANDS, type AdminCommand, type AdminContext, AdminError, runAdmin } from './admin';

/** What `<data>/admin.json` holds. */
export interface AdminEndpoint {
  url: string;
  secret: string;
  pid: number;
}

/** Where the endpoint is written. */
export function adminFile(dataDir: string): string {
  return join(dataDir, 'admin.json');
}

/** The endpoint of a running server, or null. */
export function readAdminEndpoint(dataDir: string): AdminEndpoint | null {
  try {
    return JSON.parse(readFileSync(adminFile(dataDir), 'utf8')) as AdminEndpoint;
  } catch {
    return null;
  }
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Starts the admin listener and writes `<data>/admin.json`; returns a stop function. */
export async function startAdminEndpoint(
  context: AdminContext,
  dataDir: string,
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  const secret = randomBytes(32).toString('base64url');
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.post('/admin/run', async (request, reply) => {
    const given = /^Bearer\s+(\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!sameSecret(given, secret))
      return reply.status(401).send({ code: 'unauthenticated', message: 'wrong admin secret' });
    const body = (request.body ?? {}) as { command?: string; args?: Record<string, unknown> };
    if (!ADMIN_COMMANDS.includes(body.command as AdminCommand))
      return reply
        .status(400)
        .send({ code: 'invalid_argument', message: `unknown admin command '${String(body.command)}'` });
    try {
      return { result: await runAdmin(context, body.command as AdminCommand, body.args ?? {}) };
    } catch (error) {
      if (error instanceof AdminError)
        return reply
          .status(error.code === 'not_found' ? 404 : 400)
          .send({ code: error.code, message: error.message });
      return reply.status(500).send({ code: 'internal', message: (error as Error).message });
    }
  });
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const endpoint: AdminEndpoint = { url, secret, pid: process.pid };
  writeFileSync(adminFile(dataDir), `${JSON.stringify(endpoint)}\n`, { mode: 0o600 });
  return {
    url,
    async close() {
      if (readAdminEndpoint(dataDir)?.secret === secret) rmSync(adminFile(dataDir), { force: true });
      await app.close();
    },
  };
}

/**
 * Sends one command to a running server's admin endpoint. Through `node:http`, not fetch: a nightly
 * run may take longer than fetch's five-minute wait for response headers.
 */
export async function callAdminEndpoint(
  endpoint: AdminEndpoint,
  command: AdminCommand,
  args: Record<string, unknown>,
): Promise<unknown> {
  const payload = JSON.stringify({ command, args });
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const call = request(
      `${endpoint.url}/admin/run`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${endpoint.secret}`,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: body }));
        response.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end(payload);
  });
  const body = JSON.parse(text) as { result?: unknown; code?: string; message?: string };
  if (status === 200) return body.result;
  if (body.code === 'not_found' || body.code === 'invalid_argument')
    throw new AdminError(body.code, body.message ?? '');
  throw new Error(`the running server's admin endpoint answered ${status}: ${body.message ?? ''}`);
}
