/**
 * Everything Lumin holds about one reader, as `readers.export` writes it (`lumin readers export NAME
 * --out FILE.json`, "Export data" in the app). The schema is versioned: a change to the shape bumps
 * `version`, and readers of the file check `format` and `version` first. Documented in README
 * ("Exporting a student's data"); tests round-trip an export through {@link readerExportSchema}.
 */
import { z } from 'zod';
import { INTERACTION_TYPES, READING_LEVEL_SYSTEMS } from './domain';

/** The version this build writes. */
export const READER_EXPORT_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });
const uuid = z.uuid();

/** A book as the export names it: enough to recognise it without Lumin. */
const bookReference = z.strictObject({
  id: uuid,
  title: z.string(),
  authors: z.array(z.string()),
  isbn13: z.string().nullable(),
});

const interaction = z.strictObject({
  id: uuid,
  book: bookReference,
  type: z.enum(INTERACTION_TYPES),
  value: z.number().nullable(),
  occurredAt: isoTime,
  /** The served item the interaction answered, when it answered one. */
  recLogId: z.number().int().nullable(),
});

/** The schema of a reader export. */
export const readerExportSchema = z.strictObject({
  format: z.literal('lumin.reader-export'),
  version: z.literal(READER_EXPORT_VERSION),
  exportedAt: isoTime,
  reader: z.strictObject({
    id: uuid,
    kind: z.enum(['student', 'self']),
    name: z.string(),
    grade: z.number().int().nullable(),
    age: z.number().int().nullable(),
    readingLevel: z
      .strictObject({
        value: z.string(),
        system: z.enum(READING_LEVEL_SYSTEMS),
        source: z.enum(['known', 'estimated']),
      })
      .nullable(),
    interests: z.array(z.string()),
    notes: z.string().nullable(),
    /** Whether their events go to the sync server when sync is on. */
    sync: z.boolean(),
    createdAt: isoTime,
    updatedAt: isoTime,
  }),
  class: z
    .strictObject({
      id: uuid,
      name: z.string(),
      grade: z.number().int().nullable(),
      notes: z.string().nullable(),
    })
    .nullable(),
  /** Every reading event, oldest first (feedback, pins and blocks included). */
  interactions: z.array(interaction),
  /** The feedback among them: thumbs up and down, dismissals, "want to read". */
  feedback: z.array(interaction),
  /** Books a teacher pinned for the reader (latest first), and books blocked for them. */
  pins: z.array(z.strictObject({ book: bookReference, at: isoTime })),
  blocks: z.array(z.strictObject({ book: bookReference, at: isoTime })),
  /** Their shelves as an import described them (Goodreads, StoryGraph…). */
  shelves: z.array(
    z.strictObject({
      book: bookReference,
      exclusiveShelf: z.string(),
      shelves: z.array(z.string()),
      rating: z.number().nullable(),
      dateRead: z.string().nullable(),
      dateAdded: z.string().nullable(),
      readCount: z.number().int().nullable(),
      review: z.string().nullable(),
      source: z.string(),
    }),
  ),
  /** Every list served to them, oldest first, with each item's explanation as shown. */
  servedLists: z.array(
    z.strictObject({
      requestId: uuid,
      servedAt: isoTime,
      items: z.array(
        z.strictObject({
          recLogId: z.number().int(),
          position: z.number().int(),
          book: bookReference.nullable(),
          source: z.string(),
          proposedBy: z.string().nullable(),
          score: z.number().nullable(),
          exploratory: z.boolean(),
          explanation: z.string().nullable(),
        }),
      ),
    }),
  ),
  /** Their latest batch list (nightly run or sync pull), by rank. */
  batchList: z.array(
    z.strictObject({ rank: z.number().int(), book: bookReference, modelVersion: z.string() }),
  ),
});

/** A reader export. */
export type ReaderExport = z.infer<typeof readerExportSchema>;
