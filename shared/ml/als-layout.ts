/**
 * Where everything of an ALS engine sits in its WebAssembly memory: sizes, byte offsets (16-byte aligned)
 * and the chunk sizes that split the work into thread-independent tasks.
 */

/** Rows per partial Gramian: fixed, so the summation order never depends on the thread count. */
export const GRAM_ROWS = 2048;
/** Rows per solve task: small enough to balance two threads, large enough that calls cost nothing. */
export const SOLVE_ROWS = 32;
/** Users scored together (a multiple of the kernel's four-user tile): one task of `recommendAll`. */
export const SCORE_USERS = 64;
/**
 * Item blocks (of four) per scoring pass: 256 blocks of 64 factors are 256 KiB, so every tile of a user
 * group reads them from L2. It bounds the working set; on the 2-core benchmark machine the score kernel
 * turned out compute-bound and the gain was within noise.
 */
export const SCORE_BLOCKS = 256;
/** Control words (Int32) at the start of the memory: task counters for worker threads. */
export const COUNTER_WORDS = 4;

/** Sizes that decide the layout. */
export interface EngineShape {
  users: number;
  items: number;
  /** Stored entries of the user CSR. */
  nnz: number;
  factors: number;
  /** Scratch slots: one per thread that may run steps at the same time (slot 0 is the caller's). */
  slots: number;
  /** Whether the memory also holds what training needs (confidences, item CSR, partial Gramians). */
  training: boolean;
  /** Entries of the longest user or item row (training only): each slot gathers that many vectors. */
  longestRow: number;
}

/** Byte offsets of every region (all 16-byte aligned), and the total. */
export interface EngineLayout extends EngineShape {
  /** Floats per stored vector: `factors` rounded up to a multiple of 16 (the kernels' 64-byte groups). */
  stride: number;
  /** Item blocks of four for scoring. */
  blocks: number;
  partialCount: number;
  gram: number;
  partials: number;
  userFactors: number;
  itemFactors: number;
  itemBlocks: number;
  userIndptr: number;
  userIndices: number;
  userConfidences: number;
  itemIndptr: number;
  itemIndices: number;
  itemConfidences: number;
  scratch: number;
  /** Bytes per scratch slot: r, p, Ap, a four-user tile, its splats, one folded-in vector, SCORE_USERS score rows. */
  slotBytes: number;
  /** Per slot, room to gather the vectors of the longest row during a solve. */
  gather: number;
  gatherBytes: number;
  /**
   * Fold-in row (indptr pair, then indices, confidences and gathered vectors for up to `foldCapacity`
   * items); it is last so that it can grow.
   */
  fold: number;
  foldCapacity: number;
  bytes: number;
}

/** Rounds up to a multiple of 16 bytes (the alignment of v128 loads). */
const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Bytes of the fold-in region for `capacity` items. */
export function foldBytes(capacity: number, vector: number): number {
  return 16 + align(capacity * 4) * 2 + capacity * vector;
}

/** Computes the layout for `shape`. */
export function engineLayout(shape: EngineShape, foldCapacity = 1024): EngineLayout {
  // whole 64-byte groups of four v128: the kernels' vector loops (kernels/als.wat) walk them
  const stride = Math.max(16, Math.ceil(shape.factors / 16) * 16);
  const vector = stride * 4;
  const blocks = Math.ceil(shape.items / 4);
  // Serving keeps the item side's chunks too, so that a fold-in sees the very Gramian training would use.
  const partialCount = Math.max(
    1,
    Math.ceil((shape.training ? Math.max(shape.users, shape.items) : shape.items) / GRAM_ROWS),
  );
  const gatherBytes = shape.training ? shape.longestRow * vector : 0;
  const slotBytes = align(3 * vector + 4 * vector + stride * 64 + vector + SCORE_USERS * blocks * 16);
  let offset = COUNTER_WORDS * 4;
  const take = (bytes: number): number => {
    const start = align(offset);
    offset = start + align(bytes);
    return start;
  };
  const trainingOnly = (bytes: number): number => (shape.training ? bytes : 0);
  const layout: EngineLayout = {
    ...shape,
    stride,
    blocks,
    partialCount,
    gram: take(stride * vector),
    partials: take(partialCount * stride * vector),
    userFactors: take(shape.users * vector),
    itemFactors: take(shape.items * vector),
    itemBlocks: take(blocks * 4 * vector),
    userIndptr: take((shape.users + 1) * 4),
    userIndices: take(shape.nnz * 4),
    userConfidences: take(trainingOnly(shape.nnz * 4)),
    itemIndptr: take(trainingOnly((shape.items + 1) * 4)),
    itemIndices: take(trainingOnly(shape.nnz * 4)),
    itemConfidences: take(trainingOnly(shape.nnz * 4)),
    scratch: take(shape.slots * slotBytes),
    slotBytes,
    gather: take(shape.slots * gatherBytes),
    gatherBytes,
    fold: 0,
    foldCapacity,
    bytes: 0,
  };
  layout.fold = take(foldBytes(foldCapacity, vector));
  layout.bytes = offset;
  return layout;
}
