/**
 * `readers.export`: everything about one reader as one JSON document (shared/contract/reader-export.ts),
 * read in one transaction so the parts agree, and written atomically when a file is asked for.
 */
import {
  READER_EXPORT_VERSION,
  type ReaderExport,
  readerExportSchema,
} from '../../../shared/contract/reader-export';
import { LuminFailure } from '../../../shared/contract/errors';
import { writeFileAtomic } from '../backup';
import { type Sql, iso, readingLevelOf } from '../sql';

type Book = ReaderExport['interactions'][number]['book'];

const BOOK = `jsonb_build_object('id', b.id, 'title', b.title, 'authors', to_jsonb(b.authors), 'isbn13', b.isbn13)`;
const FEEDBACK = new Set(['thumbs_up', 'thumbs_down', 'dismiss', 'want']);
const day = (value: unknown) => (value === null ? null : iso(value).slice(0, 10));

/** Reads reader `id`'s export. */
export async function readerExport(sql: Sql, id: string): Promise<ReaderExport> {
  const readers = await sql.query<Record<string, unknown>>(
    `SELECT r.*, c.id AS c_id, c.name AS c_name, c.grade AS c_grade, c.notes AS c_notes
       FROM readers r LEFT JOIN classes c ON c.id = r.class_id WHERE r.id = $1`,
    [id],
  );
  const row = readers.rows[0];
  if (!row) throw new LuminFailure('not_found', `readers.export: no reader with id ${id}`, { field: 'id' });
  const interactions = await sql.query<{
    id: string;
    book: Book;
    type: ReaderExport['interactions'][number]['type'];
    value: number | null;
    occurred_at: Date;
    rec_log_id: string | null;
  }>(
    `SELECT i.id, ${BOOK} AS book, i.type, i.value, i.occurred_at, i.rec_log_id::text
       FROM interactions i JOIN books b ON b.id = i.book_id WHERE i.reader_id = $1 ORDER BY i.occurred_at, i.id`,
    [id],
  );
  const events = interactions.rows.map((event) => ({
    id: event.id,
    book: event.book,
    type: event.type,
    value: event.value,
    occurredAt: iso(event.occurred_at),
    recLogId: event.rec_log_id === null ? null : Number(event.rec_log_id),
  }));
  const latestFirst = (type: string) =>
    events
      .filter((event) => event.type === type)
      .reverse()
      .map((event) => ({ book: event.book, at: event.occurredAt }));
  const shelves = await sql.query<Record<string, unknown> & { book: Book }>(
    `SELECT ${BOOK} AS book, s.* FROM reader_books s JOIN books b ON b.id = s.book_id
      WHERE s.reader_id = $1 ORDER BY s.date_added NULLS LAST, b.title`,
    [id],
  );
  const served = await sql.query<{
    id: string;
    request_id: string;
    served_at: Date;
    position: number;
    book: Book | null;
    source: string;
    proposed_by: string | null;
    score: number | null;
    exploratory: boolean;
    explanation: string | null;
  }>(
    `SELECT l.id::text, l.request_id, l.served_at, l.position, CASE WHEN b.id IS NULL THEN NULL ELSE ${BOOK} END AS book,
            l.source, l.proposed_by, l.score, l.exploratory, coalesce(l.explanation ->> 'text', l.explanation #>> '{}') AS explanation
       FROM rec_logs l LEFT JOIN books b ON b.id = l.book_id WHERE l.reader_id = $1 ORDER BY l.id`,
    [id],
  );
  const lists = new Map<string, ReaderExport['servedLists'][number]>();
  for (const item of served.rows) {
    let list = lists.get(item.request_id);
    if (!list)
      lists.set(
        item.request_id,
        (list = { requestId: item.request_id, servedAt: iso(item.served_at), items: [] }),
      );
    list.items.push({
      recLogId: Number(item.id),
      position: item.position,
      book: item.book,
      source: item.source,
      proposedBy: item.proposed_by,
      score: item.score,
      exploratory: item.exploratory,
      explanation: item.explanation,
    });
  }
  const batch = await sql.query<{ rank: number; book: Book; model_version: string }>(
    `SELECT r.rank, ${BOOK} AS book, r.model_version FROM batch_recs r JOIN books b ON b.id = r.book_id
      WHERE r.reader_id = $1 ORDER BY r.rank`,
    [id],
  );
  const document: ReaderExport = {
    format: 'lumin.reader-export',
    version: READER_EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    reader: {
      id: row.id as string,
      kind: row.kind as 'student' | 'self',
      name: row.name as string,
      grade: row.grade as number | null,
      age: row.age as number | null,
      readingLevel: readingLevelOf(row as never),
      interests: row.interests as string[],
      notes: row.notes as string | null,
      sync: row.sync as boolean,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    },
    class: row.c_id
      ? {
          id: row.c_id as string,
          name: row.c_name as string,
          grade: row.c_grade as number | null,
          notes: row.c_notes as string | null,
        }
      : null,
    interactions: events,
    feedback: events.filter((event) => FEEDBACK.has(event.type)),
    pins: latestFirst('pin'),
    blocks: latestFirst('block'),
    shelves: shelves.rows.map((shelf) => ({
      book: shelf.book,
      exclusiveShelf: shelf.exclusive_shelf as string,
      shelves: shelf.shelves as string[],
      rating: shelf.rating as number | null,
      dateRead: day(shelf.date_read),
      dateAdded: day(shelf.date_added),
      readCount: shelf.read_count as number | null,
      review: shelf.review as string | null,
      source: shelf.source as string,
    })),
    servedLists: [...lists.values()],
    batchList: batch.rows.map((item) => ({
      rank: item.rank,
      book: item.book,
      modelVersion: item.model_version,
    })),
  };
  // The document must be what the README documents: a drift is a bug, caught here rather than by a reader of the file.
  return readerExportSchema.parse(document);
}

/** Writes `document` to `out` atomically; returns its size in bytes. */
export function writeReaderExport(out: string, document: ReaderExport): number {
  const bytes = Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
  try {
    writeFileAtomic(out, bytes);
  } catch (error) {
    throw new LuminFailure('io', `readers.export: cannot write ${out}: ${(error as Error).message}`, {
      field: 'out',
      path: out,
    });
  }
  return bytes.length;
}
