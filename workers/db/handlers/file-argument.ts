/**
 * File arguments inside the core: the core reads and writes paths only. The app's calls carry file
 * handles instead, which its host (workers/host/file-access.ts) swaps for the path before the call
 * reaches the core; a handle arriving here means a host forwarded one unresolved, and is refused.
 */
import { LuminFailure } from '../../../shared/contract/errors';

/** The path of a file argument given as `pathField` or, unresolved, as the handle field `handleField`. */
export function pathArgument(
  method: string,
  input: { [field: string]: unknown } | undefined,
  pathField: string,
  handleField: string,
): string | undefined {
  if (input?.[handleField] !== undefined)
    throw new LuminFailure(
      'invalid_argument',
      `${method}: ${handleField}: a file handle is only understood by the app's host, which turns it into a path; give ${pathField}`,
      { field: handleField },
    );
  const path = input?.[pathField];
  return typeof path === 'string' ? path : undefined;
}

/** Like {@link pathArgument} for a file the call cannot do without. */
export function requiredPathArgument(
  method: string,
  input: { [field: string]: unknown },
  pathField: string,
  handleField: string,
): string {
  const path = pathArgument(method, input, pathField, handleField);
  if (path === undefined)
    throw new LuminFailure('invalid_argument', `${method}: ${pathField}: required`, { field: pathField });
  return path;
}
