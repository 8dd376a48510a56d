/**
 * The sync protocol between devices and the sync server: versioned JSON under `/v1/`. Only keyed
 * hashes of readers' pseudonyms (HMAC-SHA256 with a key that never leaves the device) and public book
 * identifiers ever leave a device, and only when sync is enabled. The schemas are shared by the client
 * and the server, so both refuse the same things; they are strict, so a field the protocol has no
 * place for (a name, a note) is refused rather than ignored.
 */
import { z } from 'zod';
import { INTERACTION_TYPES } from '../contract/domain';

/** Bumped on any incompatible change; both sides refuse a different major version. */
export const SYNC_PROTOCOL_VERSION = 1;

/** Interaction types the server accepts (the same as the local `interactions.type`). */
export const SYNC_INTERACTION_TYPES = INTERACTION_TYPES;

/** Most events in one push request. */
export const MAX_EVENTS_PER_PUSH = 1000;

/** A pseudonymous reader: 64 lowercase hex digits (HMAC-SHA256), so no name can travel in it. */
export const pseudonymSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (HMAC-SHA256)');

/** A book, by the device's book id and/or its ISBN-13 (at least one). */
export const syncBookSchema = z
  .strictObject({
    id: z.uuid().optional(),
    isbn13: z
      .string()
      .regex(/^97[89][0-9]{10}$/, 'must be an ISBN-13')
      .optional(),
  })
  .refine((book) => book.id !== undefined || book.isbn13 !== undefined, {
    message: 'needs an id or an isbn13',
  });

/** One interaction event as pushed. */
export const syncEventSchema = z.strictObject({
  id: z.uuid(),
  reader: pseudonymSchema,
  book: syncBookSchema,
  type: z.enum(SYNC_INTERACTION_TYPES),
  value: z.number().finite().nullable().optional(),
  /** The reader's school grade (-1 = pre-K … 13), for popular lists by band; never a name. */
  grade: z.int().min(-1).max(13).nullable().optional(),
  occurredAt: z.iso.datetime({ offset: true }),
});

/** A push request. */
export const pushRequestSchema = z.strictObject({
  events: z.array(syncEventSchema).min(1).max(MAX_EVENTS_PER_PUSH),
});

/** An enrolment request. */
export const enrollRequestSchema = z.strictObject({
  code: z.string().trim().min(6).max(64),
  deviceName: z.string().trim().min(1).max(80).optional(),
});

/** `GET /v1/recommendations?since=` */
export const recommendationsQuerySchema = z.strictObject({
  since: z.coerce.number().int().min(0).default(0),
});

/** `GET /v1/popular?band=&limit=` */
export const popularQuerySchema = z.strictObject({
  band: z.enum(['all', 'K-2', '3-5', '6-8', '9-12']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** One pushed event. */
export type SyncEvent = z.infer<typeof syncEventSchema>;
/** A push request body. */
export type PushRequest = z.infer<typeof pushRequestSchema>;

/** `POST /v1/enroll` answer. */
export interface EnrollResponse {
  /** The bearer token of this device (shown once; the server keeps only its SHA-256). */
  deviceToken: string;
  tenantId: string;
  deviceId: string;
}

/** `POST /v1/interactions` answer. */
export interface PushResponse {
  /** Events stored by this request. */
  accepted: number;
  /** Events the server already had (same id in this tenant). */
  duplicates: number;
  /** The tenant's high-water mark after this request (opaque; increases). */
  cursor: string;
}

/** One book of a batch list: the key the device sent (its book id or ISBN-13). */
export interface SyncRecommendedBook {
  bookId: string | null;
  isbn13: string | null;
  rank: number;
  score: number;
}

/** `GET /v1/recommendations` answer: the lists of the newest version, if newer than `since`. */
export interface RecommendationsResponse {
  /** The newest batch version of the tenant (0: none yet). */
  version: number;
  /** When that version was computed (ISO), or null. */
  generatedAt: string | null;
  /** Empty when `since` is already the newest version. */
  readers: { reader: string; books: SyncRecommendedBook[] }[];
}

/** `GET /v1/popular` answer. */
export interface PopularResponse {
  band: string;
  books: { bookId: string | null; isbn13: string | null; readers: number; score: number }[];
}

/** `GET /v1/health` answer. */
export interface HealthResponse {
  ok: true;
  protocol: number;
}

/** Error codes of the sync server (HTTP status in parentheses). */
export type SyncErrorCode =
  | 'invalid_argument' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'payload_too_large' // 413
  | 'rate_limited' // 429
  | 'internal' // 500
  | 'unavailable'; // 503

/** The error body, the project's error shape. */
export interface SyncErrorBody {
  name: 'LuminError';
  code: SyncErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** Grade bands of `GET /v1/popular`. */
export const GRADE_BANDS = { 'K-2': [-1, 2], '3-5': [3, 5], '6-8': [6, 8], '9-12': [9, 13] } as const;

/** A grade band name. */
export type GradeBand = keyof typeof GRADE_BANDS;

/** The band of a grade, or null. */
export function gradeBand(grade: number | null | undefined): GradeBand | null {
  if (grade === null || grade === undefined) return null;
  for (const [band, [low, high]] of Object.entries(GRADE_BANDS))
    if (grade >= low && grade <= high) return band as GradeBand;
  return null;
}

/** The book key the server groups by: the ISBN-13 when known (it is the same on every device). */
export function bookKey(book: { id?: string | null; isbn13?: string | null }): string {
  return book.isbn13 ? `isbn:${book.isbn13}` : `id:${book.id ?? ''}`;
}

/** Formats zod issues as one message naming each field: `events[3].reader: must be …`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path
        .map((part, index) =>
          typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
        )
        .join('');
      return `${prefix}${path || '(body)'}: ${issue.message}`;
    })
    .join('; ');
}
