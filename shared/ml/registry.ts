/**
 * Every collaborative recommender by its stable name, with one options bag whose keys do not collide
 * (ALS: factors, iterations, regularization, alpha, seed, cgSteps; kNN: neighbours, shrink, asymmetry;
 * EASE: lambda, maxItems, neighbours; RP3beta: walkExponent, popularityExponent, neighbours; SANSA: lambda,
 * density, fill, neighbours), so a caller can build any of them from the same command-line options.
 */
import { type AlsOptions, DEFAULT_ALS_OPTIONS, createAls, deserializeAls } from './als';
import { EASE_DEFAULTS, type EaseOptions, createEase, deserializeEase } from './ease';
import { ITEM_KNN_DEFAULTS, type ItemKnnOptions, createItemKnn, deserializeItemKnn } from './item-knn';
import { createPopularity, deserializePopularity } from './popularity';
import type { Recommender } from './recommender';
import { RP3_DEFAULTS, type Rp3Options, createRp3, deserializeRp3 } from './rp3beta';
import { SANSA_DEFAULTS, type SansaOptions, createSansa, deserializeSansa } from './sansa';

/** The algorithms, in the order reports list them. */
export const ALGORITHMS = ['pop', 'knn', 'rp3', 'ease', 'sansa', 'als'] as const;

/** A registered algorithm's stable name. */
export type AlgorithmName = (typeof ALGORITHMS)[number];

/** Hyper-parameters of any registered algorithm; each factory reads only its own keys. */
export type RecommenderOptions = Partial<
  AlsOptions & ItemKnnOptions & EaseOptions & Rp3Options & SansaOptions
>;

const ALS_KEYS = ['factors', 'iterations', 'regularization', 'alpha', 'seed', 'cgSteps'] as const;
const KNN_KEYS = ['neighbours', 'shrink', 'asymmetry'] as const;
const EASE_KEYS = ['lambda', 'maxItems', 'neighbours'] as const;
const RP3_KEYS = ['walkExponent', 'popularityExponent', 'neighbours'] as const;
const SANSA_KEYS = ['lambda', 'density', 'fill', 'neighbours'] as const;

/** Which option keys each algorithm reads (the others are ignored by its factory). */
export const OPTION_KEYS: Record<AlgorithmName, readonly (keyof RecommenderOptions)[]> = {
  pop: [],
  knn: KNN_KEYS,
  rp3: RP3_KEYS,
  ease: EASE_KEYS,
  sansa: SANSA_KEYS,
  als: ALS_KEYS,
};

/** Each algorithm's defaults for its hyper-parameters (for reports; the factories apply them). */
export const DEFAULT_OPTIONS: Record<AlgorithmName, RecommenderOptions> = {
  pop: {},
  knn: { ...ITEM_KNN_DEFAULTS },
  rp3: { ...RP3_DEFAULTS },
  ease: { lambda: EASE_DEFAULTS.lambda, neighbours: EASE_DEFAULTS.neighbours },
  sansa: { ...SANSA_DEFAULTS },
  als: {
    factors: DEFAULT_ALS_OPTIONS.factors,
    iterations: DEFAULT_ALS_OPTIONS.iterations,
    regularization: DEFAULT_ALS_OPTIONS.regularization,
    alpha: DEFAULT_ALS_OPTIONS.alpha,
  },
};

/** The defined entries of `options` among `keys`. */
export function pickOptions(
  options: RecommenderOptions,
  keys: readonly (keyof RecommenderOptions)[],
): RecommenderOptions {
  const picked: RecommenderOptions = {};
  for (const key of keys) if (options[key] !== undefined) picked[key] = options[key];
  return picked;
}

/**
 * Unfitted recommenders by name: implicit ALS (Hu, Koren & Volinsky 2008), popularity, item-kNN, RP3beta
 * (Paudel et al. 2017), EASE^R (Steck 2019), SANSA (Spišák et al. 2023).
 */
export const RECOMMENDERS: Record<AlgorithmName, (options?: RecommenderOptions) => Recommender> = {
  als: (options = {}) => createAls(pickOptions(options, ALS_KEYS)),
  pop: () => createPopularity(),
  knn: (options = {}) => createItemKnn(pickOptions(options, KNN_KEYS)),
  rp3: (options = {}) => createRp3(pickOptions(options, RP3_KEYS)),
  ease: (options = {}) => createEase(pickOptions(options, EASE_KEYS)),
  sansa: (options = {}) => createSansa(pickOptions(options, SANSA_KEYS)),
};

/** The matching `deserialize…` of every registered algorithm. */
export const DESERIALIZERS: Record<AlgorithmName, (bytes: Uint8Array) => Recommender> = {
  als: deserializeAls,
  pop: deserializePopularity,
  knn: deserializeItemKnn,
  rp3: deserializeRp3,
  ease: deserializeEase,
  sansa: deserializeSansa,
};

/** Whether `name` is a registered algorithm. */
export function isAlgorithmName(name: string): name is AlgorithmName {
  return (ALGORITHMS as readonly string[]).includes(name);
}
