/**
 * imports.preview / commit / cancel / export. A preview reads the whole file once without writing and
 * remembers only where the file is and what the user chose (not its rows: a 50 MB file is parsed again
 * by the commit, streaming, rather than held in memory). The commit runs the same pass inside one
 * transaction, so every accepted row lands or nothing does.
 */
import { failedRowsCsv } from '../../../shared/import/failed-rows';
import { randomUUID } from 'node:crypto';
import type { ImportPreview, ImportResult } from '../../../shared/contract/imports';
import { LuminFailure } from '../../../shared/contract/errors';
import { matchKey } from '../../../shared/domain/match-key';
import { toGoodreadsCsv } from '../../../shared/import/index';
import type { ImportedBook, ImportedReading } from '../../../shared/import/types';
import { writeFileAtomic } from '../backup';
import { requiredPathArgument } from '../handlers/file-argument';
import { assertFreeSpace, diskFullFailure, importSpaceNeeded, isDiskFull } from '../disk';
import type { Context } from '../context';
import type { HandlerSlice } from '../handlers/types';
import type { Sql } from '../sql';
import { loadSchemas } from './books';
import { Matcher } from './matcher';
import { ImportRun } from './run';
import { type ImportSource, assertUnchanged, maxImportBytes, openSource, parseBatches } from './source';

const BATCH_ROWS = 2500;

interface Session {
  source: ImportSource;
  readerId: string | null;
  readerName: string | null;
  className: string | null;
  rows: number;
  problemCount: number;
  cancelled: boolean;
  running: boolean;
}

const sessions = new Map<string, Session>();

/** Lets other messages (a cancel, a ping) in between batches of a long synchronous-looking pass. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Emits `import.progress` whenever another 1% is done. */
function progressReporter(context: Context, previewId: string, phase: 'preview' | 'commit', total: number) {
  let lastPercent = -1;
  return (done: number) => {
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    if (percent === lastPercent) return;
    lastPercent = percent;
    context.emit('import.progress', { previewId, phase, done, total });
  };
}

async function findReader(sql: Sql, readerId: string | undefined, readerName: string | undefined) {
  if (readerId) {
    const found = await sql.query<{ id: string; name: string }>(
      'SELECT id, name FROM readers WHERE id = $1',
      [readerId],
    );
    if (!found.rows[0])
      throw new LuminFailure('not_found', `no reader with id ${readerId}`, { field: 'readerId' });
    return { id: found.rows[0].id, name: found.rows[0].name, created: false };
  }
  if (readerName) {
    const found = await sql.query<{ id: string; name: string }>(
      'SELECT id, name FROM readers WHERE lower(name) = lower($1) LIMIT 2',
      [readerName],
    );
    if (found.rows.length > 1)
      throw new LuminFailure(
        'ambiguous',
        `more than one reader is named '${readerName}'; give the reader's id`,
        { field: 'readerName' },
      );
    const reader = found.rows[0];
    return reader
      ? { id: reader.id, name: reader.name, created: false }
      : { id: null, name: readerName, created: true };
  }
  return null;
}

function session(previewId: string): Session {
  const found = sessions.get(previewId);
  if (!found)
    throw new LuminFailure('not_found', `no import preview ${previewId}; preview the file again`, {
      field: 'previewId',
    });
  return found;
}

/** The import handlers; loaded on first use through workers/db/handlers/imports.ts. */
export const importActions = {
  async 'imports.preview'(input, context) {
    await loadSchemas();
    const path = requiredPathArgument('imports.preview', input, 'path', 'file');
    const source = await openSource(path, input.format, input.mapping, await maxImportBytes(context.db));
    const reader = await findReader(context.db, input.readerId, input.readerName);
    const previewId = randomUUID();
    const run = new ImportRun({
      write: false,
      // A reader the commit will create has no id yet; a placeholder lets the preview count interactions.
      reader: reader ? { id: reader.id ?? 'new-reader' } : null,
      classId: null,
      rejectMerges: new Set(),
    });
    await Matcher.backfill(context.db, matchKey);
    const report = progressReporter(context, previewId, 'preview', source.size);
    for await (const rows of parseBatches(source, BATCH_ROWS, report)) {
      await run.batch(context.db, rows);
      await yieldToEvents();
    }
    const totals = run.finish();
    sessions.set(previewId, {
      source,
      readerId: reader?.id ?? null,
      readerName: reader?.name ?? null,
      className: input.className ?? null,
      rows: totals.rows,
      problemCount: totals.problemCount,
      cancelled: false,
      running: false,
    });
    const preview: ImportPreview = {
      previewId,
      path: source.path,
      format: source.format,
      rows: totals.rows,
      toCreate: totals.toCreate,
      toMerge: totals.toMerge,
      interactions: totals.interactions,
      sample: totals.sample,
      problems: totals.problems,
      problemCount: totals.problemCount,
      merges: totals.merges,
      mergeCount: totals.mergeCount,
      reader,
    };
    return preview;
  },

  async 'imports.commit'(input, context) {
    const current = session(input.previewId);
    if (current.running)
      throw new LuminFailure('conflict', `import ${input.previewId} is already being committed`);
    if (input.strict && current.problemCount > 0)
      throw new LuminFailure(
        'invalid_argument',
        `${current.problemCount} row problem(s) in ${current.source.path}; nothing was imported (strict)`,
        { problemCount: current.problemCount },
      );
    await loadSchemas();
    await assertUnchanged(current.source);
    // PGlite cannot always roll back after ENOSPC mid-transaction, so a commit needs room first.
    assertFreeSpace('imports.commit', context.dataDir, importSpaceNeeded(current.source.size));
    current.running = true;
    current.cancelled = false;
    const report = progressReporter(context, input.previewId, 'commit', current.rows);
    try {
      const totals = await context.db.transaction(async (tx) => {
        // Every reference an import writes points at a reader or book this transaction just checked or
        // created, so the per-row foreign-key triggers (a lookup and a row lock each) are skipped, as
        // pg_restore does; the constraints stay and apply to every other write. Reverts at commit.
        await tx.exec('SET LOCAL session_replication_role = replica');
        let readerId = current.readerId;
        if (!readerId && current.readerName) {
          const made = await tx.query<{ id: string }>('INSERT INTO readers (name) VALUES ($1) RETURNING id', [
            current.readerName,
          ]);
          readerId = made.rows[0]?.id ?? null;
        }
        let classId: string | null = null;
        if (current.className) {
          const found = await tx.query<{ id: string }>(
            'SELECT id FROM classes WHERE lower(name) = lower($1)',
            [current.className],
          );
          classId =
            found.rows[0]?.id ??
            (
              await tx.query<{ id: string }>('INSERT INTO classes (name) VALUES ($1) RETURNING id', [
                current.className,
              ])
            ).rows[0]?.id ??
            null;
        }
        const run = new ImportRun({
          write: true,
          reader: readerId ? { id: readerId } : null,
          classId,
          rejectMerges: new Set(input.rejectMerges ?? []),
        });
        await Matcher.backfill(tx, matchKey);
        for await (const rows of parseBatches(current.source, BATCH_ROWS)) {
          await run.batch(tx, rows);
          report(run.totals.rows);
          await yieldToEvents();
          if (current.cancelled)
            throw new LuminFailure(
              'cancelled',
              `import of ${current.source.path} cancelled; nothing was written`,
            );
        }
        return run.finish();
      });
      const result: ImportResult = {
        previewId: input.previewId,
        format: current.source.format,
        rows: totals.rows,
        imported: totals.imported,
        updated: totals.updated,
        duplicates: totals.duplicates,
        failed: totals.problems,
        books: totals.books,
        interactions: totals.interactions,
        ...(totals.problems.length > 0 ? { failedRowsCsv: failedRowsCsv(totals.problems) } : {}),
      };
      for (const entity of ['books', 'readers', 'classes', 'interactions'] as const)
        context.changed({ entity, op: 'insert', ids: [] });
      sessions.delete(input.previewId);
      return result;
    } finally {
      current.running = false;
    }
  },

  async 'imports.cancel'(input) {
    const current = sessions.get(input.previewId);
    if (!current) return { previewId: input.previewId, cancelled: false };
    if (current.running) current.cancelled = true;
    else sessions.delete(input.previewId);
    return { previewId: input.previewId, cancelled: true };
  },

  async 'imports.export'(input, context) {
    const out = requiredPathArgument('imports.export', input, 'out', 'target');
    const reader = await context.db.query<{ id: string }>('SELECT id FROM readers WHERE id = $1', [
      input.readerId,
    ]);
    if (!reader.rows[0])
      throw new LuminFailure('not_found', `no reader with id ${input.readerId}`, { field: 'readerId' });
    const rows = await context.db.query<{
      title: string;
      subtitle: string | null;
      authors: string[];
      isbn13: string | null;
      isbn10: string | null;
      external_ids: Record<string, string>;
      publisher: string | null;
      pages: number | null;
      year: number | null;
      series: string | null;
      series_index: number | null;
      exclusive_shelf: string;
      shelves: string[];
      rating: number | null;
      date_read: Date | null;
      date_added: Date | null;
      read_count: number | null;
      owned_copies: number | null;
      review: string | null;
    }>(
      `SELECT b.title, b.subtitle, b.authors, b.isbn13, b.isbn10, b.external_ids, b.publisher, b.pages, b.year, b.series, b.series_index,
              rb.exclusive_shelf, rb.shelves, rb.rating, rb.date_read, rb.date_added, rb.read_count, rb.owned_copies, rb.review
         FROM reader_books rb JOIN books b ON b.id = rb.book_id
        WHERE rb.reader_id = $1 ORDER BY rb.date_added NULLS LAST, lower(b.title)`,
      [input.readerId],
    );
    const day = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : null);
    const entries = rows.rows.map((row) => {
      const book: ImportedBook = {
        title: row.title,
        subtitle: row.subtitle,
        authors: row.authors,
        isbn13: row.isbn13,
        isbn10: row.isbn10,
        externalIds: row.external_ids,
        publisher: row.publisher,
        pages: row.pages,
        year: row.year,
        series: row.series,
        seriesIndex: row.series_index,
      };
      const reading: ImportedReading = {
        shelf: row.exclusive_shelf,
        shelves: row.shelves,
        rating: row.rating,
        dateRead: day(row.date_read),
        dateAdded: day(row.date_added),
        readCount: row.read_count,
        ownedCopies: row.owned_copies,
        review: row.review,
      };
      return { book, reading };
    });
    try {
      writeFileAtomic(out, new TextEncoder().encode(toGoodreadsCsv(entries)));
    } catch (error) {
      if (isDiskFull(error)) throw diskFullFailure('imports.export', out, error);
      throw new LuminFailure('io', `imports.export: cannot write ${out}: ${(error as Error).message}`, {
        field: 'out',
      });
    }
    return { path: out, format: 'goodreads' as const, books: entries.length };
  },
} satisfies HandlerSlice<'imports'>;
