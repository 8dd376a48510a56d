/**
 * A fast path in front of the zod schema of push requests: a hand-written check that accepts only
 * events the zod schema also accepts (it is stricter where unsure), so the server can
 * skip zod for well-formed batches — zod costs about 25 µs per event, this about 1 µs — and still run
 * zod, and its messages naming the field, on anything this check refuses.
 */
import {
  DAY,
  MAX_EVENTS_PER_PUSH,
  SYNC_GRADE_BANDS,
  SYNC_INTERACTION_TYPES,
  WORK_KEY,
  type PushRequest,
} from './protocol';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const PSEUDONYM = /^[0-9a-f]{64}$/;
const ISBN13 = /^97[89][0-9]{10}$/;
const TYPES = new Set<string>(SYNC_INTERACTION_TYPES);
const BANDS = new Set<unknown>(SYNC_GRADE_BANDS);
const EVENT_KEYS = new Set(['id', 'reader', 'book', 'type', 'value', 'band', 'day']);

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validEvent(event: unknown): boolean {
  if (!plainObject(event)) return false;
  for (const key in event) if (!EVENT_KEYS.has(key)) return false;
  const { id, reader, book, type, value, band, day } = event;
  if (typeof id !== 'string' || !UUID.test(id)) return false;
  if (typeof reader !== 'string' || !PSEUDONYM.test(reader)) return false;
  if (typeof type !== 'string' || !TYPES.has(type)) return false;
  if (typeof day !== 'string' || !DAY.test(day)) return false;
  if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
    return false;
  if (band !== undefined && band !== null && !BANDS.has(band)) return false;
  if (!plainObject(book)) return false;
  let keys = 0;
  for (const key in book) {
    keys += 1;
    if (key !== 'work' && key !== 'isbn13') return false;
  }
  if (keys !== 1) return false;
  if (book.work !== undefined) return typeof book.work === 'string' && WORK_KEY.test(book.work);
  return typeof book.isbn13 === 'string' && ISBN13.test(book.isbn13);
}

/** The body as a push request when it is certainly valid, else null (then ask the zod schema why). */
export function fastPushRequest(body: unknown): PushRequest | null {
  if (!plainObject(body)) return null;
  for (const key in body) if (key !== 'events') return null;
  const events = body.events;
  if (!Array.isArray(events) || events.length < 1 || events.length > MAX_EVENTS_PER_PUSH) return null;
  for (const event of events) if (!validEvent(event)) return null;
  return body as PushRequest;
}
