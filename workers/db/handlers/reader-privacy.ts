/**
 * A reader's data on request: erase (`readers.remove`), export (`readers.export`), and a new
 * pseudonym for sync (`sync.rotate`). The work lives in workers/db/readers/ and sync/erase-requests.ts.
 */
import { LuminFailure } from '../../../shared/contract/errors';
import type { DbHandlers } from './types';
import { dataLayout } from '../layout';
import { forgetCollaborative } from '../recommend/collaborative';
import { eraseFromBackups } from '../readers/erase-backups';
import { TEXT_TABLES, eraseReaderRows } from '../readers/erase';
import { readerExport, writeReaderExport } from '../readers/export';
import { scrubDeleted } from '../readers/scrub';
import { queueErase } from '../sync/erase-requests';

type PrivacyMethods = 'readers.remove' | 'readers.export' | 'sync.rotate';

export const readerPrivacyHandlers = {
  async 'readers.remove'(input, context) {
    const erased = await context.db.transaction((tx) => eraseReaderRows(tx, input.id));
    if (erased.modelRowDropped) forgetCollaborative();
    // Committed: tell the caches now (the host's lists, the serving memory, the shared memo), then scrub.
    context.changed({ entity: 'readers', op: 'delete', ids: [input.id] });
    context.changed({ entity: 'recommendations', op: 'update', ids: [] });
    const rewrite = TEXT_TABLES.filter((table) => table === 'readers' || erased.deleted[table]);
    await scrubDeleted(context.db, dataLayout(context.dataDir).pgdata, rewrite);
    const backupsRewritten = await eraseFromBackups(context.dataDir, input.id, erased.name);
    return {
      id: input.id,
      deleted: erased.deleted,
      modelRowDropped: erased.modelRowDropped,
      backupsRewritten,
      eraseQueued: erased.eraseQueued,
    };
  },

  async 'readers.export'(input, context) {
    const data = await context.db.transaction((tx) => readerExport(tx, input.id));
    if (!input.out) return { path: null, bytes: Buffer.byteLength(JSON.stringify(data)), data };
    return { path: input.out, bytes: writeReaderExport(input.out, data), data };
  },

  async 'sync.rotate'(input, context) {
    const rotated = await context.db.transaction(async (tx) => {
      const old = await tx.query<{ pseudonym: string }>(
        'SELECT pseudonym::text FROM readers WHERE id = $1 FOR UPDATE',
        [input.readerId],
      );
      const previous = old.rows[0]?.pseudonym;
      if (!previous)
        throw new LuminFailure('not_found', `sync.rotate: no reader with id ${input.readerId}`, {
          field: 'readerId',
        });
      const fresh = await tx.query<{ pseudonym: string }>(
        'UPDATE readers SET pseudonym = gen_random_uuid(), updated_at = now() WHERE id = $1 RETURNING pseudonym::text',
        [input.readerId],
      );
      const moved = await tx.query(
        `UPDATE sync_outbox SET payload = jsonb_set(payload, '{reader}', to_jsonb($2::text))
          WHERE kind = 'interaction' AND sent_at IS NULL AND payload->>'reader' = $1`,
        [previous, fresh.rows[0]?.pseudonym],
      );
      return { eraseQueued: await queueErase(tx, previous), moved: moved.affectedRows ?? 0 };
    });
    context.changed({ entity: 'readers', op: 'update', ids: [input.readerId] });
    return { readerId: input.readerId, ...rotated };
  },
} satisfies Pick<DbHandlers, PrivacyMethods>;
