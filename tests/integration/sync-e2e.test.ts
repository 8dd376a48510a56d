/**
 * End to end through a real local core and the real server on PostgreSQL: enrol, log interactions
 * (queued in the same transaction), push, the server's nightly ALS, pull, and `recommend.get` served
 * from the pulled batch lists for a reader without a personalised signal.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodreadsExport } from '../../bench/fixtures/goodreads';
import type { ServerDb } from '../../server/db';
import type { RunningServer } from '../../server/index';
import { runServerNightly } from '../../server/nightly';
import { createTenant } from '../../server/tenants';
import type { Core } from '../../workers/host/core';
import { failure, finishedJob, open, tempDir, value } from '../support/core';
import { logHistories, smallLibrary } from '../support/sync-device';
import { storedCount, syncServerFile } from '../support/sync-server';

let db: ServerDb;
let server: RunningServer;
let core: Core;
syncServerFile({ enrolLimit: { perMinute: 100, burst: 20 } }, (opened) => ({ db, server } = opened));
beforeAll(async () => {
  core = await open();
});
afterAll(async () => {
  await core?.close();
});

describe('sync end to end', () => {
  it('is off by default and queues nothing until enrolled', async () => {
    const status = value(await core.api.sync.status());
    expect(status).toMatchObject({ enabled: false, enrolled: false, pending: 0, background: false });
    const library = await smallLibrary(core, 30, 6);
    await logHistories(core, library, 3, library.readers.slice(0, 2));
    expect(value(await core.api.sync.status()).pending).toBe(0);
    expect(failure(await core.api.sync.push()).code).toBe('forbidden');
  });

  it('enrols, pushes pseudonyms only, trains on the server and serves the pulled lists as "batch"', async () => {
    const bad = failure(await core.api.sync.enroll({ serverUrl: server.url, code: 'WRONG-CODE-123' }));
    expect(bad).toMatchObject({ code: 'forbidden', details: { field: 'code' } });
    const tenant = await createTenant(db, 'Room 4');
    const enrolled = value(
      await core.api.sync.enroll({ serverUrl: server.url, code: tenant.code, deviceName: 'Desk' }),
    );
    // The 6 interactions logged before enrolling are queued by it.
    expect(enrolled).toMatchObject({ enabled: true, enrolled: true, tenantId: tenant.tenantId, pending: 6 });

    const readers = value(await core.api.readers.list({ limit: 100 })).items.map((reader) => reader.id);
    const books = value(await core.api.books.list({ limit: 100 })).items.map((book) => book.id);
    const logged = await logHistories(core, { books, readers }, 6);
    // Each new interaction was queued with it (same transaction).
    expect(value(await core.api.sync.status()).pending).toBe(6 + logged);
    const feedback = value(
      await core.api.recommend.feedback({
        readerId: readers[0] as string,
        bookId: books[29] as string,
        kind: 'up',
      }),
    );
    expect(feedback.type).toBe('thumbs_up');
    expect(value(await core.api.sync.status()).pending).toBe(7 + logged);

    const pushed = value(await core.api.sync.push({ batchSize: 10 }));
    expect(pushed).toMatchObject({ accepted: 7 + logged, duplicates: 0, remaining: 0 });
    expect(await storedCount(db, tenant.tenantId)).toBe(7 + logged);
    const again = value(await core.api.sync.push());
    expect(again).toMatchObject({ accepted: 0, batches: 0, remaining: 0 });

    // The server holds hashes, never names or the device's pseudonym uuids.
    const stored = await db.query<{ reader: string; book_key: string }>(
      'SELECT DISTINCT reader, book_key FROM interactions WHERE tenant_id = $1',
      [tenant.tenantId],
    );
    const serverText = JSON.stringify(stored.rows);
    expect(serverText).not.toMatch(/Student|Secret/);
    for (const readerId of readers) {
      const reader = value(await core.api.readers.get({ id: readerId })) as { pseudonym?: string };
      if (reader.pseudonym) expect(serverText).not.toContain(reader.pseudonym);
    }
    expect(new Set(stored.rows.map((row) => row.reader)).size).toBe(6);
    expect(
      stored.rows.every((row) => /^[0-9a-f]{64}$/.test(row.reader) && /^isbn:97/.test(row.book_key)),
    ).toBe(true);
    // Least data: a band, a day, no device-local ids (event ids are keyed hashes, not the local rows').
    const local = value(
      await core.api.interactions.list({ readerId: readers[0] as string, limit: 100 }),
    ).items;
    const events = await db.query<{ id: string; band: string | null; day: string }>(
      "SELECT id::text, band, to_char(day, 'YYYY-MM-DD') AS day FROM interactions WHERE tenant_id = $1",
      [tenant.tenantId],
    );
    expect(new Set(events.rows.map((row) => row.band))).toEqual(new Set(['3-5']));
    const localIds = new Set([...local.map((item) => item.id), ...books]);
    expect(events.rows.some((row) => localIds.has(row.id))).toBe(false);
    expect(events.rows.every((row) => /^\d{4}-\d{2}-\d{2}$/.test(row.day))).toBe(true);

    const nightly = await runServerNightly(db, tempDir('lumin-archive-'), { tenantId: tenant.tenantId });
    expect(nightly.tenants[0]).toMatchObject({ version: 1, readers: 6 });
    // Served before the pull (and cached): the pull must drop that list.
    const before = value(await core.api.recommend.get({ readerId: readers[3] as string, k: 5 }));
    expect(before.source).not.toBe('batch');
    const pulled = value(await core.api.sync.pull());
    expect(pulled).toMatchObject({ version: 1, unchanged: false, readers: 6, skipped: 0 });
    expect(pulled.stored).toBeGreaterThan(0);
    expect(value(await core.api.sync.pull())).toMatchObject({ version: 1, unchanged: true });

    // No embeddings ran, so nothing personalises: the pulled lists serve, unread books only.
    const list = value(await core.api.recommend.get({ readerId: readers[3] as string, k: 5 }));
    expect(list.source).toBe('batch');
    expect(list.items.length).toBeGreaterThan(0);
    const read = value(
      await core.api.interactions.list({ readerId: readers[3] as string, limit: 100 }),
    ).items.map((item) => item.bookId);
    for (const item of list.items) expect(read).not.toContain(item.bookId);

    // The device's own nightly job keeps the server's lists (they win over local ALS for those readers).
    const job = value(await core.api.jobs.run({ kind: 'nightly' }));
    expect((await finishedJob(core, job.id)).state).toBe('succeeded');
    expect(value(await core.api.sync.status()).pulledVersion).toBe(1);
    expect(value(await core.api.sync.pull())).toMatchObject({ version: 1, unchanged: true });
    const after = value(await core.api.recommend.get({ readerId: readers[3] as string, k: 5, fresh: true }));
    expect(after.source).toBe('batch');
    expect(after.items.map((item) => item.bookId)).toEqual(list.items.map((item) => item.bookId));

    const status = value(await core.api.sync.status());
    expect(status).toMatchObject({ pending: 0, pulledVersion: 1, lastError: null });
    expect(status.lastPushAt).not.toBeNull();
    expect(status.lastPullAt).not.toBeNull();
  });

  it('queues imported interactions in the import transaction', async () => {
    const before = value(await core.api.sync.status()).pending;
    const path = join(tempDir('lumin-sync-import-'), 'goodreads_library_export.csv');
    writeFileSync(path, goodreadsExport(20));
    const preview = value(await core.api.imports.preview({ path, readerName: 'Imported Reader' }));
    const result = value(await core.api.imports.commit({ previewId: preview.previewId }));
    expect(result.imported).toBe(20);
    const reader = value(await core.api.readers.resolve({ ref: 'Imported Reader' }));
    const interactions = value(await core.api.interactions.list({ readerId: reader.id, limit: 1 })).total;
    expect(interactions).toBeGreaterThan(0);
    expect(value(await core.api.sync.status()).pending).toBe(before + interactions);
    // The export's dates (2022–2023) lie outside the server's 400-day window: dropped unsent.
    expect(value(await core.api.sync.push())).toMatchObject({ accepted: 0, remaining: 0 });
  });

  it('pushes in the background shortly after new interactions when the host runs the loop', async () => {
    const device = await open({ sync: { debounceMs: 50, everyMs: 60_000, pullEveryMs: 60_000 } });
    try {
      expect(value(await device.api.sync.status()).background).toBe(false);
      const tenant = await createTenant(db, 'Background school');
      value(await device.api.sync.enroll({ serverUrl: server.url, code: tenant.code }));
      expect(value(await device.api.sync.status()).background).toBe(true);
      const library = await smallLibrary(device, 4, 2);
      const logged = await logHistories(device, library, 2);
      const deadline = Date.now() + 20_000;
      while (value(await device.api.sync.status()).pending > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(value(await device.api.sync.status()).pending).toBe(0);
      expect(await storedCount(db, tenant.tenantId)).toBe(logged);
    } finally {
      await device.close();
    }
  });

  it('records the last error when the server is gone', async () => {
    const readers = value(await core.api.readers.list({ limit: 1 })).items;
    const books = value(await core.api.books.list({ limit: 1 })).items;
    value(
      await core.api.interactions.log({
        readerId: readers[0]?.id as string,
        bookId: books[0]?.id as string,
        type: 'view',
      }),
    );
    await server.close();
    const failed = failure(await core.api.sync.push({ attempts: 2 }));
    expect(failed.code).toBe('io');
    expect(failed.message).toMatch(/cannot reach/);
    const status = value(await core.api.sync.status());
    expect(status.pending).toBe(1);
    expect(status.lastError).toMatch(/cannot reach/);
  });
});
