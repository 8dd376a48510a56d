/**
 * SANSA's first step (Spišák et al. 2023, see `sansa.ts`): the Gram matrix A = XᵀX + λI, one column at a
 * time, never the dense items² matrix. A column is accumulated in a dense scratch vector from the users
 * of that item (Σ_u deg(u)² multiply-adds for all columns) and scaled to a unit diagonal
 * (S = Δ^{-1/2} A Δ^{-1/2}, Δ = diag A, as Lin & Moré 1999 scale before an incomplete Cholesky); the
 * incomplete factorisation (`sansa-factor.ts`) consumes each column as it is made and keeps only its own
 * sparse factor, so A is never stored. Sparsifying A itself first (keeping the 170 largest |S_ij| per column)
 * was measured and rejected: on MovieLens 100K it left S indefinite, the factorisation needed a shift of
 * 4 on a unit diagonal, and NDCG@10 fell from 0.446 to 0.33.
 *
 * The order is a static minimum-degree order: items by ascending degree of A's pattern (the number of
 * distinct items they share a user with), ties by index. Sparsely connected items are eliminated first
 * and the popular, densely connected ones last, so fill gathers in the last columns, where the factor's
 * per-column cap bounds it.
 */
import type { InteractionMatrix } from './recommender';

/** A sparse matrix by column, its strictly lower part only (rows ascending): the factor L. */
export interface SparseLower {
  readonly order: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/**
 * Reorders `indices[0..count)` so that its first `keep` entries are those of largest |key[index]| (in no
 * particular order among themselves); a deterministic quickselect (median-of-three pivots). Returns
 * min(keep, count).
 */
export function selectLargest(indices: Int32Array, count: number, key: Float64Array, keep: number): number {
  if (keep >= count) return count;
  const magnitude = (position: number) => Math.abs(key[indices[position] as number] as number);
  const swap = (a: number, b: number) => {
    const held = indices[a] as number;
    indices[a] = indices[b] as number;
    indices[b] = held;
  };
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    // Median of three into `high`, then a Lomuto partition descending by magnitude.
    if (magnitude(middle) > magnitude(low)) swap(middle, low);
    if (magnitude(high) > magnitude(low)) swap(high, low);
    if (magnitude(middle) > magnitude(high)) swap(middle, high);
    const pivot = magnitude(high);
    let store = low;
    for (let position = low; position < high; position += 1)
      if (magnitude(position) > pivot) {
        swap(position, store);
        store += 1;
      }
    swap(store, high);
    if (store === keep - 1 || store === keep) return keep;
    if (store > keep) high = store - 1;
    else low = store + 1;
  }
  return keep;
}

/**
 * The scaled Gram matrix of `matrix` (λ on the diagonal) in the elimination order, column by column:
 * `column(at, …)` writes the strictly lower part of column `at` of S, in the new numbering.
 */
export class GramColumns {
  /** permutation[p] = the item at position p of the elimination order. */
  readonly permutation: Int32Array;
  /** position[item] = where `item` is eliminated. */
  readonly position: Int32Array;
  /** Δ = diag(XᵀX + λI) by item (original indices), to undo the scaling. */
  readonly diagonal: Float64Array;
  /** Degree of A's pattern (distinct co-read items) by position in the order: the factor's size hint. */
  readonly degrees: Int32Array;
  private readonly inverseRoot: Float64Array;

  constructor(
    private readonly matrix: InteractionMatrix,
    lambda: number,
  ) {
    const n = matrix.items;
    const { itemIndptr, itemWeights } = matrix;
    this.diagonal = new Float64Array(n);
    for (let item = 0; item < n; item += 1) {
      let sum = lambda;
      for (let entry = itemIndptr[item] as number; entry < (itemIndptr[item + 1] as number); entry += 1)
        sum += (itemWeights[entry] as number) ** 2;
      this.diagonal[item] = sum;
    }
    this.inverseRoot = this.diagonal.map((value) => 1 / Math.sqrt(value));
    const degree = this.countDegrees();
    this.permutation = Int32Array.from({ length: n }, (_, item) => item).sort(
      (a, b) => (degree[a] as number) - (degree[b] as number) || a - b,
    );
    this.position = new Int32Array(n);
    this.permutation.forEach((item, at) => {
      this.position[item] = at;
    });
    this.degrees = this.permutation.map((item) => degree[item] as number);
  }

  /** Distinct co-read items of every item (the degree of A's pattern), by item. */
  private countDegrees(): Int32Array {
    const n = this.matrix.items;
    const { userIndptr, userIndices, itemIndptr, itemIndices } = this.matrix;
    const degree = new Int32Array(n);
    const mark = new Int32Array(n).fill(-1);
    for (let item = 0; item < n; item += 1) {
      mark[item] = item;
      let count = 0;
      for (let entry = itemIndptr[item] as number; entry < (itemIndptr[item + 1] as number); entry += 1) {
        const user = itemIndices[entry] as number;
        for (let other = userIndptr[user] as number; other < (userIndptr[user + 1] as number); other += 1) {
          const row = userIndices[other] as number;
          if (mark[row] === item) continue;
          mark[row] = item;
          count += 1;
        }
      }
      degree[item] = count;
    }
    return degree;
  }

  /**
   * Adds column `at` of S's strictly lower part into `scratch` (by position), registering each new row in
   * `touched` (from `count`) and `mark` (set to `at`); returns the new count.
   */
  column(at: number, scratch: Float64Array, touched: Int32Array, mark: Int32Array, count: number): number {
    const item = this.permutation[at] as number;
    const { position, inverseRoot } = this;
    const { userIndptr, userIndices, userWeights, itemIndptr, itemIndices, itemWeights } = this.matrix;
    const scale = inverseRoot[item] as number;
    let size = count;
    for (let entry = itemIndptr[item] as number; entry < (itemIndptr[item + 1] as number); entry += 1) {
      const user = itemIndices[entry] as number;
      const weight = (itemWeights[entry] as number) * scale;
      for (let other = userIndptr[user] as number; other < (userIndptr[user + 1] as number); other += 1) {
        const otherItem = userIndices[other] as number;
        const row = position[otherItem] as number;
        if (row <= at) continue;
        if (mark[row] !== at) {
          mark[row] = at;
          touched[size] = row;
          size += 1;
          scratch[row] = 0;
        }
        scratch[row] =
          (scratch[row] as number) +
          weight * (userWeights[other] as number) * (inverseRoot[otherItem] as number);
      }
    }
    return size;
  }
}
