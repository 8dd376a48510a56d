/**
 * Contract calls about models that the host answers, or finishes, itself: the API key (kept by the
 * host's secret store, never by the database) and OpenAI availability (which depends on that key).
 */
import type { EmbeddingModelInfo } from '../../shared/contract/embeddings';
import { err, ok } from '../../shared/contract/errors';
import { parseModelId } from '../../shared/embed/models';
import { destinationProblem } from '../egress/fetch';
import { storeKey } from '../egress/keys';
import { type EmbeddingHost, needsKeyFailure } from './embedding';
import type { HostSlice } from './host-types';

/** True when `modelId` is an OpenAI model that cannot run for want of a key. */
async function lacksKey(modelId: string, embedding: EmbeddingHost): Promise<boolean> {
  const parsed = parseModelId(modelId);
  if (!('spec' in parsed) || parsed.spec.provider !== 'openai') return false;
  const [refined] = await embedding.refine([
    { id: modelId, provider: 'openai', availability: 'ready' } as EmbeddingModelInfo,
  ]);
  return refined?.availability === 'needs_key';
}

export const modelHandlers = {
  async 'models.setApiKey'({ key, baseUrl: given }, { db, secrets }) {
    let baseUrl = given;
    if (baseUrl === undefined) {
      const setting = await db.settings.get({ key: 'embeddings.openai.baseUrl' });
      baseUrl = setting.ok ? String(setting.value.value) : '';
    }
    const problem = baseUrl ? destinationProblem(baseUrl) : null;
    if (problem) return err('invalid_argument', `models.setApiKey: ${problem}`, { field: 'baseUrl' });
    try {
      await storeKey(secrets, baseUrl, key);
    } catch (error) {
      // The message names the file, never the key.
      return err('io', `models.setApiKey: ${(error as Error).message}`);
    }
    return ok({ stored: key !== null });
  },

  async 'models.list'(_input, { db, embedding }) {
    const listed = await db.models.catalogue();
    if (!listed.ok) return listed;
    return ok(await embedding.refine(listed.value));
  },

  async 'models.use'({ id }, { db, embedding }) {
    if (await lacksKey(id, embedding)) return needsKeyFailure(id);
    // The queued pass wakes the embedding runner through `job.queued` (core.ts).
    const switched = await db.models.queueSwitch({ id });
    if (!switched.ok) return switched;
    const value = switched.value;
    const [model] = await embedding.refine([value.model]);
    return ok({ ...value, model: model ?? value.model });
  },

  async 'embeddings.run'(input, { db, embedding }) {
    const model = input?.model;
    if (model && (await lacksKey(model, embedding))) return needsKeyFailure(model);
    return db.embeddings.queue(input);
  },
} satisfies HostSlice<'models.setApiKey' | 'models.list' | 'models.use' | 'embeddings.run'>;
