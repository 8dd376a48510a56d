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
  book_id: string | null;
  isbn13: string | null;
  type: string;
  value: number | null;
  grade: number | null;
  occurred_at: string;
}

const ROW_SQL = `SELECT id::text, reader, book_id::text, isbn13, type, value, grade,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at
  FROM interactions WHERE tenant_id = $1 ORDER BY id`;

describe('archive', () => {
  it('moves rows older than 48 h to Parquet partitioned by tenant and date, equal to the rows removed', async () => {
    const tenant = await createTenant(db, 'Archive school');
    const other = await createTenant(db, 'Other school');
    const now = new Date();
    const old = makeEvents(250, { hoursAgo: 24 * 5 }).map((event, index) => ({
      ...event,
      // Spread over three days, some with values and ids instead of ISBNs.
      occurredAt: new Date(now.getTime() - (72 + (index % 3) * 24) * 3_600_000 - index * 1000).toISOString(),
      value: index % 5 === 0 ? 4.5 : null,
      type: index % 5 === 0 ? ('rating' as const) : event.type,
      book: index % 7 === 0 ? { id: '00000000-0000-4000-8000-00000000000' + (index % 10) } : event.book,
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
    expect(files.length).toBeGreaterThanOrEqual(3); // 4 when a day's spread crosses midnight
    for (const file of files)
      expect(file).toMatch(
        new RegExp(`^tenant=${tenant.tenantId}/date=\\d{4}-\\d{2}-\\d{2}/part-\\d+-\\d+\\.parquet$`),
      );
    const read: Row[] = [];
    for (const file of report.files) {
      const date = /date=([\d-]+)/.exec(file)?.[1];
      const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as (Omit<
        Row,
        'occurred_at'
      > & { occurred_at: Date })[];
      for (const row of rows) {
        // Each row lies in its file's date partition.
        expect(row.occurred_at.toISOString().slice(0, 10)).toBe(date);
        read.push({
          id: row.id,
          reader: row.reader,
          book_id: row.book_id ?? null,
          isbn13: row.isbn13 ?? null,
          type: row.type,
          value: row.value ?? null,
          grade: row.grade ?? null,
          occurred_at: row.occurred_at.toISOString(),
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
    expect(nightly.tenants[0]).toMatchObject({ version: 1, readers: 5 });
    const lists = await db.query<{ n: number }>(
      'SELECT count(DISTINCT reader)::int AS n FROM batch_recs WHERE tenant_id = $1',
      [tenant.tenantId],
    );
    expect(lists.rows[0]?.n).toBe(5);
    const similar = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM item_similarity WHERE tenant_id = $1',
      [tenant.tenantId],
    );
    expect(similar.rows[0]?.n).toBeGreaterThan(0);
  });
});
