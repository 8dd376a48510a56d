/**
 * transformers.js models: the bundled static model, hub models downloaded once into the data folder,
 * and model folders the user picked. All run the same feature-extraction pipeline: mean pooling over
 * the attention mask, then L2 normalisation (as sentence-transformers does for all-MiniLM-L6-v2).
 *
 * Threads: one intra-op thread per session. On the 2-core machines Lumin targets, one thread beat two
 * (measured): the other core stays free for the database worker and the window.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type FeatureExtractionPipeline, env, pipeline } from '@huggingface/transformers';
import type { ModelSpec } from '../../shared/embed/models';
import { type AbortSignalLike, type EmbeddingProvider, EmbeddingError } from '../../shared/embed/provider';
import { egressFetch } from '../egress/fetch';

/** The hub and its download hosts (files redirect to its CDN); a test's `remoteHost` is added. */
function hubHosts(remoteHost: string | undefined): (url: URL) => boolean {
  const own = remoteHost ? new URL(remoteHost).host : null;
  return (url) =>
    url.host === own ||
    url.hostname === 'huggingface.co' ||
    url.hostname.endsWith('.huggingface.co') ||
    url.hostname.endsWith('.hf.co');
}

/** Where transformers.js models come from and go to. */
export interface TransformersLocations {
  /** resources/models: the bundled model's parent folder. */
  bundledDir: string;
  /** <dataDir>/models: where hub downloads are kept (transformers.js file cache layout). */
  cacheDir: string;
  /** The marker written once a hub model is complete (see workers/db/layout.ts). */
  markerPath(repo: string, revision: string): string;
  /** Where to download from (tests point it at a local server); default the Hugging Face hub. */
  remoteHost?: string;
}

/** Download progress of one file, or `done` once every file of a new download is in place. */
export interface DownloadProgress {
  file: string;
  loaded: number;
  total: number;
  done?: boolean;
}

/**
 * Texts per inference call inside one `embed`. Smaller than a queue batch on purpose: texts are
 * sorted by length first, so each call pads to a similar length, and the padded activations of a
 * 512-token batch stay small (LUMIN_INFERENCE_BATCH overrides it for measurements).
 */
const INFERENCE_BATCH = Number(process.env.LUMIN_INFERENCE_BATCH) || 32;

/** ONNX Runtime session options for every model (LUMIN_ONNX_THREADS overrides the thread count for measurements). */
const THREADS = Number(process.env.LUMIN_ONNX_THREADS) || 1;
const SESSION_OPTIONS = { intraOpNumThreads: THREADS, interOpNumThreads: 1 };

function pickDtype(folder: string): 'fp32' | 'q8' {
  return existsSync(join(folder, 'onnx', 'model_quantized.onnx')) ? 'q8' : 'fp32';
}

async function load(
  spec: ModelSpec,
  where: TransformersLocations,
  onProgress: (progress: DownloadProgress) => void,
): Promise<FeatureExtractionPipeline> {
  env.useFSCache = true;
  env.cacheDir = where.cacheDir;
  if (where.remoteHost) env.remoteHost = where.remoteHost;
  if (spec.source === 'bundled') {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = `${where.bundledDir}/`;
    return pipeline('feature-extraction', spec.name, {
      dtype: spec.dtype ?? 'fp32',
      local_files_only: true,
      session_options: SESSION_OPTIONS,
    });
  }
  if (spec.source === 'folder') {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    if (!existsSync(join(spec.name, 'config.json')))
      throw new EmbeddingError('model_missing', `the model folder ${spec.name} has no config.json`);
    return pipeline('feature-extraction', spec.name, {
      dtype: pickDtype(spec.name),
      local_files_only: true,
      session_options: SESSION_OPTIONS,
    });
  }
  // A hub model: from the data folder once complete; otherwise downloaded there first.
  const revision = spec.revision ?? 'main';
  const marker = where.markerPath(spec.name, revision);
  const downloaded = existsSync(marker);
  if (downloaded) {
    // Loaded as a model folder (the FileCache layout: <repo>/<file> for main, <repo>/<revision>/<file>
    // otherwise), not as the hub id with local_files_only: transformers.js's pipeline() reads
    // config.json and probes tokenizer_config.json at revision main without passing local_files_only
    // on, which throws with remote models off and would miss a pinned revision's files.
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const folder =
      revision === 'main' ? join(where.cacheDir, spec.name) : join(where.cacheDir, spec.name, revision);
    try {
      return await pipeline('feature-extraction', folder, {
        dtype: spec.dtype ?? 'q8',
        local_files_only: true,
        session_options: SESSION_OPTIONS,
      });
    } catch (error) {
      throw new EmbeddingError(
        'model_missing',
        `the downloaded model ${spec.name} in ${where.cacheDir} cannot be loaded (${(error as Error).message}); delete that folder to download it again`,
      );
    }
  }
  env.allowLocalModels = false; // the hub id must not be looked up under resources/
  env.allowRemoteModels = true;
  // pipeline() reads config.json and probes the tokenizer at `main` whatever revision it is given; a
  // pinned download must fetch the pinned files only, or `main` could change what gets loaded.
  const plainFetch = env.fetch;
  // Downloads leave through the egress module (kind `models`), to the hub's hosts only.
  const hubFetch = egressFetch({ kind: 'models', allow: hubHosts(where.remoteHost) });
  env.fetch = (input: string | URL, init?: unknown) => hubFetch(input, init as RequestInit);
  if (revision !== 'main') {
    const pinned = `/resolve/${encodeURIComponent(revision)}/`;
    env.fetch = (input: string | URL, init?: unknown) =>
      hubFetch(String(input).replace('/resolve/main/', pinned), init as RequestInit);
  }
  try {
    const extractor = await pipeline('feature-extraction', spec.name, {
      dtype: spec.dtype ?? 'q8',
      revision,
      session_options: SESSION_OPTIONS,
      progress_callback: (info: { status: string; file?: string; loaded?: number; total?: number }) => {
        if (info.status === 'progress' && info.file)
          onProgress({ file: info.file, loaded: info.loaded ?? 0, total: info.total ?? 0 });
      },
    });
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, JSON.stringify({ model: spec.name, revision, at: new Date().toISOString() }));
    onProgress({ file: '', loaded: 0, total: 0, done: true });
    return extractor;
  } catch (error) {
    throw new EmbeddingError(
      'model_missing',
      `cannot download ${spec.name} (${(error as Error).message}); without internet, pick a model folder (folder:/path) or use the bundled model`,
    );
  } finally {
    env.fetch = plainFetch;
  }
}

/** Loads a transformers.js model as an {@link EmbeddingProvider}. */
export async function createTransformersProvider(
  spec: ModelSpec,
  where: TransformersLocations,
  onProgress: (progress: DownloadProgress) => void = () => undefined,
): Promise<EmbeddingProvider> {
  const extractor = await load(spec, where, onProgress);
  const run = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const output = await extractor([...texts], { pooling: 'mean', normalize: true });
    const [rows, width] = output.dims as [number, number];
    const data = output.data as Float32Array;
    const vectors: Float32Array[] = [];
    for (let row = 0; row < rows; row++) vectors.push(data.slice(row * width, (row + 1) * width));
    output.dispose();
    return vectors;
  };
  const probe = await run(['dimension probe']);
  const dimension = probe[0]?.length ?? 0;
  if (dimension === 0) throw new EmbeddingError('bad_response', `model ${spec.id} produced an empty vector`);

  return {
    id: spec.id,
    dimension,
    batchSize: spec.batchSize,
    async embed(texts: readonly string[], signal?: AbortSignalLike): Promise<Float32Array[]> {
      // Texts of similar length share a padded batch: sorting by length first wastes far less compute
      // on padding than embedding a catalogue in arrival order.
      const order = texts.map((_, index) => index).sort((a, b) => texts[a]!.length - texts[b]!.length);
      const vectors = new Array<Float32Array>(texts.length);
      for (let start = 0; start < order.length; start += INFERENCE_BATCH) {
        if (signal?.aborted) throw new EmbeddingError('cancelled', 'embedding cancelled');
        const slice = order.slice(start, start + INFERENCE_BATCH);
        const batch = await run(slice.map((index) => texts[index] as string));
        slice.forEach((index, position) => (vectors[index] = batch[position] as Float32Array));
      }
      return vectors;
    },
    async dispose() {
      await extractor.dispose();
    },
  };
}
