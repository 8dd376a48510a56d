/**
 * Boundary validation: turns a raw call into parsed input or an error whose message names the
 * operation and the field. `validateInput` is the hosts' door (public methods only);
 * `validateOperation` checks any operation of the registry (the core host's db client).
 */
import type { z } from 'zod';
import type { MethodName, OperationName, ParsedInput } from './api';
import { type HostMethodName, OPERATIONS, isMethodName, isOperationName } from './methods';
import { luminError, type LuminErrorShape } from './errors';
import { describeIssues, issueFields } from './issues';
import { inputSchemas } from './schemas';
import { internalSchemas } from './internal';

/** A validated call: the operation and its parsed input, kept together per operation. */
export type CheckedCall<M extends OperationName> = { [K in M]: { method: K; input: ParsedInput<K> } }[M];

/** A failed validation. */
type Refused = { ok: false; error: LuminErrorShape };

const schemas: Record<OperationName, z.ZodType> = { ...inputSchemas, ...internalSchemas };

function parse<M extends OperationName>(
  method: M,
  input: unknown,
): ({ ok: true } & CheckedCall<M>) | Refused {
  const parsed = schemas[method].safeParse(input);
  // The schema of `method` produced this value: its output type is ParsedInput<M> by construction.
  if (parsed.success) return { ok: true, method, input: parsed.data } as { ok: true } & CheckedCall<M>;
  const message = describeIssues(parsed.error.issues, { root: '(input)', limit: 1 });
  return {
    ok: false,
    error: luminError('invalid_argument', `${method}: ${message}`, {
      method,
      issues: issueFields(parsed.error.issues, '(input)'),
    }),
  };
}

/** Parses a host's call of `method`, or explains what is wrong (internal operations are refused). */
export function validateInput(
  method: unknown,
  input: unknown,
): ({ ok: true } & CheckedCall<MethodName>) | Refused {
  if (isMethodName(method)) return parse(method, input);
  if (isOperationName(method))
    return {
      ok: false,
      error: luminError(
        'forbidden',
        `'${method}' is internal to the Lumin core: hosts cannot call it (see shared/contract/methods.ts)`,
        { method },
      ),
    };
  return { ok: false, error: luminError('unknown_method', `'${String(method)}' is not a Lumin method`) };
}

/** Parses the input of any operation of the registry (the core's own calls). */
export function validateOperation<M extends OperationName>(
  method: M,
  input: unknown,
): ({ ok: true } & CheckedCall<M>) | Refused {
  return parse(method, input);
}

/** True when the validated `call` runs in the core host (else the db worker answers it). */
export function inHost(call: CheckedCall<MethodName>): call is CheckedCall<HostMethodName> {
  return OPERATIONS[call.method].runs === 'host';
}
