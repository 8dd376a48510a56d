/**
 * Erase, end to end, through a real local core and the real sync server on PostgreSQL: removing a
 * reader on the device, and rotating another's pseudonym, send the queued `DELETE /v1/readers/:hash`
 * to the server, which then holds no row of the old pseudonym; the other readers' rows stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDb } from '../../server/db';
import type { RunningServer } from '../../server/index';
import { createTenant } from '../../server/tenants';
import type { Core } from '../../workers/host/core';
import { open, value } from '../support/core';
import { logHistories, smallLibrary } from '../support/sync-device';
import { syncServerFile } from '../support/sync-server';

let db: ServerDb;
let server: RunningServer;
let core: Core;
syncServerFile({}, (opened) => ({ db, server } = opened));
beforeAll(async () => {
  core = await open();
});
afterAll(async () => {
  await core?.close();
});

/** The distinct reader hashes the server stores for `tenantId`. */
async function storedReaders(tenantId: string): Promise<string[]> {
  const rows = await db.query<{ reader: string }>(
    'SELECT DISTINCT reader FROM interactions WHERE tenant_id = $1 ORDER BY reader',
    [tenantId],
  );
  return rows.rows.map((row) => row.reader);
}

describe('erase through the real server', () => {
  it('removing a reader and rotating a pseudonym erase their old rows on the server', async () => {
    const tenant = await createTenant(db, 'Room 9');
    value(await core.api.sync.enroll({ serverUrl: server.url, code: tenant.code }));
    const library = await smallLibrary(core, 12, 3);
    await logHistories(core, library, 4);
    value(await core.api.sync.push({}));
    const before = await storedReaders(tenant.tenantId);
    expect(before).toHaveLength(3);

    const [kept, removed, rotated] = library.readers as [string, string, string];
    value(await core.api.readers.remove({ id: removed }));
    value(await core.api.sync.rotate({ readerId: rotated }));
    value(
      await core.api.interactions.log({
        readerId: rotated,
        bookId: library.books[11] as string,
        type: 'finish',
      }),
    );
    const pushed = value(await core.api.sync.push({}));
    expect(pushed.erased).toBe(2);
    expect(pushed.erasuresWaiting ?? 0).toBe(0);

    const after = await storedReaders(tenant.tenantId);
    // Two of the three old hashes are gone; the kept reader's stays, and the rotated reader has a new one.
    expect(after.filter((hash) => before.includes(hash))).toHaveLength(1);
    expect(after).toHaveLength(2);
    expect(value(await core.api.readers.get({ id: kept })).sync).toBe(true);
  });
});
