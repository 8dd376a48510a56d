/**
 * SANSA's second step (Spišák et al. 2023, see `sansa.ts`): an incomplete LDLᵀ factorisation
 * S + αI ≈ L·D·Lᵀ of the scaled, sparsified Gram matrix, L unit lower triangular. It is the incomplete
 * Cholesky of Lin & Moré (1999, "Incomplete Cholesky factorizations with limited memory", SIAM J. Sci.
 * Comput. 21(1)), the ICF factoriser SANSA uses, in LDLᵀ form:
 * - left-looking by columns, each column gathered in a dense scratch vector from the earlier columns
 *   that reach its row (found through per-row linked lists of the columns' next entries, as in ICF);
 * - threshold dropping (Saad's ILUT rule, "ILUT: a dual threshold incomplete LU factorization", 1994):
 *   an entry is dropped when its magnitude in the Cholesky scaling, |w_i|/√d_j, is below `dropTolerance`;
 * - a per-column fill cap (Lin & Moré's memory rule): column j keeps at most its count in S plus `fill`
 *   entries, the largest, its count in S being capped at `perColumn` first (S itself is not sparsified,
 *   see `sansa-gram.ts`, so on dense data that count alone would be most of the catalogue; the item's
 *   whole degree stands for the count below the diagonal, which saves a pass over the data);
 * - every dropped entry e of column j is added, as |e|, to the pivot d_j and to the diagonal of its row
 *   (Ajiz & Jennings 1984, "A robust incomplete Choleski-conjugate gradient algorithm", Int. J. Numer.
 *   Methods Eng. 20): what is dropped is then a positive semi-definite matrix, so the pivots stay positive.
 *   Lin & Moré's remedy, restarting with a diagonal shift α, is kept for rounding only: without the
 *   compensation, MovieLens 100K at 170 entries a column needed α = 1 on a unit diagonal and fell from
 *   0.42 to 0.33 NDCG@10;
 * - on a breakdown (a pivot d_j ≤ 10⁻⁸) the shift α is raised, α ← max(2α, 10⁻³), and the factorisation
 *   restarts.
 */
import { type GramColumns, type SparseLower, selectLargest } from './sansa-gram';

/** L (strictly lower, unit diagonal implied) and D of S + αI ≈ L·D·Lᵀ. */
export interface LdlFactor {
  readonly lower: SparseLower;
  readonly pivots: Float64Array;
  /** The shift α that made the factorisation succeed. */
  readonly shift: number;
}

/** Smallest pivot accepted, relative to the unit diagonal. */
const PIVOT_FLOOR = 1e-8;
const FIRST_SHIFT = 1e-3;
const MAX_RESTARTS = 40;

/** Caps and tolerance of the incomplete factorisation. */
export interface LdlLimits {
  perColumn: number;
  fill: number;
  dropTolerance: number;
}

/** The incomplete LDLᵀ of the scaled Gram matrix (unit diagonal), see the module comment. */
export function incompleteLdl(gram: GramColumns, limits: LdlLimits): LdlFactor {
  let shift = 0;
  for (let attempt = 0; attempt <= MAX_RESTARTS; attempt += 1) {
    const factor = tryFactor(gram, limits, shift);
    if (factor) return factor;
    shift = Math.max(2 * shift, FIRST_SHIFT);
  }
  throw new RangeError(`sansa: the incomplete factorisation broke down even with a shift of ${shift}`);
}

function tryFactor(gram: GramColumns, limits: LdlLimits, shift: number): LdlFactor | null {
  const n = gram.permutation.length;
  const { fill, dropTolerance } = limits;
  const caps = gram.degrees.map((count, column) =>
    Math.min(n - 1 - column, Math.min(count, limits.perColumn) + fill),
  );
  const capacity = caps.reduce((sum, cap) => sum + cap, 0);
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(capacity);
  const values = new Float64Array(capacity);
  const pivots = new Float64Array(n);
  // Column k's next unused entry, and the columns waiting at each row (linked lists).
  const cursor = new Int32Array(n);
  const head = new Int32Array(n).fill(-1);
  const link = new Int32Array(n).fill(-1);
  const scratch = new Float64Array(n);
  const touched = new Int32Array(n);
  const mark = new Int32Array(n).fill(-1);
  const compensation = new Float64Array(n);
  const enqueue = (column: number) => {
    if ((cursor[column] as number) >= (indptr[column + 1] as number)) return;
    const row = indices[cursor[column] as number] as number;
    link[column] = head[row] as number;
    head[row] = column;
  };
  for (let column = 0; column < n; column += 1) {
    let pivot = 1 + shift + (compensation[column] as number);
    let count = gram.column(column, scratch, touched, mark, 0);
    // Subtract L[·][k]·d_k·L[column][k] for every earlier column k with an entry in this row.
    let earlier = head[column] as number;
    head[column] = -1;
    while (earlier >= 0) {
      const following = link[earlier] as number;
      const at = cursor[earlier] as number;
      const multiplier = (values[at] as number) * (pivots[earlier] as number);
      pivot -= multiplier * (values[at] as number);
      const end = indptr[earlier + 1] as number;
      for (let entry = at + 1; entry < end; entry += 1) {
        const row = indices[entry] as number;
        if (mark[row] !== column) {
          mark[row] = column;
          touched[count] = row;
          count += 1;
          scratch[row] = 0;
        }
        scratch[row] = (scratch[row] as number) - multiplier * (values[entry] as number);
      }
      cursor[earlier] = at + 1;
      enqueue(earlier);
      earlier = following;
    }
    if (!(pivot > PIVOT_FLOOR)) return null;
    pivots[column] = pivot;
    // Threshold dropping in the Cholesky scaling, then the per-column cap.
    const floor = dropTolerance * Math.sqrt(pivot);
    let kept = 0;
    for (let index = 0; index < count; index += 1) {
      const row = touched[index] as number;
      if (Math.abs(scratch[row] as number) >= floor) {
        // A swap, so that the dropped rows stay in touched[kept..count).
        touched[index] = touched[kept] as number;
        touched[kept] = row;
        kept += 1;
      }
    }
    kept = selectLargest(touched, kept, scratch, caps[column] as number);
    {
      // Diagonal compensation: a dropped pair e at (i, j) adds |e| to both diagonals.
      let dropped = 0;
      for (let index = kept; index < count; index += 1) {
        const row = touched[index] as number;
        const magnitude = Math.abs(scratch[row] as number);
        dropped += magnitude;
        compensation[row] = (compensation[row] as number) + magnitude;
      }
      pivot += dropped;
      pivots[column] = pivot;
    }
    const first = indptr[column] as number;
    const rows = touched.subarray(0, kept).sort();
    for (let index = 0; index < kept; index += 1) {
      const row = rows[index] as number;
      indices[first + index] = row;
      values[first + index] = (scratch[row] as number) / pivot;
    }
    indptr[column + 1] = first + kept;
    cursor[column] = first;
    enqueue(column);
  }
  const total = indptr[n] as number;
  return {
    lower: { order: n, indptr, indices: indices.slice(0, total), values: values.slice(0, total) },
    pivots,
    shift,
  };
}
