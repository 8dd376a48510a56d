/**
 * The inverse of a symmetric positive-definite matrix in float32, in place, by the blocked sweep operator
 * (block Gauss–Jordan; Goodnight 1979, "A tutorial on the SWEEP operator"): for each diagonal block K,
 *
 *   D = A_KK⁻¹,  U = A_·K D,  A_rs −= U_r · A_sK (r, s ∉ K),  A_rK = U_r,  A_KK = −D,
 *
 * after which A holds −A⁻¹. Each block costs one rank-b update of the whole matrix, so the total is n³/2
 * multiply-adds, the same as a Cholesky factorisation followed by the inverse of its factor, but every
 * step is the same WebAssembly SIMD kernel (`ease-wasm.ts`) over contiguous panels. Only the lower
 * triangle is stored, packed by rows of four-row tiles (row i holds columns 0..⌊i/4⌋·4+3, so each diagonal
 * tile is whole and symmetric): 2 bytes per entry of the full matrix, 800 MB for 20,000 items.
 */
import { instantiateModule, createMemory } from './als-wasm-runtime';
import { type EaseKernel, easeKernelBytes } from './ease-wasm';
import { invertSymmetricPositiveDefinite } from './dense-inverse';

/** Rows and columns of the update's cache blocks: two 64-row blocks of the panels sit in L2. */
const CACHE_BLOCK = 64;
/** Pivot block: a multiple of CACHE_BLOCK; larger means fewer passes over the matrix, a costlier D. */
export const PIVOT_BLOCK = 256;

/** A symmetric matrix of order `order` (a multiple of 4 ≥ the caller's size) in WebAssembly memory. */
export interface PackedSymmetric {
  readonly order: number;
  /** The packed lower triangle (see the module comment). */
  readonly values: Float32Array;
  /** Index in `values` of row i's column 0. */
  readonly rowStart: Int32Array;
  /** The kernel and its memory layout (internal to the sweep). */
  readonly kernel: EaseKernel;
  readonly layout: {
    table: number;
    values: number;
    left: number;
    right: number;
    panelTable: number;
    pivot: number;
  };
}

/** Where entry (row, column) of the symmetric matrix is stored in `values`. */
export function packedIndex(matrix: PackedSymmetric, row: number, column: number): number {
  return column < (row & ~3) + 4
    ? (matrix.rowStart[row] as number) + column
    : (matrix.rowStart[column] as number) + row;
}

/** Bytes of WebAssembly memory a matrix of `size` needs (the packed triangle is most of it). */
export function packedBytes(size: number): number {
  const order = Math.ceil(size / 4) * 4;
  const triangle = (order / 4) * (order / 4 + 1) * 8;
  return 4 * (2 * order + triangle + 2 * order * PIVOT_BLOCK + PIVOT_BLOCK * PIVOT_BLOCK) + 64;
}

/** A zero matrix of at least `size` rows; padding rows beyond `size` get a unit diagonal. */
export function createPacked(size: number): PackedSymmetric {
  const order = Math.ceil(size / 4) * 4;
  const memory = createMemory(packedBytes(size), false);
  const rowStart = new Int32Array(order);
  let floats = 0;
  for (let row = 0; row < order; row += 1) {
    rowStart[row] = floats;
    floats += (row & ~3) + 4;
  }
  // Byte offsets: the row table, the triangle, the two panels, the panel's row table, then D.
  const table = 0;
  const values = table + order * 4;
  const left = values + floats * 4;
  const right = left + order * PIVOT_BLOCK * 4;
  const panelTable = right + order * PIVOT_BLOCK * 4;
  const pivot = panelTable + order * 4;
  const rowTable = new Int32Array(memory.buffer, table, order);
  for (let row = 0; row < order; row += 1) rowTable[row] = values + (rowStart[row] as number) * 4;
  const matrix: PackedSymmetric = {
    order,
    values: new Float32Array(memory.buffer, values, floats),
    rowStart,
    kernel: instantiateModule(easeKernelBytes(), memory) as unknown as EaseKernel,
    layout: { table, values, left, right, panelTable, pivot },
  };
  for (let row = size; row < order; row += 1) matrix.values[packedIndex(matrix, row, row)] = 1;
  return matrix;
}

/**
 * A packed `size`-order matrix holding Σ_rows r rᵀ + λI over the rows of a CSR (`indptr`, `indices`
 * ascending within a row, `weights`): XᵀX + λI from the user rows, XXᵀ + λI from the item columns.
 */
export function packedGram(
  size: number,
  indptr: Int32Array,
  indices: Int32Array,
  weights: Float32Array,
  lambda: number,
): PackedSymmetric {
  const packed = createPacked(size);
  const { values, rowStart } = packed;
  // Lower triangle only: indices ascend, so column ≤ row for q ≤ p.
  for (let row = 0; row + 1 < indptr.length; row += 1) {
    const start = indptr[row] as number;
    const end = indptr[row + 1] as number;
    for (let p = start; p < end; p += 1) {
      const base = rowStart[indices[p] as number] as number;
      const weight = weights[p] as number;
      for (let q = start; q <= p; q += 1) {
        const at = base + (indices[q] as number);
        values[at] = (values[at] as number) + weight * (weights[q] as number);
      }
    }
  }
  for (let index = 0; index < size; index += 1) {
    const at = (rowStart[index] as number) + index;
    values[at] = (values[at] as number) + lambda;
  }
  mirrorDiagonalTiles(packed);
  return packed;
}

/** Copies each diagonal tile's lower half into its upper half (call once the lower triangle is filled). */
export function mirrorDiagonalTiles(matrix: PackedSymmetric): void {
  const { values, rowStart } = matrix;
  for (let row = 0; row < matrix.order; row += 1)
    for (let column = row + 1; column < (row & ~3) + 4; column += 1)
      values[(rowStart[row] as number) + column] = values[(rowStart[column] as number) + row] as number;
}

/**
 * Replaces `matrix` by minus its inverse. Throws a RangeError when a pivot block is not positive
 * definite (the matrix was not).
 */
export function sweepInverse(matrix: PackedSymmetric): void {
  const { order, values, kernel, layout } = matrix;
  const buffer = values.buffer;
  const left = new Float32Array(buffer, layout.left, order * PIVOT_BLOCK);
  const right = new Float32Array(buffer, layout.right, order * PIVOT_BLOCK);
  const pivot = new Float32Array(buffer, layout.pivot, PIVOT_BLOCK * PIVOT_BLOCK);
  const panelTable = new Int32Array(buffer, layout.panelTable, order);
  for (let start = 0; start < order; start += PIVOT_BLOCK) {
    const end = Math.min(order, start + PIVOT_BLOCK);
    const width = end - start;
    const chunks = width / 4;
    // V = A_·K into `left` (row r at r·width).
    for (let row = 0; row < order; row += 1)
      for (let column = 0; column < width; column += 1)
        left[row * width + column] = values[packedIndex(matrix, row, start + column)] as number;
    // D = A_KK⁻¹ in float64; the kernel subtracts, so it gets −D.
    const block = new Float64Array(width * width);
    for (let row = 0; row < width; row += 1)
      for (let column = 0; column < width; column += 1)
        block[row * width + column] = left[(start + row) * width + column] as number;
    invertSymmetricPositiveDefinite(block, width);
    for (let index = 0; index < width * width; index += 1) pivot[index] = -(block[index] as number);
    // U = V D into `right`: U −= V · (−D)ᵀ (D is symmetric).
    right.fill(0, 0, order * width);
    for (let row = 0; row < order; row += 1) panelTable[row] = layout.right + row * width * 4;
    kernel.update(layout.left, layout.pivot, chunks, layout.panelTable, 0, order, 0, width);
    // A_rs −= U_r · V_s for r ≥ s outside K, cache block by cache block.
    for (let rowBlock = 0; rowBlock < order; rowBlock += CACHE_BLOCK) {
      if (rowBlock >= start && rowBlock < end) continue;
      const rowEnd = Math.min(order, rowBlock + CACHE_BLOCK);
      for (let columnBlock = 0; columnBlock < rowBlock; columnBlock += CACHE_BLOCK) {
        if (columnBlock >= start && columnBlock < end) continue;
        kernel.update(
          layout.right,
          layout.left,
          chunks,
          layout.table,
          rowBlock,
          rowEnd,
          columnBlock,
          columnBlock + CACHE_BLOCK,
        );
      }
      for (let tile = rowBlock; tile < rowEnd; tile += 4)
        kernel.update(layout.right, layout.left, chunks, layout.table, tile, tile + 4, rowBlock, tile + 4);
    }
    // A_rK = U_r (both halves of a diagonal tile inside K get −D).
    for (let row = 0; row < order; row += 1) {
      const inside = row >= start && row < end;
      for (let column = 0; column < width; column += 1)
        values[packedIndex(matrix, row, start + column)] = inside
          ? (pivot[(row - start) * width + column] as number)
          : (right[row * width + column] as number);
    }
  }
}
