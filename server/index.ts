/**
 * The optional sync server (Node HTTP + PostgreSQL). This skeleton answers health checks with the
 * sync protocol version; pushing interactions, cross-device ALS and batch recommendations build on it.
 * Run: `npx tsx server/index.ts` (PORT, default 8787; DATABASE_URL for PostgreSQL).
 */
import { createServer, type Server } from 'node:http';
import { SYNC_PROTOCOL_VERSION } from '../shared/sync/protocol';

/** Starts the server on `port` (0 for any free port) and resolves once it listens. */
export function startServer(port = Number(process.env.PORT ?? 8787), host = '127.0.0.1'): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true, protocol: SYNC_PROTOCOL_VERSION }));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        name: 'LuminError',
        code: 'not_found',
        message: `no route ${request.method} ${request.url}`,
      }),
    );
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startServer();
  const address = server.address();
  console.log(
    `lumin sync server listening on ${typeof address === 'object' && address ? `${address.address}:${address.port}` : address}`,
  );
}
