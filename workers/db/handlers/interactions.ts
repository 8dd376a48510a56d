/** Interactions: idempotent logging by client id, listing; queued for sync only when sync is on. */
import { randomUUID } from 'node:crypto';
import type { Interaction } from '../../../shared/contract/domain';
import { LuminFailure } from '../../../shared/contract/errors';
import { iso } from '../context';
import type { HandlerSlice } from './types';

interface InteractionRow {
  id: string;
  reader_id: string;
  book_id: string;
  type: Interaction['type'];
  value: number | null;
  occurred_at: Date;
  rec_log_id: number | string | null;
}

function interactionFromRow(row: InteractionRow): Interaction {
  return {
    id: row.id,
    readerId: row.reader_id,
    bookId: row.book_id,
    type: row.type,
    value: row.value,
    occurredAt: iso(row.occurred_at),
    recLogId: row.rec_log_id === null ? null : Number(row.rec_log_id),
  };
}

function sameEvent(
  stored: Interaction,
  input: { readerId: string; bookId: string; type: string; value?: number | null },
) {
  return (
    stored.readerId === input.readerId &&
    stored.bookId === input.bookId &&
    stored.type === input.type &&
    (stored.value ?? null) === (input.value ?? null)
  );
}

export const interactionHandlers = {
  async 'interactions.log'(input, context) {
    const id = input.id ?? randomUUID();
    const outcome = await context.db.transaction(async (tx) => {
      const existing = await tx.query<InteractionRow>('SELECT * FROM interactions WHERE id = $1', [id]);
      if (existing.rows[0]) {
        const stored = interactionFromRow(existing.rows[0]);
        if (!sameEvent(stored, input))
          throw new LuminFailure('conflict', `interaction ${id} already exists with different content`, {
            field: 'id',
            id,
          });
        return { interaction: stored, inserted: false };
      }
      const refs = await tx.query<{
        reader: string | null;
        pseudonym: string | null;
        book: string | null;
        rec_log: string | null;
      }>(
        `SELECT (SELECT id::text FROM readers WHERE id = $1) AS reader,
                (SELECT pseudonym::text FROM readers WHERE id = $1) AS pseudonym,
                (SELECT id::text FROM books WHERE id = $2) AS book,
                (SELECT id::text FROM rec_logs WHERE id = $3) AS rec_log`,
        [input.readerId, input.bookId, input.recLogId ?? null],
      );
      const found = refs.rows[0];
      if (!found?.reader)
        throw new LuminFailure('not_found', `no reader with id ${input.readerId}`, { field: 'readerId' });
      if (!found.book)
        throw new LuminFailure('not_found', `no book with id ${input.bookId}`, { field: 'bookId' });
      if (input.recLogId != null && !found.rec_log)
        throw new LuminFailure('not_found', `no recommendation log entry ${input.recLogId}`, {
          field: 'recLogId',
        });
      const inserted = await tx.query<InteractionRow>(
        `INSERT INTO interactions (id, reader_id, book_id, type, value, occurred_at, rec_log_id)
         VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), $7) RETURNING *`,
        [
          id,
          input.readerId,
          input.bookId,
          input.type,
          input.value ?? null,
          input.occurredAt ?? null,
          input.recLogId ?? null,
        ],
      );
      const interaction = interactionFromRow(inserted.rows[0] as InteractionRow);
      // Only a pseudonym and the book's public identifiers ever leave the device, and only when sync is on
      // and the reader is not left out of it.
      await tx.query(
        `INSERT INTO sync_outbox (kind, payload)
         SELECT 'interaction', jsonb_build_object('id', $1::text, 'reader', $2::text, 'isbn13', b.isbn13, 'book', b.id,
                'type', $3::text, 'value', $4::real, 'occurredAt', $5::text)
         FROM books b WHERE b.id = $6 AND coalesce((SELECT value FROM settings WHERE key = 'sync.enabled'), 'false'::jsonb) = 'true'::jsonb
           AND (SELECT sync FROM readers WHERE pseudonym = $2::uuid)`,
        [
          interaction.id,
          found.pseudonym,
          interaction.type,
          interaction.value,
          interaction.occurredAt,
          interaction.bookId,
        ],
      );
      return { interaction, inserted: true };
    });
    if (outcome.inserted)
      context.changed({
        entity: 'interactions',
        op: 'insert',
        ids: [outcome.interaction.id],
        readerIds: [input.readerId],
      });
    return outcome.interaction;
  },

  async 'interactions.list'(input, context) {
    const { readerId, bookId, type, limit, offset } = input ?? { limit: 100, offset: 0 };
    const where =
      '($1::uuid IS NULL OR reader_id = $1) AND ($2::uuid IS NULL OR book_id = $2) AND ($3::text IS NULL OR type = $3)';
    const parameters = [readerId ?? null, bookId ?? null, type ?? null];
    const [rows, total] = await Promise.all([
      context.db.query<InteractionRow>(
        `SELECT * FROM interactions WHERE ${where} ORDER BY occurred_at DESC, id LIMIT $4 OFFSET $5`,
        [...parameters, limit, offset],
      ),
      context.db.query<{ total: number }>(
        `SELECT count(*)::int AS total FROM interactions WHERE ${where}`,
        parameters,
      ),
    ]);
    return { items: rows.rows.map(interactionFromRow), total: total.rows[0]?.total ?? 0 };
  },
} satisfies HandlerSlice<'interactions'>;
