/** The server's errors in the project's shape, with their HTTP status. */
import type { SyncErrorBody, SyncErrorCode } from '../shared/sync/protocol';

const STATUS: Record<SyncErrorCode, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** An expected failure a route throws; the error handler answers it with its status and body. */
export class SyncHttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.status = STATUS[code];
  }

  /** The JSON body. */
  body(): SyncErrorBody {
    return this.details === undefined
      ? { name: 'LuminError', code: this.code, message: this.message }
      : { name: 'LuminError', code: this.code, message: this.message, details: this.details };
  }
}
