/**
 * Which member of the EASE family fits a matrix: exact EASE^R (`ease.ts`, the primal inverse of order
 * items or the dual of order users, whichever is smaller) while its estimated time and memory are within
 * the limits, SANSA (`sansa.ts`, a sparse approximate inverse) beyond. Both give the same kind of model (an
 * item graph scored as `history × B`) with the same λ, so `auto` searches one of them, never both.
 */
import { packedBytes } from './ease-sweep';

/** The exact solves and the approximation. */
export type EaseMethod = 'primal' | 'dual' | 'sansa';

/** The shape of an interaction matrix, all the estimates need. */
export interface MatrixShape {
  users: number;
  items: number;
  /** Stored interactions. */
  entries: number;
}

/** The family's choice and why, in one sentence. */
export interface EaseFamilyChoice {
  method: EaseMethod;
  /** The registry's algorithm: `ease` for the exact solves, `sansa` for the approximation. */
  algo: 'ease' | 'sansa';
  /** Estimated seconds of one exact fit, and its megabytes. */
  exactSeconds: number;
  exactMegabytes: number;
  reason: string;
}

/**
 * Seconds one exact fit may take before SANSA is used: measured 8 minutes for 20,000 × 20,000 on one
 * thread, where SANSA takes well under the bench's 90 s target.
 */
export const EXACT_SECONDS = 60;

/** Peak memory the exact inverse may need (issue #17's ceiling for the whole fit). */
export const EXACT_MEGABYTES = 1_500;

/** The exact solve `createEase` runs for `shape`: the smaller of the two inverses. */
export function exactMethod(shape: MatrixShape): 'primal' | 'dual' {
  return shape.users < shape.items ? 'dual' : 'primal';
}

/**
 * Seconds of one exact fit: order³/2 multiply-adds at ≈ 3·10⁹ a second on the SIMD kernel, plus the
 * dual's products (entries × (users + items) at ≈ 3·10⁸ a second).
 */
export function exactSeconds(shape: MatrixShape): number {
  const order = Math.min(shape.items, shape.users);
  const dual = exactMethod(shape) === 'dual' ? (shape.entries * (shape.users + shape.items)) / 3e8 : 0;
  return order ** 3 / 2 / 3e9 + dual;
}

/** Megabytes of the exact fit's inverse (the dual also expands H to a dense users² float32 matrix). */
export function exactMegabytes(shape: MatrixShape): number {
  const order = Math.min(shape.items, shape.users);
  const dense = exactMethod(shape) === 'dual' ? order * order * 4 : 0;
  return (packedBytes(order) + dense) / 2 ** 20;
}

/**
 * Exact EASE^R when one fit is estimated within `limitSeconds` (default EXACT_SECONDS) and
 * EXACT_MEGABYTES, else SANSA.
 */
export function chooseEaseMethod(shape: MatrixShape, limitSeconds = EXACT_SECONDS): EaseFamilyChoice {
  const seconds = exactSeconds(shape);
  const megabytes = exactMegabytes(shape);
  const exact = exactMethod(shape);
  const estimate = `an exact ${exact} fit of order ${Math.min(shape.items, shape.users)} is estimated at ${seconds.toFixed(1)} s and ${Math.round(megabytes)} MB`;
  if (seconds <= limitSeconds && megabytes <= EXACT_MEGABYTES)
    return {
      method: exact,
      algo: 'ease',
      exactSeconds: seconds,
      exactMegabytes: megabytes,
      reason: `exact EASE: ${estimate}, within ${limitSeconds.toFixed(1)} s and ${EXACT_MEGABYTES} MB`,
    };
  return {
    method: 'sansa',
    algo: 'sansa',
    exactSeconds: seconds,
    exactMegabytes: megabytes,
    reason: `SANSA: ${estimate}, past ${limitSeconds.toFixed(1)} s or ${EXACT_MEGABYTES} MB`,
  };
}
