/** How a handler's throw becomes the call's answer: expected failures are values, bugs `internal`. */
import { type Result, LuminFailure, err } from '../../shared/contract/errors';
import { isDiskFull } from './disk';

/** Maps a Postgres error raised by a race the handlers' own checks could not see. */
function fromPostgres(error: unknown, method: string): LuminFailure | null {
  const code = (error as { code?: unknown }).code;
  const detail = (error as { detail?: string }).detail ?? (error as Error).message;
  if (code === '23505') return new LuminFailure('conflict', `${method}: ${detail}`);
  if (code === '23503') return new LuminFailure('not_found', `${method}: ${detail}`);
  if (code === '23514' || code === '22P02' || code === '22003')
    return new LuminFailure('invalid_argument', `${method}: ${detail}`);
  return null;
}

/** The failure `error`, thrown by the handler of `method`, answers with. */
export function failureOf(error: unknown, method: string): Result<never> {
  if (error instanceof LuminFailure) return { ok: false, error: error.toShape() };
  if (isDiskFull(error))
    return err(
      'io',
      `${method}: the disk is full (${(error as Error).message}); free some space, then restart Lumin`,
    );
  const mapped = fromPostgres(error, method);
  if (mapped) return { ok: false, error: mapped.toShape() };
  console.error(`lumin: ${method} failed`, error);
  return err('internal', `${method}: ${(error as Error).message}`);
}
