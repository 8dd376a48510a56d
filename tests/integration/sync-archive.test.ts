/** The nightly archive: rows older than 48 h leave the hot table only into a Parquet file that holds them all. */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveOld } from '../../server/archive';
import type { ServerDb } from '../../server/db';
import { runServerNightly } from '../../server/nightly';
import { storeEvents } from '../../server/push';
import { createTenant } from '../../server/tenants';
import { cleanupDirs, tempDir } from '../support/core';
import { dayOf } from '../../shared/sync/protocol';
import { dropSchema, makeEvents, openTestDb, storedCount } from '../support/sync-server';

let db: ServerDb;
let schema: string;
beforeAll(async () => {
  ({ db, schema } = await openTestDb());
});
afterAll(async () => {
  await db.close();
  await dropSchema(schema);
  cleanupDirs();
});

interface Row {
  id: string;
  reader: string;
  book_key: string;
  type: string;
  value: number | null;
  band: string | null;
  day: string;
}

const ROW_SQL = `SELECT id::text, reader, book_key, type, value, band, to_char(day, 'YYYY-MM-DD') AS day
  FROM interactions WHERE tenant_id = $1 ORDER BY id`;

describe('archive', () => {
  it('moves rows older than 48 h to Parquet partitioned by tenant and date, equal to the rows removed', async () => {
    const tenant = await createTenant(db, 'Archive school');
    const other = await createTenant(db, 'Other school');
    const now = new Date();
    const old = makeEvents(250, { hoursAgo: 24 * 5, readers: 7 }).map((event, index) => ({
      ...event,
      // Spread over three days, some with values and work keys instead of ISBNs.
      day: dayOf(now.getTime() - (72 + (index % 3) * 24) * 3_600_000),
      value: index % 5 === 0 ? 4.5 : null,
      type: index % 5 === 0 ? ('rating' as const) : event.type,
      book: index % 7 === 0 ? { work: `w${'ab'.repeat(15)}0${index % 10}` } : event.book,
    }));
    const fresh = makeEvents(40, { hoursAgo: 1 });
    await storeEvents(db, tenant.tenantId, '00000000-0000-4000-8000-000000000001', [...old, ...fresh]);
    await storeEvents(
      db,
      other.tenantId,
      '00000000-0000-4000-8000-000000000002',
      makeEvents(30, { hoursAgo: 100 }),
    );
    const before = (await db.query<Row>(ROW_SQL, [tenant.tenantId])).rows;
    const archiveDir = tempDir('lumin-archive-');

    const report = await archiveOld(db, archiveDir, { now, tenantId: tenant.tenantId });
    expect(report.rows).toBe(250);
    const after = (await db.query<Row>(ROW_SQL, [tenant.tenantId])).rows;
    expect(after).toHaveLength(40);
    const removed = before.filter((row) => !after.some((kept) => kept.id === row.id));
    expect(removed).toHaveLength(250);
    // Only the asked tenant's rows moved.
    expect(await storedCount(db, other.tenantId)).toBe(30);

    const files = report.files.map((file) => relative(archiveDir, file)).sort();
    expect(files).toHaveLength(3);
    for (const file of files)
      expect(file).toMatch(
        new RegExp(`^tenant=${tenant.tenantId}/date=\\d{4}-\\d{2}-\\d{2}/part-\\d+-\\d+\\.parquet$`),
      );
    const read: Row[] = [];
    for (const file of report.files) {
      const date = /date=([\d-]+)/.exec(file)?.[1];
      const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as (Row & {
        seq: bigint;
      })[];
      for (const row of rows) {
        // Each row lies in its file's date partition; no time, grade or device id is kept.
        expect(row.day).toBe(date);
        expect(Object.keys(row).sort()).toEqual(
          ['band', 'book_key', 'day', 'id', 'reader', 'seq', 'type', 'value'].sort(),
        );
        read.push({
          id: row.id,
          reader: row.reader,
          book_key: row.book_key,
          type: row.type,
          value: row.value ?? null,
          band: row.band ?? null,
          day: row.day,
        });
      }
    }
    read.sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(read).toEqual(removed);
    expect(
      readdirSync(join(archiveDir, `tenant=${tenant.tenantId}`)).every((name) => name.startsWith('date=')),
    ).toBe(true);

    // Pushed again after archiving, the archived events are still duplicates.
    const again = await storeEvents(
      db,
      tenant.tenantId,
      '00000000-0000-4000-8000-000000000001',
      old.slice(0, 100),
    );
    expect(again).toMatchObject({ accepted: 0, duplicates: 100 });

    // Training still sees the archived evidence: every reader gets a list.
    const nightly = await runServerNightly(db, archiveDir, { now, tenantId: tenant.tenantId });
    expect(nightly.archive.rows).toBe(0);
    expect(nightly.tenants[0]).toMatchObject({ version: 1, readers: 7 });
    const lists = await db.query<{ n: number }>(
      'SELECT count(DISTINCT reader)::int AS n FROM batch_recs WHERE tenant_id = $1',
      [tenant.tenantId],
    );
    expect(lists.rows[0]?.n).toBe(7);
    const similar = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM item_similarity WHERE tenant_id = $1',
      [tenant.tenantId],
    );
    expect(similar.rows[0]?.n).toBeGreaterThan(0);
  });
});
