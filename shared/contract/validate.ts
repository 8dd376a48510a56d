/**
 * Boundary validation: turns a raw call into parsed input or an `invalid_argument` error whose
 * message names the method and the field.
 */
import type { z } from 'zod';
import type { MethodName, ParsedInput } from './api';
import { isMethodName } from './methods';
import { luminError, type LuminErrorShape } from './errors';
import { inputSchemas } from './schemas';

/** Formats a zod issue path as `books[3].isbn13`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path)
    out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

/** Parses `input` for `method`, or explains what is wrong. */
export function validateInput<M extends MethodName>(
  method: M | string,
  input: unknown,
): { ok: true; method: M; input: ParsedInput<M> } | { ok: false; error: LuminErrorShape } {
  if (!isMethodName(method))
    return { ok: false, error: luminError('unknown_method', `'${String(method)}' is not a Lumin method`) };
  const schema = inputSchemas[method] as z.ZodType;
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, method: method as M, input: parsed.data as ParsedInput<M> };
  const issues = parsed.error.issues.map((issue) => ({
    field: formatPath(issue.path) || '(input)',
    message: issue.message,
  }));
  const first = issues[0] ?? { field: '(input)', message: 'invalid' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return {
    ok: false,
    error: luminError('invalid_argument', `${method}: ${first.field}: ${first.message}${more}`, {
      method,
      issues,
    }),
  };
}
