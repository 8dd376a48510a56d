/**
 * The operation registry (shared/contract/methods.ts) against what is built from it: the schemas, the
 * hosts' client, the boundary that refuses internal operations, and the two handler tables.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../shared/contract/client';
import { internalSchemas } from '../../shared/contract/internal';
import {
  DB_OPERATIONS,
  METHOD_NAMES,
  OPERATIONS,
  OPERATION_NAMES,
  type OperationName,
} from '../../shared/contract/methods';
import { inputSchemas } from '../../shared/contract/schemas';
import { validateInput } from '../../shared/contract/validate';
import { dbHandlers } from '../../workers/db/handlers/table';
import { hostHandlers } from '../../workers/host/handlers';

const sorted = (names: Iterable<string>) => [...names].sort();
const where = (runs: string, access?: string) =>
  OPERATION_NAMES.filter(
    (name) => OPERATIONS[name].runs === runs && (access === undefined || OPERATIONS[name].access === access),
  );
const internalNames = OPERATION_NAMES.filter((name) => OPERATIONS[name].access === 'internal');

describe('the operation registry', () => {
  it('gives every operation exactly one input schema: the public ones the contract, the internal ones apart', () => {
    expect(sorted(Object.keys(inputSchemas))).toEqual(sorted(METHOD_NAMES));
    expect(sorted(Object.keys(internalSchemas))).toEqual(sorted(internalNames));
    expect(sorted([...METHOD_NAMES, ...internalNames])).toEqual(sorted(OPERATION_NAMES));
  });

  it('has one handler for every operation, in the runtime the registry names, and no other', () => {
    expect(sorted(Object.keys(dbHandlers))).toEqual(sorted(where('db')));
    expect(sorted(Object.keys(dbHandlers))).toEqual(sorted(DB_OPERATIONS));
    expect(sorted(Object.keys(hostHandlers))).toEqual(sorted(where('host')));
  });

  it("builds the hosts' client from the public operations only, each sent under its own name", async () => {
    const sent: string[] = [];
    const api = createClient(async (method) => {
      sent.push(method);
      return { ok: true, value: null };
    });
    const functions = api as unknown as Record<string, Record<string, () => Promise<unknown>>>;
    for (const method of METHOD_NAMES) {
      const [namespace, name] = method.split('.') as [string, string];
      await functions[namespace]?.[name]?.();
    }
    expect(sent).toEqual([...METHOD_NAMES]);
    for (const name of internalNames) {
      const [namespace, member] = name.split('.') as [string, string];
      expect(functions[namespace]?.[member], name).toBeUndefined();
    }
  });

  it.each(internalNames.map((name) => [name]))(
    'refuses internal operation %s at the hosts’ boundary with a clear error',
    (name: OperationName) => {
      const refused = validateInput(name, undefined);
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.error.code).toBe('forbidden');
      expect(refused.error.message).toBe(
        `'${name}' is internal to the Lumin core: hosts cannot call it (see shared/contract/methods.ts)`,
      );
    },
  );

  it('still calls an unknown name unknown', () => {
    const refused = validateInput('syncStore.nothing', {});
    expect(refused.ok ? null : refused.error.code).toBe('unknown_method');
  });
});
