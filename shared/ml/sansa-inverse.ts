/**
 * SANSA's last steps (Spišák et al. 2023, see `sansa.ts`):
 *
 * 1. A sparse approximate inverse K ≈ L⁻¹ of the unit lower factor. Not SANSA's UMR iteration: the
 *    dropped column recursion for the inverse of a triangular factor (van Duin 1999, "Scalable parallel
 *    preconditioning with the sparsified approximate inverse of triangular matrices", SIAM J. Matrix Anal.
 *    Appl. 20(4); the "inverse of the incomplete factors" family Benzi & Tůma survey in "A comparative
 *    study of sparse approximate inverse preconditioners", Appl. Numer. Math. 30, 1999). From K·L = I,
 *    column j of K is e_j − Σ_{i>j} L_ij·K[:, i]; the columns are built from the last to the first, each
 *    from the already sparsified later ones, and each keeps its entries above `dropTolerance` and at most
 *    `perColumn` of them (the largest), so the work is nnz(L)·perColumn whatever the fill of the true L⁻¹.
 * 2. Q = Kᵀ·D⁻¹·K ≈ (S + αI)⁻¹, column by column (Q[:, j] = Σ_t K_tj/d_t · K[t, :]), and EASE's weights
 *    B_ij = −P_ij/P_jj = −(Q_ij/Q_jj)·√(Δ_j/Δ_i) with P = Δ^{-1/2} Q Δ^{-1/2} ≈ (XᵀX + λI)⁻¹, of which each
 *    target item keeps its `neighbours` sources of largest |B_ij| (`item-graph.ts`). Rows of K are walked
 *    largest entry first (in B's units: K_ti/√Δ_i) and left as soon as a term's share of B_ij falls
 *    below 10⁻⁵, which bounds the cost of the few dense rows (popular items, eliminated last); 10⁻⁴ cost
 *    0.008 NDCG@10 on MovieLens 100K, 10⁻⁵ nothing measurable.
 */
import { type ItemGraph, NeighbourHeaps, type SourceRows, sourceRows } from './item-graph';
import type { LdlFactor } from './sansa-factor';
import { selectLargest } from './sansa-gram';

/** A unit lower triangular matrix by column, its diagonal stored as each column's first entry. */
export interface InverseFactor {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** Terms of Q below this fraction of Q_jj are not added (see the module comment). */
const PRODUCT_DROP = 1e-5;

/** K ≈ L⁻¹ by the dropped column recursion (see the module comment). */
export function approximateInverse(
  factor: LdlFactor,
  perColumn: number,
  dropTolerance: number,
): InverseFactor {
  const { order: n, indptr: lIndptr, indices: lIndices, values: lValues } = factor.lower;
  const keep = Math.max(1, perColumn);
  // Column j is written at j·(keep + 1): a fixed slot per column, since they are built last to first.
  const slot = keep + 1;
  const slotIndices = new Int32Array(n * slot);
  const slotValues = new Float64Array(n * slot);
  const sizes = new Int32Array(n);
  const scratch = new Float64Array(n);
  const touched = new Int32Array(n);
  const mark = new Int32Array(n).fill(-1);
  for (let column = n - 1; column >= 0; column -= 1) {
    let count = 0;
    for (let entry = lIndptr[column] as number; entry < (lIndptr[column + 1] as number); entry += 1) {
      const later = lIndices[entry] as number;
      const weight = lValues[entry] as number;
      const base = later * slot;
      const end = base + (sizes[later] as number);
      for (let at = base; at < end; at += 1) {
        const row = slotIndices[at] as number;
        if (mark[row] !== column) {
          mark[row] = column;
          touched[count] = row;
          count += 1;
          scratch[row] = 0;
        }
        scratch[row] = (scratch[row] as number) - weight * (slotValues[at] as number);
      }
    }
    let kept = 0;
    for (let index = 0; index < count; index += 1) {
      const row = touched[index] as number;
      if (Math.abs(scratch[row] as number) >= dropTolerance) {
        touched[kept] = row;
        kept += 1;
      }
    }
    kept = selectLargest(touched, kept, scratch, keep);
    const base = column * slot;
    slotIndices[base] = column;
    slotValues[base] = 1;
    const rows = touched.subarray(0, kept).sort();
    for (let index = 0; index < kept; index += 1) {
      slotIndices[base + 1 + index] = rows[index] as number;
      slotValues[base + 1 + index] = scratch[rows[index] as number] as number;
    }
    sizes[column] = kept + 1;
  }
  const indptr = new Int32Array(n + 1);
  for (let column = 0; column < n; column += 1)
    indptr[column + 1] = (indptr[column] as number) + (sizes[column] as number);
  const indices = new Int32Array(indptr[n] as number);
  const values = new Float64Array(indices.length);
  for (let column = 0; column < n; column += 1) {
    const size = sizes[column] as number;
    indices.set(slotIndices.subarray(column * slot, column * slot + size), indptr[column] as number);
    values.set(slotValues.subarray(column * slot, column * slot + size), indptr[column] as number);
  }
  return { indptr, indices, values };
}

/**
 * K by rows with each entry K_ti divided by √Δ of item i (the scale of B's source side), each row's
 * entries by decreasing magnitude (for the early exit of `sansaGraph`).
 */
function rowsByMagnitude(inverse: InverseFactor, n: number, sourceScale: Float64Array): SourceRows {
  // K by column is a graph by target (column j lists the t with K_tj); its rows by source are K's rows.
  const {
    indptr,
    indices,
    weights: values,
  } = sourceRows({
    items: n,
    side: 'target',
    indptr: inverse.indptr,
    indices: inverse.indices,
    weights: Float32Array.from(inverse.values),
  });
  for (let entry = 0; entry < indices.length; entry += 1)
    values[entry] = (values[entry] as number) * (sourceScale[indices[entry] as number] as number);
  const order: number[] = [];
  for (let row = 0; row < n; row += 1) {
    const first = indptr[row] as number;
    const end = indptr[row + 1] as number;
    order.length = 0;
    for (let entry = first; entry < end; entry += 1) order.push(entry);
    order.sort((a, b) => Math.abs(values[b] as number) - Math.abs(values[a] as number) || a - b);
    const rowIndices = order.map((entry) => indices[entry] as number);
    const rowValues = order.map((entry) => values[entry] as number);
    indices.set(rowIndices, first);
    values.set(rowValues, first);
  }
  return { indptr, indices, weights: values };
}

/**
 * EASE's item graph from K and D: for each target item, its `neighbours` sources of largest |B_ij|, in the
 * original item numbering (`permutation[p]` is the item at position p, `diagonal` is Δ by item).
 */
export function sansaGraph(
  inverse: InverseFactor,
  pivots: Float64Array,
  permutation: Int32Array,
  diagonal: Float64Array,
  neighbours: number,
): ItemGraph {
  const n = pivots.length;
  const sourceScale = new Float64Array(n);
  for (let at = 0; at < n; at += 1)
    sourceScale[at] = 1 / Math.sqrt(diagonal[permutation[at] as number] as number);
  const rows = rowsByMagnitude(inverse, n, sourceScale);
  const keep = Math.max(1, Math.min(neighbours, n - 1));
  const heaps = new NeighbourHeaps(n, keep);
  const scratch = new Float64Array(n);
  const touched = new Int32Array(n);
  const mark = new Int32Array(n).fill(-1);
  for (let target = 0; target < n; target += 1) {
    const first = inverse.indptr[target] as number;
    const end = inverse.indptr[target + 1] as number;
    let own = 0;
    for (let entry = first; entry < end; entry += 1) {
      const value = inverse.values[entry] as number;
      own += (value * value) / (pivots[inverse.indices[entry] as number] as number);
    }
    // B_ij = −Σ_t (K_tj/d_t)·(K_ti/√Δ_i) · √Δ_j/Q_jj: a term below PRODUCT_DROP in B's units is left out.
    const targetItem = permutation[target] as number;
    const targetScale = Math.sqrt(diagonal[targetItem] as number) / own;
    const floor = PRODUCT_DROP / targetScale;
    let count = 0;
    for (let entry = first; entry < end; entry += 1) {
      const through = inverse.indices[entry] as number;
      const factor = (inverse.values[entry] as number) / (pivots[through] as number);
      const rowEnd = rows.indptr[through + 1] as number;
      for (let at = rows.indptr[through] as number; at < rowEnd; at += 1) {
        const term = factor * (rows.weights[at] as number);
        if (Math.abs(term) < floor) break;
        const source = rows.indices[at] as number;
        if (mark[source] !== target) {
          mark[source] = target;
          touched[count] = source;
          count += 1;
          scratch[source] = 0;
        }
        scratch[source] = (scratch[source] as number) + term;
      }
    }
    // |B_ij| orders as |Q_ij| within a target: select the top sources first, offer only those.
    scratch[target] = 0;
    const selected = selectLargest(touched, count, scratch, keep + 1);
    for (let index = 0; index < selected; index += 1) {
      const source = touched[index] as number;
      if (source === target) continue;
      const sourceItem = permutation[source] as number;
      const weight = -(scratch[source] as number) * targetScale;
      if (Math.abs(weight) > (heaps.thresholds[targetItem] as number))
        heaps.offer(targetItem, sourceItem, weight);
    }
  }
  return heaps.graph('target');
}
