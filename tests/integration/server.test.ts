import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { startServer } from '../../server/index';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';

let server: Server;
let base = '';
beforeAll(async () => {
  server = await startServer(0);
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('sync server skeleton', () => {
  it('answers health checks with the protocol version', async () => {
    const response = await fetch(`${base}/health`);
    expect(await response.json()).toEqual({ ok: true, protocol: SYNC_PROTOCOL_VERSION });
  });
  it('answers unknown routes with the error shape', async () => {
    const response = await fetch(`${base}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ name: 'LuminError', code: 'not_found' });
  });
});
