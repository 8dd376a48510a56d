/**
 * ALS's hyper-parameters, their defaults (and the nightly job's) and validation: what both the model
 * (`als.ts`) and its serialised form (`als-format.ts`) need, kept apart so neither imports the other.
 */

/** Hyper-parameters of ALS. */
export interface AlsOptions {
  /** Latent dimensions. Default 64. */
  factors: number;
  /** Alternations (a user half and an item half each). Default 15. */
  iterations: number;
  /** λ, the L2 penalty on every factor. Default 0.01. */
  regularization: number;
  /** α in the confidence c = 1 + α·weight. Default 1. */
  alpha: number;
  /** Seed of the factors' initialisation. Default 42. */
  seed: number;
  /** Conjugate-gradient steps per row and half-iteration. Default 3, as in `implicit`. */
  cgSteps: number;
}

/** The defaults (those of the `implicit` library's reference runs; not tuned on any test set). */
export const DEFAULT_ALS_OPTIONS: Readonly<AlsOptions> = Object.freeze({
  factors: 64,
  iterations: 15,
  regularization: 0.01,
  alpha: 1,
  seed: 42,
  cgSteps: 3,
});

/**
 * The ALS settings of the nightly retrain when there is too little data to search (64 factors, λ 50,
 * α 10, as `lumin eval --algo auto` picked on MovieLens-100K); `lumin eval --cold` evaluates the same.
 */
export const NIGHTLY_ALS = { factors: 64, iterations: 15, regularization: 50, alpha: 10, seed: 42 } as const;

/** Validates and completes options. */
export function alsOptions(options: Partial<AlsOptions> = {}): AlsOptions {
  const merged = { ...DEFAULT_ALS_OPTIONS, ...options };
  const whole = (name: keyof AlsOptions, minimum: number): void => {
    const value = merged[name];
    if (!(Number.isInteger(value) && value >= minimum))
      throw new RangeError(`ALS: ${name} must be a whole number ≥ ${minimum}, got ${value}`);
  };
  whole('factors', 1);
  whole('iterations', 0);
  whole('cgSteps', 1);
  whole('seed', 0);
  if (!(merged.regularization >= 0)) throw new RangeError('ALS: regularization must be ≥ 0');
  if (!(merged.alpha >= 0)) throw new RangeError('ALS: alpha must be ≥ 0');
  return merged;
}
