/**
 * Contract calls about models that the host answers, or finishes, itself: the API key (kept by the
 * host's secret store, never by the database), OpenAI availability (which depends on that key), and
 * starting the runner after a pass is queued.
 */
import type { MethodName } from '../../shared/contract/api';
import type { EmbeddingModelInfo, ModelSwitch } from '../../shared/contract/embeddings';
import { type Result, err, ok } from '../../shared/contract/errors';
import { parseModelId } from '../../shared/embed/models';
import type { SecretStore } from '../egress/secrets';
import { destinationProblem } from '../egress/fetch';
import { storeKey } from '../egress/keys';
import { type EmbeddingHost, needsKeyFailure } from './embedding';

interface ModelCallContext {
  callDb(method: MethodName, input: unknown): Promise<Result<unknown>>;
  embedding: EmbeddingHost;
  secrets: SecretStore;
}

/** True when `modelId` is an OpenAI model that cannot run for want of a key. */
async function lacksKey(modelId: string, context: ModelCallContext): Promise<boolean> {
  const parsed = parseModelId(modelId);
  if (!('spec' in parsed) || parsed.spec.provider !== 'openai') return false;
  const [refined] = await context.embedding.refine([
    { id: modelId, provider: 'openai', availability: 'ready' } as EmbeddingModelInfo,
  ]);
  return refined?.availability === 'needs_key';
}

/** Handles `models.*` and `embeddings.run` (input already validated). */
export async function modelCall(
  method: 'models.setApiKey' | 'models.list' | 'models.use' | 'embeddings.run',
  input: unknown,
  context: ModelCallContext,
): Promise<Result<unknown>> {
  switch (method) {
    case 'models.setApiKey': {
      const { key, baseUrl: given } = input as { key: string | null; baseUrl?: string };
      let baseUrl = given;
      if (baseUrl === undefined) {
        const setting = await context.callDb('settings.get', { key: 'embeddings.openai.baseUrl' });
        baseUrl = setting.ok ? String((setting.value as { value: string }).value) : '';
      }
      const problem = baseUrl ? destinationProblem(baseUrl) : null;
      if (problem) return err('invalid_argument', `models.setApiKey: ${problem}`, { field: 'baseUrl' });
      try {
        await storeKey(context.secrets, baseUrl, key);
      } catch (error) {
        // The message names the file, never the key.
        return err('io', `models.setApiKey: ${(error as Error).message}`);
      }
      return ok({ stored: key !== null });
    }
    case 'models.list': {
      const listed = await context.callDb(method, input);
      if (!listed.ok) return listed;
      return ok(await context.embedding.refine(listed.value as EmbeddingModelInfo[]));
    }
    case 'models.use': {
      const { id } = input as { id: string };
      if (await lacksKey(id, context)) return needsKeyFailure(id);
      const switched = await context.callDb(method, input);
      if (!switched.ok) return switched;
      context.embedding.kick();
      const value = switched.value as ModelSwitch;
      const [model] = await context.embedding.refine([value.model]);
      return ok({ ...value, model: model ?? value.model });
    }
    case 'embeddings.run': {
      const model = (input as { model?: string } | undefined)?.model;
      if (model && (await lacksKey(model, context))) return needsKeyFailure(model);
      const queued = await context.callDb(method, input);
      if (queued.ok) context.embedding.kick();
      return queued;
    }
  }
}
