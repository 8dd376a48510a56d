/**
 * The one interface every embedding provider implements: the bundled static model, a transformers.js
 * model (downloaded or from a folder) and any OpenAI-compatible endpoint. The queue, `similar` and the
 * benchmark only ever see this interface, so a provider can be swapped without touching them.
 */

/** The part of the platform's AbortSignal providers use (shared/ has no DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A text embedding model, ready to use. */
export interface EmbeddingProvider {
  /** The model id every stored vector records (e.g. `lumin-glove-100d`, `openai:text-embedding-3-small`). */
  readonly id: string;
  /** Length of every vector `embed` returns. */
  readonly dimension: number;
  /** How many texts one `embed` call should carry (callers split longer lists). */
  readonly batchSize: number;
  /**
   * Embeds `texts` in order: one L2-normalised vector of `dimension` floats per text. Throws an
   * {@link EmbeddingError} for expected failures (bad key, endpoint down, model missing).
   */
  embed(texts: readonly string[], signal?: AbortSignalLike): Promise<Float32Array[]>;
  /** Frees the model (sessions, sockets). */
  dispose?(): Promise<void>;
}

/** Why an embedding call failed, so callers can decide to retry, ask for a key, or give up. */
export type EmbeddingErrorReason =
  | 'unauthorized'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'bad_response'
  | 'model_missing'
  | 'cancelled';

/** An expected embedding failure. Its message never contains an API key or a text being embedded. */
export class EmbeddingError extends Error {
  override readonly name = 'EmbeddingError';
  constructor(
    readonly reason: EmbeddingErrorReason,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Scales `vector` to unit length in place (a zero vector stays zero); returns it. */
export function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum > 0) {
    const scale = 1 / Math.sqrt(sum);
    for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] as number) * scale;
  }
  return vector;
}
