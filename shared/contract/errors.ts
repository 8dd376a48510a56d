/**
 * The one serialisable error shape that crosses every boundary (worker, IPC, CLI, sync).
 * Expected failures travel as values (`Result`); bugs throw and surface as `internal`.
 */

/** Every error code a caller may branch on. Stable: renderer and CLI switch on these strings. */
export const ERROR_CODES = [
  'invalid_argument',
  'not_found',
  'ambiguous',
  'conflict',
  'locked',
  'forbidden',
  'cancelled',
  'migration_failed',
  'unknown_method',
  'io',
  'closed',
  'internal',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The serialisable error: safe for structured clone, JSON and Electron IPC. */
export interface LuminErrorShape {
  /** Always `'LuminError'`, so a receiver can tell it from a thrown platform error. */
  name: 'LuminError';
  /** Machine-readable code. */
  code: ErrorCode;
  /** One human sentence naming what is wrong and where (method, field, row, file). */
  message: string;
  /** Optional structured context, e.g. `{ field: 'title' }` or `{ pid: 1234, dataDir: '/x' }`. */
  details?: Record<string, unknown>;
}

/** Success or an expected failure. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: LuminErrorShape };

/** Builds an error value. */
export function luminError(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): LuminErrorShape {
  return details === undefined
    ? { name: 'LuminError', code, message }
    : { name: 'LuminError', code, message, details };
}

/** Wraps a value as success. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps an error as failure. */
export function err<T = never>(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): Result<T> {
  return { ok: false, error: luminError(code, message, details) };
}

/**
 * Thrown inside the core to abort a handler with an expected failure; the dispatcher turns it into
 * a `Result` value, so callers never see it thrown.
 */
export class LuminFailure extends Error {
  override readonly name = 'LuminFailure';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The serialisable form. */
  toShape(): LuminErrorShape {
    return luminError(this.code, this.message, this.details);
  }
}

/** True when `value` has the serialisable error shape. */
export function isLuminError(value: unknown): value is LuminErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'LuminError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Returns the value of a success or throws the error of a failure (for scripts and tests). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new LuminFailure(result.error.code, result.error.message, result.error.details);
}
