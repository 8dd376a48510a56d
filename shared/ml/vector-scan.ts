/**
 * Exact top-k inner-product search over an in-memory set of unit vectors, by a full scan of int8-quantised
 * rows then a re-scoring of the best candidates: at 100,000 × 384 a query takes about 2–3 ms, cheap enough
 * to replace an approximate (graph) index, whose misses depend on the graph.
 *
 * Each stored vector v keeps its own scale s = max|vᵢ| and is stored as q = round(vᵢ / s · 127); the query
 * is quantised to int16 the same way. Rows are dense and contiguous in one memory (a WebAssembly memory
 * when SIMD is available), so the scan is a single pass over `size × padded` bytes. The int8 error alone
 * reorders near-tied scores (recall@100 ≈ 0.96 on clustered data), so each row also keeps an int8 residual
 * e (vector-scan-quantise.ts), and the scan's best max(4k, 200) rows are re-scored as (q + e/127)·s/127
 * against the float query: the returned scores are then within about 1e-5 of the exact float ones.
 */
import {
  ROW_LEVELS,
  maxAbs,
  nearest,
  quantiseRow,
  refinedDot,
  refinedRow,
  topRows,
  type RowStore,
} from './vector-scan-quantise';
import {
  CHUNK as KERNEL_CHUNK,
  ROWS_PER_BLOCK as KERNEL_BLOCK,
  createScanMemory,
  instantiateScan,
  rowOffset,
  simdAvailable,
  type ScanKernel,
  type ScanMemory,
} from './vector-scan-wasm';

export { simdAvailable };

/** One search hit: the id and its inner product with the query, from the refined (q + e/127) vector. */
export interface ScanHit {
  id: string;
  score: number;
}

/** Options of a {@link VectorScan}. */
export interface VectorScanOptions {
  /** Rows to reserve up front (the store grows by half again whenever it fills). */
  capacity?: number;
  /** False forces the plain JavaScript scan; by default the SIMD kernel runs wherever the engine has it. */
  accelerate?: boolean;
}

const PAGE = 65536;
// Module-local copies: hot loops then read constants, not imported bindings (which some loaders, such as
// tsx's, compile to getter calls).
const CHUNK = KERNEL_CHUNK;
const ROWS_PER_BLOCK = KERNEL_BLOCK;
/** Candidates the int8 scan hands to the re-scoring, at least: enough to absorb its near-tie swaps. */
const MIN_CANDIDATES = 200;
/** … and at least this many per wanted result. */
const CANDIDATES_PER_RESULT = 4;

/** A growable ArrayBuffer with the WebAssembly.Memory interface, for the JavaScript path. */
class ArrayMemory implements ScanMemory {
  buffer = new ArrayBuffer(0);
  constructor(pages: number) {
    this.grow(pages);
  }
  grow(pages: number): number {
    const previous = this.buffer;
    this.buffer = new ArrayBuffer(previous.byteLength + pages * PAGE);
    new Uint8Array(this.buffer).set(new Uint8Array(previous));
    return previous.byteLength / PAGE;
  }
}

const roundUp = (value: number, multiple: number): number => Math.ceil(value / multiple) * multiple;

/**
 * An exact (up to the refined vectors' quantisation: about 1e-5 in a score) inner-product index over
 * unit vectors of one dimension, keyed by id.
 * Not thread-safe; every method is synchronous.
 */
export class VectorScan {
  /** The dimension every vector must have. */
  readonly dimension: number;
  /** Whether searches run the WebAssembly SIMD kernel (else a JavaScript loop with identical results). */
  readonly accelerated: boolean;
  /** Row width in bytes: the dimension zero-padded to a multiple of 16 (whole SIMD chunks). */
  private readonly padded: number;
  /** The int16 range the query uses: as fine as the i32 accumulators allow without overflow. */
  private readonly queryLevels: number;
  private readonly memory: ScanMemory;
  private readonly kernel: ScanKernel | undefined;
  private readonly rowOf = new Map<string, number>();
  private readonly ids: string[] = [];
  private capacity = 0;
  // Byte layout: query (padded × i16) | scales (capacity × f32) | scores (capacity × f32) | rows. Only
  // the scores and rows move when the capacity grows; every region starts 16-byte aligned.
  private scalesAt: number;
  private scoresAt = 0;
  private rowsAt = 0;
  private query!: Int16Array;
  private scales!: Float32Array;
  private scores!: Float32Array;
  private rows!: Int8Array;
  // Row-major residuals (capacity × dimension), plain JS memory: only the candidates' rows are read, so
  // they need neither the interleaving nor a place in the scanned WebAssembly memory.
  private residuals = new Int8Array(0);

  /** An empty index for vectors of `dimension` numbers. */
  constructor(dimension: number, options: VectorScanOptions = {}) {
    if (!(Number.isInteger(dimension) && dimension > 0 && dimension <= 65536))
      throw new RangeError(`VectorScan: dimension must be an integer in [1, 65536], got ${dimension}`);
    this.dimension = dimension;
    this.padded = roundUp(dimension, 16);
    // |row| ≤ 127 and |query| ≤ L, so |dot| ≤ padded · 127 · L must stay below 2³¹.
    this.queryLevels = Math.min(32767, Math.floor(0x7fffffff / (ROW_LEVELS * this.padded)));
    this.accelerated = (options.accelerate ?? true) && simdAvailable();
    this.scalesAt = this.padded * 2;
    const capacity = roundUp(Math.max(ROWS_PER_BLOCK, options.capacity ?? 256), ROWS_PER_BLOCK);
    const pages = Math.ceil(this.bytesFor(capacity) / PAGE);
    this.memory = this.accelerated ? createScanMemory(pages) : new ArrayMemory(pages);
    this.kernel = this.accelerated ? instantiateScan(this.memory, this.padded) : undefined;
    this.layout(capacity);
  }

  /** The number of stored vectors. */
  get size(): number {
    return this.ids.length;
  }

  /**
   * Bytes of the row store (rows, scales, scores and query, plus the residuals: one more byte per dimension
   * and row; including capacity not yet used); the id map on the JavaScript heap comes on top.
   */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength + this.residuals.byteLength;
  }

  /** Adds or replaces the vector of `id` (a unit vector; stored int8-quantised with its own scale). */
  set(id: string, vector: Float32Array): void {
    this.checkLength(vector.length, 'set');
    // validated before anything changes, so a rejected vector leaves the store as it was
    const max = maxAbs(vector, 0, this.dimension, 'VectorScan.set');
    let row = this.rowOf.get(id);
    if (row === undefined) {
      this.reserve(this.size + 1);
      row = this.append(id);
    }
    this.write(row, vector, 0, max);
  }

  /** Adds or replaces many at once (`vectors` is ids.length × dimension, row-major); grows memory once. */
  setMany(ids: readonly string[], vectors: Float32Array): void {
    if (vectors.length !== ids.length * this.dimension)
      throw new RangeError(
        `VectorScan.setMany: expected ${ids.length} vectors of dimension ${this.dimension} ` +
          `(${ids.length * this.dimension} numbers), got ${vectors.length} numbers`,
      );
    // every row is validated before anything changes, so a rejected batch leaves the store as it was
    const maxes = Float64Array.from(ids, (_, index) =>
      maxAbs(vectors, index * this.dimension, this.dimension, `VectorScan.setMany (row ${index})`),
    );
    this.reserve(this.size + ids.length);
    ids.forEach((id, index) =>
      this.write(
        this.rowOf.get(id) ?? this.append(id),
        vectors,
        index * this.dimension,
        maxes[index] as number,
      ),
    );
  }

  /** Removes `id`; returns whether it was stored. The last row moves into its place, keeping rows dense. */
  delete(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    const last = this.size - 1;
    if (row !== last) {
      const moved = this.ids[last] as string;
      const [to, from] = [rowOffset(row, 0, this.padded), rowOffset(last, 0, this.padded)];
      const stride = CHUNK * ROWS_PER_BLOCK;
      for (let at = 0; at < this.padded * ROWS_PER_BLOCK; at += stride)
        this.rows.copyWithin(to + at, from + at, from + at + CHUNK);
      this.residuals.copyWithin(row * this.dimension, last * this.dimension, this.size * this.dimension);
      this.scales[row] = this.scales[last] as number;
      this.ids[row] = moved;
      this.rowOf.set(moved, row);
    }
    // a zero scale makes the (still scanned) tail of the last block score exactly 0
    this.scales[last] = 0;
    this.ids.pop();
    this.rowOf.delete(id);
    return true;
  }

  /** Whether `id` is stored. */
  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** The stored vector of `id`, dequantised with its residual (within max|vᵢ|/32258 per value), or none. */
  get(id: string): Float32Array | undefined {
    const row = this.rowOf.get(id);
    if (row === undefined) return undefined;
    return refinedRow(this.store(), row, this.scales[row] as number, new Float32Array(this.dimension));
  }

  /**
   * The k ids with the largest inner product with `query`, best first (ties by id), skipping `exclude`.
   * The int8 scan picks max(4k, 200) candidates; they are re-scored with the refined vectors against the
   * float query, and score is that refined inner product. Returns every non-excluded vector when k ≥ size.
   */
  search(query: Float32Array, k: number, exclude?: ReadonlySet<string>): ScanHit[] {
    this.checkLength(query.length, 'search');
    if (Number.isNaN(k)) throw new RangeError('VectorScan.search: k must be a number');
    const wanted = Math.min(Math.floor(k), this.size);
    this.quantiseQuery(query);
    if (wanted <= 0) return [];
    this.scan();
    if (exclude) {
      // -Infinity is never a real score (rows and query are finite), so selection can skip it cheaply
      for (const id of exclude) {
        const row = this.rowOf.get(id);
        if (row !== undefined) this.scores[row] = -Infinity;
      }
    }
    const shortlist = Math.min(this.size, Math.max(MIN_CANDIDATES, CANDIDATES_PER_RESULT * wanted));
    const candidates = topRows(this.scores, this.ids, this.size, shortlist, true);
    const store = this.store();
    const hits = candidates.map((row) => ({
      id: this.ids[row] as string,
      score: refinedDot(store, row, this.scales[row] as number, query),
    }));
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return hits.slice(0, wanted);
  }

  private checkLength(length: number, method: string): void {
    if (length !== this.dimension)
      throw new RangeError(
        `VectorScan.${method}: expected a vector of dimension ${this.dimension}, got ${length}`,
      );
  }

  private bytesFor(capacity: number): number {
    return this.scalesAt + capacity * (4 + 4 + this.padded);
  }

  private append(id: string): number {
    const row = this.ids.length;
    this.ids.push(id);
    this.rowOf.set(id, row);
    return row;
  }

  /** The views the quantisation helpers read and write (refreshed whenever the capacity grows). */
  private store(): RowStore {
    return { rows: this.rows, residuals: this.residuals, dimension: this.dimension, padded: this.padded };
  }

  /** Quantises `source[offset …]`, whose max|vᵢ| is `max`, into `row` (int8 level, residual and scale). */
  private write(row: number, source: Float32Array, offset: number, max: number): void {
    this.scales[row] = quantiseRow(this.store(), row, source, offset, max);
  }

  /**
   * Writes the int16 query (validating it). The scan's scores only rank candidates, and scaling the query
   * by a positive constant keeps their order, so its dequantisation factor is not needed.
   */
  private quantiseQuery(query: Float32Array): void {
    const max = maxAbs(query, 0, this.dimension, 'VectorScan.search');
    const factor = max > 0 ? this.queryLevels / max : 0;
    for (let index = 0; index < this.dimension; index += 1)
      this.query[index] = nearest((query[index] as number) * factor);
  }

  /** scores[r] = f32(Σ rowᵣ · query) · scales[r] in f32 for every row, by the kernel or the same in JS. */
  private scan(): void {
    const blocks = Math.ceil(this.size / ROWS_PER_BLOCK);
    if (this.kernel) {
      this.kernel(0, this.scalesAt, this.rowsAt, blocks, this.scoresAt);
      return;
    }
    const { rows, query, scales, scores, padded, dimension } = this;
    for (let row = 0; row < this.size; row += 1) {
      // integer arithmetic is exact in doubles here, so the order of the sum cannot change the result
      let dot = 0;
      let at = rowOffset(row, 0, padded);
      for (let index = 0; index < dimension; index += CHUNK, at += CHUNK * ROWS_PER_BLOCK)
        for (let lane = 0; lane < CHUNK && index + lane < dimension; lane += 1)
          dot += (rows[at + lane] as number) * (query[index + lane] as number);
      // f32 product of two f32 values, rounded once on store: what f32x4.mul computes
      scores[row] = Math.fround(dot) * (scales[row] as number);
    }
  }

  /** Makes room for `needed` rows, growing by at least half so that appends stay amortised O(1). */
  private reserve(needed: number): void {
    if (needed <= this.capacity) return;
    const capacity = roundUp(Math.max(needed, Math.ceil(this.capacity * 1.5)), ROWS_PER_BLOCK);
    const missing = Math.ceil(this.bytesFor(capacity) / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (missing > 0) this.memory.grow(missing);
    this.layout(capacity);
  }

  /** Places the regions for `capacity` rows, moving the stored rows up; refreshes every view. */
  private layout(capacity: number): void {
    const scoresAt = this.scalesAt + capacity * 4;
    const rowsAt = scoresAt + capacity * 4;
    const bytes = new Uint8Array(this.memory.buffer);
    // copyWithin handles the overlap; rows go first, before the grown scales region covers their old place
    const used = roundUp(this.size, ROWS_PER_BLOCK) * this.padded;
    if (used > 0) bytes.copyWithin(rowsAt, this.rowsAt, this.rowsAt + used);
    const { buffer } = this.memory;
    this.query = new Int16Array(buffer, 0, this.padded);
    this.scales = new Float32Array(buffer, this.scalesAt, capacity);
    this.scores = new Float32Array(buffer, scoresAt, capacity);
    this.rows = new Int8Array(buffer, rowsAt, capacity * this.padded);
    this.scales.fill(0, this.size);
    if (this.residuals.length < capacity * this.dimension) {
      const residuals = new Int8Array(capacity * this.dimension);
      residuals.set(this.residuals.subarray(0, this.size * this.dimension));
      this.residuals = residuals;
    }
    [this.capacity, this.scoresAt, this.rowsAt] = [capacity, scoresAt, rowsAt];
  }
}
