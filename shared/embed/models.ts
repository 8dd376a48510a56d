/**
 * Model ids and what they mean. An id is what every stored vector records, so it must name the
 * model's weights unambiguously and never change for the same weights:
 *
 * - `lumin-glove-100d`: the bundled static model in resources/models (works offline from the first launch);
 * - `owner/name` (e.g. `Xenova/all-MiniLM-L6-v2`): a transformers.js model from the Hugging Face hub,
 *   downloaded once into the data folder at a pinned revision, then always loaded offline;
 * - `folder:/absolute/path`: a transformers.js model folder the user picked (schools without internet);
 * - `openai:model` (e.g. `openai:text-embedding-3-small`): OpenAI or any OpenAI-compatible endpoint
 *   (Ollama, LM Studio, Jan) at the `embeddings.openai.baseUrl` setting.
 */

/** The bundled offline model. */
export const BUNDLED_MODEL_ID = 'lumin-glove-100d';
/** The recommended downloadable model. */
export const MINILM_MODEL_ID = 'Xenova/all-MiniLM-L6-v2';
/** The default cloud model. */
export const OPENAI_DEFAULT_MODEL_ID = 'openai:text-embedding-3-small';

/** Where a model's weights come from. */
export type ModelSource = 'bundled' | 'hub' | 'folder' | 'endpoint';

/** A parsed model id. */
export interface ModelSpec {
  /** The id as stored with vectors. */
  id: string;
  /** Which provider runs it. */
  provider: 'bundled' | 'transformers' | 'openai';
  /** Where its weights come from. */
  source: ModelSource;
  /** Hub repo id, folder path, bundled folder name, or the endpoint's model name. */
  name: string;
  /** Hub revision (a commit, so a download can never change under stored vectors). */
  revision?: string;
  /** transformers.js dtype (which ONNX file: fp32 → model.onnx, q8 → model_quantized.onnx). */
  dtype?: 'fp32' | 'q8';
  /** Dimension, when known before the first vector. */
  dimension?: number;
  /** Texts per provider call. */
  batchSize: number;
  /** A short human name. */
  label: string;
}

/** Commits of hub models Lumin has measured; other hub ids load `main`. */
export const PINNED_REVISIONS: Readonly<Record<string, string>> = {
  [MINILM_MODEL_ID]: '751bff37182d3f1213fa05d7196b954e230abad9',
};

const KNOWN_DIMENSIONS: Readonly<Record<string, number>> = {
  [BUNDLED_MODEL_ID]: 100,
  [MINILM_MODEL_ID]: 384,
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

const HUB_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[\w.-]{1,96}$/;

/** Parses a model id; `null` with a reason when it is not one. */
export function parseModelId(raw: string): { spec: ModelSpec } | { error: string } {
  const id = raw.trim();
  // Ids written by earlier builds for the bundled model.
  if (id === BUNDLED_MODEL_ID || id === 'local:bundled-glove-100d')
    return {
      spec: {
        id: BUNDLED_MODEL_ID,
        provider: 'bundled',
        source: 'bundled',
        name: BUNDLED_MODEL_ID,
        dtype: 'fp32',
        dimension: 100,
        batchSize: 256,
        label: 'Bundled GloVe (offline, 100 dimensions)',
      },
    };
  if (id.startsWith('openai:')) {
    const name = id.slice('openai:'.length).trim();
    if (!name || name.length > 200) return { error: `model id '${id}' names no OpenAI-compatible model` };
    const spec: ModelSpec = {
      id: `openai:${name}`,
      provider: 'openai',
      source: 'endpoint',
      name,
      batchSize: 256,
      label: `${name} (OpenAI-compatible endpoint)`,
    };
    const dimension = KNOWN_DIMENSIONS[name];
    return { spec: dimension === undefined ? spec : { ...spec, dimension } };
  }
  if (id.startsWith('folder:')) {
    const path = id.slice('folder:'.length);
    if (!path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path))
      return { error: `model folder '${path}' must be an absolute path` };
    return {
      spec: {
        id,
        provider: 'transformers',
        source: 'folder',
        name: path,
        batchSize: 32,
        label: `Model folder ${path}`,
      },
    };
  }
  const [repo, revision] = id.split('@') as [string, string | undefined];
  if (HUB_ID.test(repo)) {
    const pinned = revision ?? PINNED_REVISIONS[repo] ?? 'main';
    const spec: ModelSpec = {
      id: revision ? `${repo}@${revision}` : repo,
      provider: 'transformers',
      source: 'hub',
      name: repo,
      revision: pinned,
      dtype: 'q8',
      batchSize: 32,
      label: `${repo} (downloaded once, then offline)`,
    };
    const dimension = KNOWN_DIMENSIONS[repo];
    return { spec: dimension === undefined ? spec : { ...spec, dimension } };
  }
  return {
    error: `'${id}' is not a model id: use ${BUNDLED_MODEL_ID}, a hub id like ${MINILM_MODEL_ID}, folder:/path, or openai:model`,
  };
}

/** The models every install offers, whether or not they have been used yet. */
export const CATALOGUE_MODEL_IDS: readonly string[] = [
  BUNDLED_MODEL_ID,
  MINILM_MODEL_ID,
  OPENAI_DEFAULT_MODEL_ID,
];
