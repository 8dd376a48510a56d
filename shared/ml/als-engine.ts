/**
 * The state of an ALS model inside one WebAssembly memory, and the steps that train and score it. The same
 * engine runs on one thread or is attached by worker threads to a shared memory: every step is split into
 * chunks whose results do not depend on which thread runs them, so any thread count gives bit-identical
 * factors.
 */
import {
  createMemory,
  floatBits,
  instantiateKernels,
  type Kernels,
  type WasmMemory,
} from './als-wasm-runtime';
import {
  foldBytes,
  engineLayout,
  GRAM_ROWS,
  SCORE_BLOCKS,
  SOLVE_ROWS,
  type EngineLayout,
  type EngineShape,
} from './als-layout';
import type { InteractionMatrix } from './recommender';
import { seededRandom } from './random';

export { seededRandom };

/** Which side a half-iteration solves: `user` solves user factors against fixed item factors. */
export type Side = 'user' | 'item';

/** The engine: a memory, its layout and the kernels bound to it. */
export class AlsEngine {
  private buffer: ArrayBuffer | undefined;
  private floatView = new Float32Array(0);
  private intView = new Int32Array(0);

  private constructor(
    readonly memory: WasmMemory,
    readonly layout: EngineLayout,
    readonly shared: boolean,
    readonly kernels: Kernels,
  ) {}

  /** A new zeroed engine; `shared` puts it in a SharedArrayBuffer for worker threads. */
  static create(shape: EngineShape, shared: boolean, foldCapacity?: number): AlsEngine {
    const layout = engineLayout(shape, foldCapacity);
    const memory = createMemory(layout.bytes, shared);
    return new AlsEngine(memory, layout, shared, instantiateKernels(memory, layout.stride, shared));
  }

  /** Attaches to an existing (shared) memory, as a worker thread does. */
  static attach(memory: WasmMemory, layout: EngineLayout, shared: boolean, module?: object): AlsEngine {
    return new AlsEngine(memory, layout, shared, instantiateKernels(memory, layout.stride, shared, module));
  }

  /** Float32 view of the whole memory (renewed after the memory grows). */
  get floats(): Float32Array {
    this.refresh();
    return this.floatView;
  }

  /** Int32 view of the whole memory. */
  get ints(): Int32Array {
    this.refresh();
    return this.intView;
  }

  private refresh(): void {
    const buffer = this.memory.buffer;
    if (buffer === this.buffer && this.floatView.byteLength === buffer.byteLength) return;
    this.buffer = buffer;
    this.floatView = new Float32Array(buffer);
    this.intView = new Int32Array(buffer);
  }

  /** Copies the matrix in, with confidences c = 1 + α·w (Hu, Koren & Volinsky 2008). */
  loadMatrix(matrix: InteractionMatrix, alpha: number): void {
    const { ints, floats, layout } = this;
    ints.set(matrix.userIndptr, layout.userIndptr / 4);
    ints.set(matrix.userIndices, layout.userIndices / 4);
    if (!layout.training) return;
    ints.set(matrix.itemIndptr, layout.itemIndptr / 4);
    ints.set(matrix.itemIndices, layout.itemIndices / 4);
    const confidences = (weights: Float32Array, offset: number): void => {
      for (let index = 0; index < weights.length; index += 1)
        floats[offset + index] = 1 + alpha * (weights[index] as number);
    };
    confidences(matrix.userWeights, layout.userConfidences / 4);
    confidences(matrix.itemWeights, layout.itemConfidences / 4);
  }

  /**
   * Seeded start, as the `implicit` library does: every factor uniform in [0, 0.01), users then items;
   * the padding beyond `factors` stays zero (and the solver keeps it zero).
   */
  initialize(seed: number): void {
    const { floats, layout } = this;
    const random = seededRandom(seed);
    const fill = (offset: number, rows: number): void => {
      for (let row = 0; row < rows; row += 1) {
        const start = offset / 4 + row * layout.stride;
        for (let factor = 0; factor < layout.factors; factor += 1) floats[start + factor] = random() * 0.01;
      }
    };
    fill(layout.userFactors, layout.users);
    fill(layout.itemFactors, layout.items);
  }

  /** Rows of the side being solved, and of the other side (whose Gramian the solve needs). */
  rows(side: Side): { solved: number; other: number } {
    const { users, items } = this.layout;
    return side === 'user' ? { solved: users, other: items } : { solved: items, other: users };
  }

  /** Number of partial-Gramian chunks for a half-iteration that solves `side`. */
  gramChunks(side: Side): number {
    return Math.ceil(this.rows(side).other / GRAM_ROWS);
  }

  /** Partial Gramian of the other side's factors over chunk `chunk`. */
  gramChunk(side: Side, chunk: number): void {
    const { layout } = this;
    const other = side === 'user' ? layout.itemFactors : layout.userFactors;
    const rows = this.rows(side).other;
    const vector = layout.stride * 4;
    const start = chunk * GRAM_ROWS;
    this.kernels.gram(
      other,
      start,
      Math.min(rows, start + GRAM_ROWS),
      layout.partials + chunk * layout.stride * vector,
    );
  }

  /** Sums the partials in chunk order and adds λI. */
  reduceGram(side: Side, regularization: number): void {
    const { layout } = this;
    const count = Math.max(1, this.gramChunks(side));
    if (this.gramChunks(side) === 0)
      this.ints.fill(0, layout.partials / 4, layout.partials / 4 + layout.stride ** 2);
    this.kernels.reduce(layout.partials, count, floatBits(regularization), layout.gram);
  }

  /** Number of solve chunks for `side`. */
  solveChunks(side: Side): number {
    return Math.ceil(this.rows(side).solved / SOLVE_ROWS);
  }

  /** `steps` CG steps for the rows of chunk `chunk` of `side`, with scratch slot `slot`. */
  solveChunk(side: Side, chunk: number, steps: number, slot: number): void {
    const { layout } = this;
    const start = chunk * SOLVE_ROWS;
    const end = Math.min(this.rows(side).solved, start + SOLVE_ROWS);
    const user = side === 'user';
    this.kernels.solve(
      user ? layout.userIndptr : layout.itemIndptr,
      user ? layout.userIndices : layout.itemIndices,
      user ? layout.userConfidences : layout.itemConfidences,
      user ? layout.itemFactors : layout.userFactors,
      user ? layout.userFactors : layout.itemFactors,
      layout.gram,
      start,
      end,
      steps,
      layout.scratch + slot * layout.slotBytes,
      layout.gather + slot * layout.gatherBytes,
    );
  }

  /** Claims the next task number of counter `counter` (atomically when shared). */
  claim(counter: number): number {
    if (!this.shared) {
      const ints = this.ints;
      const next = ints[counter] as number;
      ints[counter] = next + 1;
      return next;
    }
    return Atomics.add(this.ints, counter, 1);
  }

  /** Resets counter `counter` to zero. */
  resetCounter(counter: number): void {
    if (this.shared) Atomics.store(this.ints, counter, 0);
    else this.ints[counter] = 0;
  }

  /** The Gramian YᵀY + λI of the item factors, for fold-ins (the user step's system). */
  prepareFoldIn(regularization: number): void {
    for (let chunk = 0; chunk < this.gramChunks('user'); chunk += 1) this.gramChunk('user', chunk);
    this.reduceGram('user', regularization);
  }

  /** Copies the item factors into blocks of four items interleaved by factor, as `score` reads them. */
  buildItemBlocks(): void {
    const { floats, layout } = this;
    const { stride, items } = layout;
    const blocks = layout.itemBlocks / 4;
    const factors = layout.itemFactors / 4;
    floats.fill(0, blocks, blocks + layout.blocks * 4 * stride);
    for (let item = 0; item < items; item += 1) {
      const target = blocks + (item >> 2) * 4 * stride + (item & 3);
      const source = factors + item * stride;
      for (let factor = 0; factor < stride; factor += 1)
        floats[target + factor * 4] = floats[source + factor] as number;
    }
  }

  /** Byte offsets of slot `slot`'s regions. */
  slot(slot: number): { scratch: number; tile: number; splats: number; vector: number; scores: number } {
    const { layout } = this;
    const vector = layout.stride * 4;
    const scratch = layout.scratch + slot * layout.slotBytes;
    const tile = scratch + 3 * vector;
    const splats = tile + 4 * vector;
    const folded = splats + layout.stride * 64;
    return { scratch, tile, splats, vector: folded, scores: folded + vector };
  }

  /** Floats between two users' score rows. */
  get scoreStride(): number {
    return this.layout.blocks * 4;
  }

  /**
   * Scores users first..first+count−1 (count ≤ SCORE_USERS) against every item, into slot `slot`'s score
   * rows; returns the float index of the first row (row u at + u·scoreStride). Needs `buildItemBlocks`.
   */
  scoreUsers(first: number, count: number, slot: number): number {
    const { layout } = this;
    const vector = layout.stride * 4;
    const regions = this.slot(slot);
    const tiles: number[] = [];
    for (let tile = 0; tile < count; tile += 4) {
      const x = layout.userFactors + (first + tile) * vector;
      if (count - tile >= 4) tiles.push(x);
      else {
        // the last, partial tile: copied and padded with zero users
        const floats = this.floats;
        floats.fill(0, regions.tile / 4, regions.tile / 4 + 4 * layout.stride);
        floats.copyWithin(regions.tile / 4, x / 4, x / 4 + (count - tile) * layout.stride);
        tiles.push(regions.tile);
      }
    }
    this.scoreTiles(tiles, regions);
    return regions.scores / 4;
  }

  private scoreTiles(tiles: number[], regions: { splats: number; scores: number }): void {
    const { layout } = this;
    const rowBytes = this.scoreStride * 4;
    for (let block = 0; block < layout.blocks; block += SCORE_BLOCKS) {
      const count = Math.min(SCORE_BLOCKS, layout.blocks - block);
      const items = layout.itemBlocks + block * layout.stride * 16;
      tiles.forEach((x, tile) =>
        this.kernels.score(
          x,
          regions.splats,
          items,
          count,
          regions.scores + tile * 4 * rowBytes + block * 16,
          rowBytes,
        ),
      );
    }
  }

  /** Scores one vector (`stride` floats at byte offset `x`) against every item, like `scoreUsers`. */
  scoreVector(x: number, slot: number): number {
    const { layout } = this;
    const regions = this.slot(slot);
    const floats = this.floats;
    floats.fill(0, regions.tile / 4, regions.tile / 4 + 4 * layout.stride);
    floats.copyWithin(regions.tile / 4, x / 4, x / 4 + layout.stride);
    this.scoreTiles([regions.tile], regions);
    return regions.scores / 4;
  }

  /**
   * Solves one user described by (items, weights) against the fixed item factors: the user step's system,
   * from zero, with `steps` CG steps; returns the byte offset of the vector in slot `slot`. Needs
   * `prepareFoldIn` first.
   */
  foldIn(
    items: readonly number[],
    weights: readonly number[],
    alpha: number,
    steps: number,
    slot: number,
  ): number {
    const { layout } = this;
    if (items.length !== weights.length) throw new RangeError('foldIn: items and weights differ in length');
    if (items.length > layout.foldCapacity) this.growFold(items.length);
    const ints = this.ints;
    const floats = this.floats;
    const base = layout.fold / 4;
    const indices = base + 4;
    const confidences = indices + Math.ceil(layout.foldCapacity / 4) * 4;
    const gather = (confidences + Math.ceil(layout.foldCapacity / 4) * 4) * 4;
    ints[base] = 0;
    ints[base + 1] = items.length;
    for (let index = 0; index < items.length; index += 1) {
      const item = items[index] as number;
      if (!(Number.isInteger(item) && item >= 0 && item < layout.items))
        throw new RangeError(`foldIn: item ${item} is outside 0..${layout.items - 1}`);
      ints[indices + index] = item;
      floats[confidences + index] = 1 + alpha * (weights[index] as number);
    }
    const regions = this.slot(slot);
    floats.fill(0, regions.vector / 4, regions.vector / 4 + layout.stride);
    this.kernels.solve(
      layout.fold,
      indices * 4,
      confidences * 4,
      layout.itemFactors,
      regions.vector,
      layout.gram,
      0,
      1,
      steps,
      regions.scratch,
      gather,
    );
    return regions.vector;
  }

  /** Makes room for a longer fold-in row; the fold region is last, so it grows in place. */
  private growFold(entries: number): void {
    const { layout } = this;
    const capacity = Math.max(entries, layout.foldCapacity * 2);
    const bytes = layout.fold + foldBytes(capacity, layout.stride * 4);
    const pages = Math.ceil((bytes - this.memory.buffer.byteLength) / 65536);
    if (pages > 0) this.memory.grow(pages);
    layout.foldCapacity = capacity;
    layout.bytes = bytes;
  }
}
