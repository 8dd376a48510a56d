/**
 * Boundary validation: turns a raw call into parsed input or an `invalid_argument` error whose
 * message names the method and the field.
 */
import type { z } from 'zod';
import type { MethodName, ParsedInput } from './api';
import { isMethodName } from './methods';
import { luminError, type LuminErrorShape } from './errors';
import { describeIssues, issueFields } from './issues';
import { inputSchemas } from './schemas';

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
  const message = describeIssues(parsed.error.issues, { root: '(input)', limit: 1 });
  return {
    ok: false,
    error: luminError('invalid_argument', `${method}: ${message}`, {
      method,
      issues: issueFields(parsed.error.issues, '(input)'),
    }),
  };
}
