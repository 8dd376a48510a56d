/**
 * Every operation the core host answers, one table keyed by the registry's names
 * (shared/contract/methods.ts): `satisfies HostHandlers` makes a missing or extra handler a type error.
 */
import { ok } from '../../shared/contract/errors';
import { withLlmExplanations } from './explanations';
import type { HostHandlers, HostSlice } from './host-types';
import { modelHandlers } from './models';
import { privacyHandlers } from './privacy';

const syncHandlers = {
  'sync.enroll': (input, { sync }) => sync.enroll(input),
  'sync.push': (input, { sync }) => sync.push(input ?? {}),
  'sync.pull': (_input, { sync }) => sync.pull(),
  'sync.status': (_input, { sync }) => sync.status(),
} satisfies HostSlice<'sync.enroll' | 'sync.push' | 'sync.pull' | 'sync.status'>;

const recommendHandlers = {
  /** From the host's list cache when it can; LLM sentences added here, where the key is. */
  async 'recommend.get'(input, { db, recommendations, secrets }) {
    const result = await recommendations.get(input, () => db.recommend.compute(input));
    if (result.ok && input.explain) return ok(await withLlmExplanations(result.value, db, secrets));
    return result;
  },
} satisfies HostSlice<'recommend.get'>;

export const hostHandlers = {
  ...modelHandlers,
  ...syncHandlers,
  ...recommendHandlers,
  ...privacyHandlers,
} satisfies HostHandlers;
