/** `lumin sync enroll|push|pull|status` as a user runs them: real processes, a real data directory. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDb } from '../../server/db';
import type { RunningServer } from '../../server/index';
import { createTenant } from '../../server/tenants';
import { cleanupDirs, tempDir } from '../support/core';
import { dropSchema, openTestDb, serve } from '../support/sync-server';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'lumin.js');
const dataDir = tempDir('lumin-sync-cli-');
let db: ServerDb;
let schema: string;
let server: RunningServer;

async function lumin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const result = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, LUMIN_DATA_DIR: dataDir },
    });
    return { code: 0, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout.trim(), stderr: failed.stderr.trim() };
  }
}

beforeAll(async () => {
  ({ db, schema } = await openTestDb());
  server = await serve(db);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
  if (schema) await dropSchema(schema);
  cleanupDirs();
});

describe('lumin sync', () => {
  // Each command is a fresh process opening the core (seconds on a busy machine): four commands only.
  it('enrols, pushes, pulls and reports status as JSON', { timeout: 180_000 }, async () => {
    const tenant = await createTenant(db, 'CLI school');
    const enrolled = await lumin('sync', 'enroll', server.url, tenant.code, '--json');
    expect(enrolled.code).toBe(0);
    expect(JSON.parse(enrolled.stdout)).toMatchObject({
      enabled: true,
      enrolled: true,
      tenantId: tenant.tenantId,
    });

    const pushed = await lumin('sync', 'push', '--json');
    expect(pushed.code).toBe(0);
    expect(JSON.parse(pushed.stdout)).toMatchObject({ accepted: 0, remaining: 0 });
    const pulled = await lumin('sync', 'pull', '--json');
    expect(pulled.code).toBe(0);
    expect(JSON.parse(pulled.stdout)).toMatchObject({ version: 0, unchanged: true });
    const status = await lumin('sync', 'status', '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({
      enabled: true,
      enrolled: true,
      serverUrl: server.url,
      lastError: null,
    });
  });
});
