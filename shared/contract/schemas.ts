/**
 * Validation of every argument at the boundary (zod). The host parses each call's input with the
 * schema of its method before any worker sees it, so malformed input writes nothing.
 */
import { z } from 'zod';
import { INTERACTION_TYPES, JOB_STATES } from './domain';
import {
  bookInputSchema,
  bookPatchSchema,
  optionalText,
  readingLevelSchema,
  text,
  words,
} from './book-schemas';
import { SETTINGS_SCHEMAS, SETTING_KEYS } from './settings';
import type { MethodName } from './methods';
import { parseModelId } from '../embed/models';
import { IMPORT_FORMATS, MAPPABLE_FIELDS } from '../import/types';
import { FILE_HANDLE_PATTERN } from './desktop';

export {
  type BookInput,
  type BookInputParsed,
  type BookPatchParsed,
  bookInputSchema,
  bookPatchSchema,
  readingLevelSchema,
} from './book-schemas';

const id = z.uuid({ message: 'must be a UUID' });
const modelId = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .superRefine((value, context) => {
    const parsed = parseModelId(value);
    if ('error' in parsed) context.addIssue({ code: 'custom', message: parsed.error });
  })
  .transform((value) => {
    const parsed = parseModelId(value);
    return 'spec' in parsed ? parsed.spec.id : value;
  });
/** A path on disk: the CLI's and the tests' form of a file argument (the app's bridge refuses it). */
const filePath = z.string().min(1).max(4096);
/** The app's form of a file argument: a handle from the open or save dialog or a drop (see ./desktop.ts). */
const fileHandle = z
  .string()
  .regex(FILE_HANDLE_PATTERN, 'must be a file handle from the open or save dialog');
/** Refuses an input giving both a path and a handle for the same file. */
const notBoth = (pathField: string, handleField: string) => ({
  check: (input: Record<string, unknown>) =>
    input[pathField] === undefined || input[handleField] === undefined,
  issue: { message: `give ${pathField} or ${handleField}, not both`, path: [handleField] },
});
/** Requires exactly one of a path and a handle for the same file. */
const oneOf = (pathField: string, handleField: string) => ({
  check: (input: Record<string, unknown>) =>
    (input[pathField] === undefined) !== (input[handleField] === undefined),
  issue: {
    message: `give ${pathField} (a path) or ${handleField} (a file handle), exactly one`,
    path: [pathField],
  },
});
const previewFile = oneOf('path', 'file');
const backupTarget = notBoth('out', 'target');
const exportTarget = oneOf('out', 'target');

const listWindow = {
  limit: z.int().min(1).max(10_000).default(100),
  offset: z.int().min(0).default(0),
};
const byId = z.strictObject({ id });
const empty = z.strictObject({}).optional();
const reference = z.strictObject({ ref: text(1000) });

const readerFields = {
  name: text(200),
  kind: z.enum(['student', 'self']).optional(),
  grade: z.int().min(-1).max(13).nullish(),
  age: z.int().min(2).max(120).nullish(),
  readingLevel: readingLevelSchema.nullish(),
  interests: words(100).optional(),
  notes: z.string().trim().max(10_000).nullish(),
  classId: id.nullish(),
  /** Finds the class by name (case-insensitive) or creates it; mutually exclusive with `classId`. */
  className: optionalText(200),
  /** Whether the reader's events go to the sync server when sync is on (default true). */
  sync: z.boolean().optional(),
};
const oneClassReference = (reader: { classId?: string | null; className?: string | null }) =>
  reader.classId == null || reader.className == null;
const classIssue = { message: 'give classId or className, not both', path: ['className'] };

/** The schemas of every method's input, keyed by method name. */
export const inputSchemas = {
  'status.get': empty,
  'status.ping': empty,
  'books.add': bookInputSchema,
  'books.addMany': z.strictObject({ books: z.array(bookInputSchema).min(1).max(100_000) }),
  'books.get': byId,
  'books.resolve': reference,
  'books.list': z
    .strictObject({
      query: z.string().trim().max(500).optional(),
      /** Only books with a subject containing this text (case-insensitive). */
      subject: z.string().trim().min(1).max(200).optional(),
      /** Only books the library owns a copy of (true) or does not (false). */
      owned: z.boolean().optional(),
      /** Only books with (true) or without (false) a vector of the active embedding model. */
      embedded: z.boolean().optional(),
      /** Only books whose reading level converts to a grade in this band (inclusive); books without one are left out. */
      gradeMin: z.number().min(-1).max(13).optional(),
      gradeMax: z.number().min(-1).max(13).optional(),
      ...listWindow,
    })
    .optional(),
  'books.update': z.strictObject({ id, patch: bookPatchSchema }),
  'books.remove': byId,
  'classes.add': z.strictObject({
    name: text(200),
    grade: z.int().min(-1).max(13).nullish(),
    notes: optionalText(10_000),
  }),
  'classes.list': empty,
  'classes.update': z.strictObject({
    id,
    patch: z
      .strictObject({
        name: text(200),
        grade: z.int().min(-1).max(13).nullish(),
        notes: optionalText(10_000),
      })
      .partial(),
  }),
  'classes.remove': byId,
  'readers.add': z.strictObject(readerFields).refine(oneClassReference, classIssue),
  'readers.get': byId,
  'readers.resolve': reference,
  'readers.list': z
    .strictObject({ classId: id.optional(), query: z.string().trim().max(200).optional(), ...listWindow })
    .optional(),
  'readers.update': z.strictObject({
    id,
    patch: z
      .strictObject(readerFields)
      .partial()
      .refine(oneClassReference, classIssue)
      .refine((patch) => Object.keys(patch).length > 0, 'patch must change at least one field'),
  }),
  'readers.remove': byId,
  'interactions.log': z
    .strictObject({
      id: id.optional(),
      readerId: id,
      bookId: id,
      type: z.enum(INTERACTION_TYPES),
      value: z.number().finite().nullish(),
      occurredAt: z.iso.datetime({ offset: true }).optional(),
      recLogId: z.int().min(1).nullish(),
    })
    .superRefine((input, context) => {
      if (input.type === 'rating' && (input.value == null || input.value < 0.5 || input.value > 5))
        context.addIssue({
          code: 'custom',
          message: 'a rating needs a value from 0.5 to 5',
          path: ['value'],
        });
    }),
  'interactions.list': z
    .strictObject({
      readerId: id.optional(),
      bookId: id.optional(),
      type: z.enum(INTERACTION_TYPES).optional(),
      ...listWindow,
    })
    .optional(),
  'settings.get': z.strictObject({ key: z.enum(SETTING_KEYS as [string, ...string[]]) }),
  'settings.set': z
    .strictObject({ key: z.enum(SETTING_KEYS as [string, ...string[]]), value: z.unknown() })
    .superRefine((input, context) => {
      const schema = SETTINGS_SCHEMAS[input.key as keyof typeof SETTINGS_SCHEMAS];
      const parsed = schema.safeParse(input.value);
      if (!parsed.success)
        context.addIssue({
          code: 'custom',
          message: parsed.error.issues[0]?.message ?? 'invalid value',
          path: ['value'],
        });
    }),
  'settings.list': empty,
  'jobs.list': z
    .strictObject({
      state: z.enum(JOB_STATES).optional(),
      kind: z.string().max(100).optional(),
      ...listWindow,
    })
    .optional(),
  'jobs.get': byId,
  'jobs.cancel': byId,
  'jobs.pause': byId,
  'jobs.resume': byId,
  'backup.create': z
    .strictObject({
      /** Where to write it (CLI); default: the backups folder. */
      out: filePath.optional(),
      /** Where to write it (the app): a save-dialog handle of kind `backup`. */
      target: fileHandle.optional(),
    })
    .refine(backupTarget.check, backupTarget.issue)
    .optional(),
  'backup.list': empty,
  'imports.preview': z
    .strictObject({
      /** The file (CLI, tests). */
      path: filePath.optional(),
      /** The file (the app): a handle from the open dialog or a drop. */
      file: fileHandle.optional(),
      format: z.enum(['auto', ...IMPORT_FORMATS]).default('auto'),
      /** For generic CSV/JSON: Lumin field → the file's column, overriding the guess. */
      mapping: z.partialRecord(z.enum(MAPPABLE_FIELDS), z.string().min(1).max(200)).optional(),
      /** The reader whose history the file is: an id, or a name (found, or created by the commit). */
      readerId: id.optional(),
      readerName: text(200).optional(),
      /** For rosters: the class the students join (found, or created by the commit). */
      className: text(200).optional(),
    })
    .refine((input) => input.readerId === undefined || input.readerName === undefined, {
      message: 'give readerId or readerName, not both',
      path: ['readerName'],
    })
    .refine(previewFile.check, previewFile.issue),
  'imports.commit': z.strictObject({
    previewId: id,
    /** Rows whose proposed title-and-author merge the user rejected: they become books of their own. */
    rejectMerges: z.array(z.int().min(1)).max(1_000_000).optional(),
    /** Write nothing if any row has a problem. */
    strict: z.boolean().optional(),
  }),
  'imports.cancel': z.strictObject({ previewId: id }),
  'imports.export': z
    .strictObject({
      readerId: id,
      format: z.literal('goodreads'),
      /** Where to write it (CLI). */
      out: filePath.optional(),
      /** Where to write it (the app): a save-dialog handle of kind `goodreads-export`. */
      target: fileHandle.optional(),
    })
    .refine(exportTarget.check, exportTarget.issue),
  'embeddings.status': empty,
  'embeddings.run': z.strictObject({ model: modelId.optional() }).optional(),
  'embeddings.similar': z.strictObject({ id, k: z.int().min(1).max(200).default(10) }),
  'models.list': empty,
  'models.use': z.strictObject({ id: modelId }),
  'models.setApiKey': z.strictObject({
    /** The OpenAI (or compatible) API key; `null` forgets it. */
    key: z
      .string()
      .trim()
      .min(1, { message: 'must not be empty (use null to forget the key)' })
      .max(500)
      .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
      .nullable(),
    /**
     * The endpoint the key is for: it is stored for this URL's origin and sent nowhere else
     * (default: the embedding endpoint in `embeddings.openai.baseUrl`, '' meaning OpenAI's).
     */
    baseUrl: z.union([z.url({ protocol: /^https?$/ }), z.literal('')]).optional(),
  }),
  'recommend.get': z.strictObject({
    readerId: id,
    k: z.int().min(1).max(100).default(10),
    /** Ask for LLM explanations (when an endpoint is configured); templates otherwise. */
    explain: z.boolean().default(false),
    /** Only books the library owns a copy of. */
    ownedOnly: z.boolean().default(false),
    /** Skip the cache (the list is computed and cached again). */
    fresh: z.boolean().default(false),
  }),
  'recommend.group': z.strictObject({
    readerIds: z.array(id).min(2).max(60),
    k: z.int().min(1).max(50).default(10),
  }),
  'recommend.feedback': z.strictObject({
    readerId: id,
    bookId: id,
    kind: z.enum(['up', 'down', 'dismiss', 'pin', 'block']),
  }),
  'stats.get': z
    .strictObject({
      classId: id.optional(),
      /** ISO date or date-time; default 30 days ago. */
      from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
      to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    })
    .optional(),
  'jobs.run': z.strictObject({ kind: z.enum(['nightly', 'enrich']) }),
  'analytics.activity': z
    .strictObject({
      classId: id.optional(),
      /** ISO date or date-time; default 12 weeks before `to`. */
      from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
      to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    })
    .optional(),
  'analytics.levels': z
    .strictObject({
      classId: id.optional(),
      /** Count only books the library owns a copy of. */
      ownedOnly: z.boolean().default(false),
    })
    .optional(),
  'sync.enroll': z.strictObject({
    /** The sync server's base URL (http or https). */
    serverUrl: z.url({ protocol: /^https?$/ }).max(2000),
    /** The enrolment code the server's administrator handed out. */
    code: z.string().trim().min(6).max(64),
    /** How the server lists this device (not a reader's name). */
    deviceName: text(80).optional(),
  }),
  'sync.push': z
    .strictObject({
      /** Events per request (default 500). */
      batchSize: z.int().min(1).max(1000).optional(),
      /** Attempts per batch before giving up (default 6, with exponential backoff and jitter). */
      attempts: z.int().min(1).max(20).optional(),
    })
    .optional(),
  'sync.pull': empty,
  'sync.status': empty,
  'privacy.get': empty,
  'readers.export': z.strictObject({
    id,
    /** Where to write the JSON (atomically); without it the document is only returned. */
    out: z.string().trim().min(1).max(4096).optional(),
  }),
  'sync.rotate': z.strictObject({ readerId: id }),
} as const satisfies Record<MethodName, z.ZodType>;
