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
export const SYNC_PROTOCOL_VERSION = 2;

/** Interaction types the server accepts (the same as the local `interactions.type`). */
export const SYNC_INTERACTION_TYPES = INTERACTION_TYPES;

/** Most events in one push request. */
export const MAX_EVENTS_PER_PUSH = 1000;

/** A pseudonymous reader: 64 lowercase hex digits (HMAC-SHA256), so no name can travel in it. */
export const pseudonymSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (HMAC-SHA256)');

/** A work key: `w` and 32 hex digits of SHA-256 of the book's normalised title and first author. */
export const WORK_KEY = /^w[0-9a-f]{32}$/;

/** A calendar day (UTC), `YYYY-MM-DD`: events carry the day, never the time. */
export const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A book, by its ISBN-13 or, without one, its work key (exactly one; never a device's own book id). */
export const syncBookSchema = z
  .strictObject({
    isbn13: z
      .string()
      .regex(/^97[89][0-9]{10}$/, 'must be an ISBN-13')
      .optional(),
    work: z.string().regex(WORK_KEY, 'must be a work key (w + 32 hex digits)').optional(),
  })
  .refine((book) => (book.isbn13 === undefined) !== (book.work === undefined), {
    message: 'needs exactly one of isbn13 or work',
  });

/** Grade bands; readers without a school grade (adults) send none. */
export const SYNC_GRADE_BANDS = ['K-2', '3-5', '6-8', '9-12'] as const;

/**
 * One interaction event as pushed: the least that works. The id is a keyed hash made on the device
 * (not its local row id), the reader a keyed hash, the band instead of the grade, the day instead of
 * the time.
 */
export const syncEventSchema = z.strictObject({
  id: z.uuid(),
  reader: pseudonymSchema,
  book: syncBookSchema,
  type: z.enum(SYNC_INTERACTION_TYPES),
  value: z.number().finite().nullable().optional(),
  band: z.enum(SYNC_GRADE_BANDS).nullable().optional(),
  day: z.string().regex(DAY, 'must be a day, YYYY-MM-DD'),
});

/** A push request. */
export const pushRequestSchema = z.strictObject({
  events: z.array(syncEventSchema).min(1).max(MAX_EVENTS_PER_PUSH),
});

/** An enrolment request. */
export const enrollRequestSchema = z.strictObject({
  code: z.string().trim().min(6).max(64),
  deviceName: z.string().trim().min(1).max(80).optional(),
  /**
   * The token this device held before (re-enrolment): its pseudonyms move to the new device and the
   * old device is revoked. This is how a teacher moves a class explicitly.
   */
  previousToken: z.string().min(10).max(200).optional(),
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

// The server's answers. The client parses each with these schemas, so a malformed answer becomes an
// error naming the field instead of a wrong state; they are not strict, so a newer server may add
// fields without breaking older devices.

const count = z.number().int().min(0);

/** `POST /v1/enroll` answer. */
export const enrollResponseSchema = z.object({
  /** The bearer token of this device (shown once; the server keeps only its SHA-256). */
  deviceToken: z.string().min(10).max(200),
  tenantId: z.string().min(1),
  deviceId: z.string().min(1),
});

/** `POST /v1/devices/rotate` answer: the new token (the old one works until the new one is used). */
export const rotateResponseSchema = enrollResponseSchema.pick({ deviceToken: true });

/** `DELETE /v1/readers/:pseudonym` answer (also when nothing was stored). */
export const eraseResponseSchema = z.object({ pseudonym: pseudonymSchema, erased: z.literal(true) });

/** `POST /v1/interactions` answer. */
export const pushResponseSchema = z.object({
  /** Events stored by this request. */
  accepted: count,
  /** Events the server already had (same id in this tenant). */
  duplicates: count,
  /** The tenant's high-water mark after this request (opaque; increases). */
  cursor: z.string(),
});

/** One book of a batch list: the key the device sent (its ISBN-13 or work key). */
export const syncRecommendedBookSchema = z.object({
  isbn13: z.string().nullable(),
  work: z.string().nullable(),
  rank: z.number().int().min(1),
  score: z.number().finite(),
});

/** `GET /v1/recommendations` answer: the lists of the newest version, if newer than `since`. */
export const recommendationsResponseSchema = z.object({
  /** The newest batch version of the tenant (0: none yet). */
  version: count,
  /** When that version was computed (ISO), or null. */
  generatedAt: z.string().nullable(),
  /** Empty when `since` is already the newest version. */
  readers: z.array(z.object({ reader: pseudonymSchema, books: z.array(syncRecommendedBookSchema) })),
});

/** `GET /v1/popular` answer. */
export const popularResponseSchema = z.object({
  band: z.string(),
  books: z.array(
    z.object({
      isbn13: z.string().nullable(),
      work: z.string().nullable(),
      readers: count,
      score: z.number(),
    }),
  ),
});

/** `GET /v1/health` answer. */
export const healthResponseSchema = z.object({ ok: z.literal(true), protocol: z.number().int() });

/** `POST /v1/enroll` answer. */
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;
/** `POST /v1/devices/rotate` answer. */
export type RotateResponse = z.infer<typeof rotateResponseSchema>;
/** `DELETE /v1/readers/:pseudonym` answer. */
export type EraseResponse = z.infer<typeof eraseResponseSchema>;
/** `POST /v1/interactions` answer. */
export type PushResponse = z.infer<typeof pushResponseSchema>;
/** One book of a batch list. */
export type SyncRecommendedBook = z.infer<typeof syncRecommendedBookSchema>;
/** `GET /v1/recommendations` answer. */
export type RecommendationsResponse = z.infer<typeof recommendationsResponseSchema>;
/** `GET /v1/popular` answer. */
export type PopularResponse = z.infer<typeof popularResponseSchema>;
/** `GET /v1/health` answer. */
export type HealthResponse = z.infer<typeof healthResponseSchema>;

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

/** The book key the server groups by: `isbn:` + ISBN-13, or `work:` + work key. */
export function bookKey(book: { isbn13?: string | null; work?: string | null }): string {
  return book.isbn13 ? `isbn:${book.isbn13}` : `work:${book.work ?? ''}`;
}

/** The book of a key, as the protocol sends it back. */
export function bookOfKey(key: string): { isbn13: string | null; work: string | null } {
  if (key.startsWith('isbn:')) return { isbn13: key.slice(5), work: null };
  return { isbn13: null, work: key.startsWith('work:') ? key.slice(5) : null };
}

/** The UTC day of a time, `YYYY-MM-DD`. */
export function dayOf(time: Date | string | number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Days an event may lie in the past (older ones are refused). */
export const MAX_EVENT_AGE_DAYS = 400;

/** Whether `day` lies within the last {@link MAX_EVENT_AGE_DAYS} days and not after tomorrow (UTC). */
export function dayInRange(day: string, now = Date.now()): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(time) || dayOf(time) !== day) return false;
  const today = Date.parse(`${dayOf(now)}T00:00:00Z`);
  return time >= today - MAX_EVENT_AGE_DAYS * 86_400_000 && time <= today + 86_400_000;
}
