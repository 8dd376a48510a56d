/**
 * Implicit-feedback ALS: weighted matrix factorisation of Hu, Koren & Volinsky, "Collaborative Filtering
 * for Implicit Feedback Datasets" (ICDM 2008), trained with the conjugate-gradient solver of Takács,
 * Pilászy & Tikk, "Applications of the Conjugate Gradient Method for Implicit Feedback Collaborative
 * Filtering" (RecSys 2011), as in the `implicit` library: YᵀY once per half-iteration, then a few CG steps
 * per row warm-started from the previous factors.
 *
 * Each observed (user, item) has preference 1 and confidence c = 1 + α·weight; every unobserved pair has
 * preference 0 and confidence 1. The loss is Σ c (p − xᵤ·yᵢ)² + λ(‖X‖² + ‖Y‖²). The kernels are float32
 * WebAssembly SIMD (`kernels/als.wat`); `workers/ml/` runs the same steps on worker threads with identical results.
 */
import { AlsEngine } from './als-engine';
import { SCORE_USERS, type EngineShape } from './als-layout';
import { deserializeModel, serializeModel } from './als-format';
import { type AlsOptions, alsOptions } from './als-options';
import { topItems } from './als-top';
import type { InteractionMatrix, RecommendOptions, Recommender, Scored } from './recommender';

export { type AlsOptions, DEFAULT_ALS_OPTIONS, NIGHTLY_ALS, alsOptions } from './als-options';

/** All users' top-k at once: row-major users × k, item −1 and score NaN where fewer than k remain. */
export interface AllRecommendations {
  k: number;
  items: Int32Array;
  scores: Float32Array;
}

/** ALS as a `Recommender`, with its factors and fold-in. */
export interface AlsRecommender extends Recommender {
  readonly name: 'als';
  readonly options: Readonly<AlsOptions>;
  /** users × factors, row-major (empty before `fit`). */
  readonly userFactors: Float32Array;
  /** items × factors, row-major (empty before `fit`). */
  readonly itemFactors: Float32Array;
  /**
   * The factors of a user described by (items, weights), solved against the fixed item factors: the user
   * step's system, from zero and run to convergence (up to max(cgSteps, 2·factors) CG steps), since a new
   * user has no previous factors to warm-start from.
   */
  foldIn(items: readonly number[], weights: readonly number[]): Float32Array;
  /** Every user's top-k (excluding training items), scored in groups of users against cached item blocks. */
  recommendAll(k: number): AllRecommendations;
  /** The fitted state, for the worker pool in `workers/ml/`; throws before `fit`. */
  engine(): AlsEngine;
}

const FOLD_SLOT = 0;

function longest(indptr: Int32Array): number {
  let most = 0;
  for (let row = 0; row + 1 < indptr.length; row += 1)
    most = Math.max(most, (indptr[row + 1] as number) - (indptr[row] as number));
  return most;
}

/** The shape of a training engine for `matrix`. */
export function trainingShape(matrix: InteractionMatrix, factors: number, slots: number): EngineShape {
  return {
    users: matrix.users,
    items: matrix.items,
    nnz: matrix.userIndices.length,
    factors,
    slots,
    training: true,
    longestRow: Math.max(longest(matrix.userIndptr), longest(matrix.itemIndptr)),
  };
}

/**
 * One half-iteration on a single thread: the partial Gramians in chunk order, their sum, then every row.
 * The worker pool runs exactly these chunks, spread over threads.
 */
export function halfIteration(engine: AlsEngine, side: 'user' | 'item', options: AlsOptions): void {
  for (let chunk = 0; chunk < engine.gramChunks(side); chunk += 1) engine.gramChunk(side, chunk);
  engine.reduceGram(side, options.regularization);
  for (let chunk = 0; chunk < engine.solveChunks(side); chunk += 1)
    engine.solveChunk(side, chunk, options.cgSteps, 0);
}

/** Copies a trained engine's factors and user CSR into a compact serving engine (scoring, fold-in). */
export function servingEngine(
  trained: AlsEngine,
  options: AlsOptions,
  shared: boolean,
  slots = 1,
): AlsEngine {
  const source = trained.layout;
  const serving = AlsEngine.create(
    {
      users: source.users,
      items: source.items,
      nnz: source.nnz,
      factors: source.factors,
      slots,
      training: false,
      longestRow: 0,
    },
    shared,
  );
  const target = serving.layout;
  const floats = trained.floats;
  const ints = trained.ints;
  const vector = source.stride;
  serving.floats.set(
    floats.subarray(source.userFactors / 4, source.userFactors / 4 + source.users * vector),
    target.userFactors / 4,
  );
  serving.floats.set(
    floats.subarray(source.itemFactors / 4, source.itemFactors / 4 + source.items * vector),
    target.itemFactors / 4,
  );
  serving.ints.set(
    ints.subarray(source.userIndptr / 4, source.userIndptr / 4 + source.users + 1),
    target.userIndptr / 4,
  );
  serving.ints.set(
    ints.subarray(source.userIndices / 4, source.userIndices / 4 + source.nnz),
    target.userIndices / 4,
  );
  serving.buildItemBlocks();
  serving.prepareFoldIn(options.regularization);
  return serving;
}

/** Unpads a stride-wide factor matrix into a rows × factors array. */
function unpad(engine: AlsEngine, offset: number, rows: number): Float32Array {
  const { stride, factors } = engine.layout;
  const floats = engine.floats;
  const out = new Float32Array(rows * factors);
  for (let row = 0; row < rows; row += 1) {
    const start = offset / 4 + row * stride;
    out.set(floats.subarray(start, start + factors), row * factors);
  }
  return out;
}

class Als implements AlsRecommender {
  readonly name = 'als';
  private model: AlsEngine | undefined;
  private cache: { users?: Float32Array; items?: Float32Array; norms?: Float64Array } = {};

  constructor(readonly options: Readonly<AlsOptions>) {}

  fit(matrix: InteractionMatrix): void {
    const engine = AlsEngine.create(trainingShape(matrix, this.options.factors, 1), false);
    engine.loadMatrix(matrix, this.options.alpha);
    engine.initialize(this.options.seed);
    for (let iteration = 0; iteration < this.options.iterations; iteration += 1) {
      halfIteration(engine, 'user', this.options);
      halfIteration(engine, 'item', this.options);
    }
    this.adopt(servingEngine(engine, this.options, false));
  }

  /** Takes a serving engine as the fitted state (from `fit`, the worker pool or deserialisation). */
  adopt(model: AlsEngine): void {
    this.model = model;
    this.cache = {};
  }

  engine(): AlsEngine {
    if (!this.model) throw new Error('ALS: the model is not fitted');
    return this.model;
  }

  get userFactors(): Float32Array {
    if (!this.model) return new Float32Array(0);
    this.cache.users ??= unpad(this.model, this.model.layout.userFactors, this.model.layout.users);
    return this.cache.users;
  }

  get itemFactors(): Float32Array {
    if (!this.model) return new Float32Array(0);
    this.cache.items ??= unpad(this.model, this.model.layout.itemFactors, this.model.layout.items);
    return this.cache.items;
  }

  foldIn(items: readonly number[], weights: readonly number[]): Float32Array {
    const model = this.engine();
    const offset = model.foldIn(items, weights, this.options.alpha, this.foldSteps(), FOLD_SLOT);
    return model.floats.slice(offset / 4, offset / 4 + this.options.factors);
  }

  private foldSteps(): number {
    return Math.max(this.options.cgSteps, 2 * this.options.factors);
  }

  recommend(user: number, options: RecommendOptions): Scored[] {
    const model = this.engine();
    const { users, userIndptr, userIndices } = model.layout;
    if (!(Number.isInteger(user) && user >= 0 && user < users))
      throw new RangeError(`ALS.recommend: user ${user} is outside 0..${users - 1}`);
    const row = model.scoreUsers(user, 1, FOLD_SLOT);
    const ints = model.ints;
    const seen = ints.subarray(
      userIndices / 4 + (ints[userIndptr / 4 + user] as number),
      userIndices / 4 + (ints[userIndptr / 4 + user + 1] as number),
    );
    return topItems(model.floats, row, model.layout.items, seen, options);
  }

  recommendFor(items: readonly number[], weights: readonly number[], options: RecommendOptions): Scored[] {
    const model = this.engine();
    const vector = model.foldIn(items, weights, this.options.alpha, this.foldSteps(), FOLD_SLOT);
    const row = model.scoreVector(vector, FOLD_SLOT);
    return topItems(model.floats, row, model.layout.items, Int32Array.from(items), options);
  }

  recommendAll(k: number): AllRecommendations {
    const model = this.engine();
    const all = allRecommendations(model.layout.users, k);
    recommendUsers(model, 0, model.layout.users, all, FOLD_SLOT);
    return all;
  }

  similarItems(item: number, k: number): Scored[] {
    const engine = this.engine();
    const factors = this.itemFactors;
    const { items, stride, itemFactors } = engine.layout;
    const width = this.options.factors;
    if (!(Number.isInteger(item) && item >= 0 && item < items))
      throw new RangeError(`ALS.similarItems: item ${item} is outside 0..${items - 1}`);
    if (!this.cache.norms) {
      const norms = new Float64Array(items);
      for (let other = 0; other < items; other += 1) {
        let sum = 0;
        for (let factor = 0; factor < width; factor += 1)
          sum += (factors[other * width + factor] as number) ** 2;
        norms[other] = Math.sqrt(sum);
      }
      this.cache.norms = norms;
    }
    const norms = this.cache.norms;
    // The dot products with every item come from the SIMD scoring kernel (the item's own padded
    // row as the query), about 20× faster than a JavaScript loop over the factors; cosine divides.
    const row = engine.scoreVector(itemFactors + item * stride * 4, FOLD_SLOT);
    const dots = engine.floats;
    const scores = new Float32Array(items);
    const own = norms[item] as number;
    for (let other = 0; other < items; other += 1) {
      const norm = own * (norms[other] as number);
      scores[other] = norm > 0 ? (dots[row + other] as number) / norm : 0;
    }
    return topItems(scores, 0, items, Int32Array.of(item), { k });
  }

  serialize(): Uint8Array {
    return serializeModel(this.engine(), this.options);
  }
}

/** An empty `AllRecommendations` for `users` users. */
export function allRecommendations(users: number, k: number): AllRecommendations {
  if (!(Number.isInteger(k) && k >= 0))
    throw new RangeError(`ALS.recommendAll: k must be a whole number, got ${k}`);
  return { k, items: new Int32Array(users * k).fill(-1), scores: new Float32Array(users * k).fill(NaN) };
}

/** Fills rows first..end−1 of `all`, SCORE_USERS users at a time, with scratch slot `slot`. */
export function recommendUsers(
  model: AlsEngine,
  first: number,
  end: number,
  all: AllRecommendations,
  slot: number,
): void {
  const { userIndptr, userIndices, items } = model.layout;
  const stride = model.scoreStride;
  for (let user = first; user < end; user += SCORE_USERS) {
    const count = Math.min(SCORE_USERS, end - user);
    const row = model.scoreUsers(user, count, slot);
    const ints = model.ints;
    for (let offset = 0; offset < count; offset += 1) {
      const target = user + offset;
      const seen = ints.subarray(
        userIndices / 4 + (ints[userIndptr / 4 + target] as number),
        userIndices / 4 + (ints[userIndptr / 4 + target + 1] as number),
      );
      const best = topItems(model.floats, row + offset * stride, items, seen, { k: all.k });
      for (let rank = 0; rank < best.length; rank += 1) {
        const scored = best[rank] as Scored;
        all.items[target * all.k + rank] = scored.item;
        all.scores[target * all.k + rank] = scored.score;
      }
    }
  }
}

/** A new, unfitted ALS recommender. */
export function createAls(options?: Partial<AlsOptions>): AlsRecommender {
  return new Als(alsOptions(options));
}

/** A fitted recommender over a serving engine (from the worker pool or deserialisation). */
export function alsFromEngine(options: AlsOptions, model: AlsEngine): AlsRecommender {
  const als = new Als(options);
  als.adopt(model);
  return als;
}

/** Restores a recommender from `serialize()`'s bytes (header, little-endian factors, training CSR). */
export function deserializeAls(bytes: Uint8Array): AlsRecommender {
  const { options, engine } = deserializeModel(bytes);
  return alsFromEngine(options, engine);
}
