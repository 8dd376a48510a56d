/**
 * The WebAssembly SIMD kernel of `vector-scan.ts`: integer dot products of one int16 query with many int8
 * rows, assembled at run time (with `als-wasm-assembler.ts`) for one padded dimension.
 *
 * Why integers: an int8 row is a quarter of the bytes of an f32 one, and a 100,000-row scan is bound by
 * memory traffic as much as by arithmetic. `i32x4.dot_i16x8_s` multiplies eight lanes and adds pairs in one
 * instruction (x86 `pmaddwd`), and integer sums are exact, so the JavaScript fallback reproduces the
 * kernel's scores bit for bit.
 */
import {
  FunctionBuilder,
  I32,
  V128,
  assemble,
  assign,
  bump,
  constant,
  get,
  loadVector,
  range,
  repeat,
  add,
  lessThan,
  storeVector,
  unsigned,
  vectorMul,
  type Code,
} from './als-wasm-assembler';

// SIMD opcodes the ALS kernels do not use (WebAssembly 2.0, section 5.4.8; the 0xfd prefix, then a u32
// LEB128 opcode).
const simd = (opcode: number, ...opcodeBytes: number[]): Code => [0xfd, opcode, ...opcodeBytes];
/** v128.load8x8_s: eight int8 lanes sign-extended to i16x8 (alignment hint 2^3 bytes). */
const loadWidened = (offset: number): Code => [...simd(0x01), 3, ...unsigned(offset)];
/** i32x4.dot_i16x8_s (opcode 186). */
const dot = simd(0xba, 0x01);
/** i32x4.add (opcode 174). */
const addLanes = simd(0xae, 0x01);
/** f32x4.convert_i32x4_s (opcode 250). */
const toFloats = simd(0xfa, 0x01);
/** v128.const 0 (opcode 12, then 16 immediate bytes). */
const zeros: Code = [...simd(0x0c), ...new Array<number>(16).fill(0)];
/** i8x16.shuffle with 32-bit lanes: lanes 0–3 pick from the first operand, 4–7 from the second. */
const shuffle = (lanes: [number, number, number, number]): Code => [
  ...simd(0x0d),
  ...lanes.flatMap((lane) => [lane * 4, lane * 4 + 1, lane * 4 + 2, lane * 4 + 3]),
];

/** Rows per block: the kernel scores four rows at a time, and rows are stored interleaved by block. */
export const ROWS_PER_BLOCK = 4;
/** Bytes of one row per chunk: one `v128.load8x8_s`, eight dimensions. */
export const CHUNK = 8;

/**
 * The byte offset of dimension `index` of `row` in the row store. Rows are interleaved in blocks of four
 * by chunks of eight dimensions ([r0 d0–7, r1 d0–7, r2 d0–7, r3 d0–7, r0 d8–15, …]), so the kernel reads
 * memory strictly sequentially: with four separate row streams, the hardware prefetcher fell behind and
 * a 100,000-row scan took about twice as long.
 */
export const rowOffset = (row: number, index: number, padded: number): number =>
  (row - (row % ROWS_PER_BLOCK)) * padded +
  (index - (index % CHUNK)) * ROWS_PER_BLOCK +
  (row % ROWS_PER_BLOCK) * CHUNK +
  (index % CHUNK);

/**
 * scan(query, scales, rows, blocks, out): for each of the `blocks` × 4 rows of `padded` int8 values (laid
 * out as `rowOffset`), out[r] = f32(Σ row·query) · scales[r] in f32. `query` holds `padded` int16 values;
 * every pointer is 16-byte aligned and the padding dimensions are zero in the query.
 */
function scanCode(padded: number): Code {
  const [query, scales, rows, blocks, out] = [0, 1, 2, 3, 4];
  const f = new FunctionBuilder(5);
  const [index, row, scale, target, queryAt, finish] = Array.from({ length: 6 }, () => f.local(I32)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const chunk = f.local(V128);
  const sums = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)] as const;
  const [pairs01, pairs23] = [f.local(V128), f.local(V128)];
  // Chunks per pass of the inner loop. Fully unrolling all 48 chunks of a 384-d row ran a third slower
  // under TurboFan than a short loop (its scheduler spreads the huge block's loads and spills); four
  // chunks (128 bytes: two cache lines of the block) measured best.
  const group = padded % (4 * CHUNK) === 0 ? 4 : 2;
  const step = group * CHUNK * ROWS_PER_BLOCK;
  // a query chunk (8 × i16) is loaded once and multiplied with the same eight dimensions of four rows,
  // each row into its own i32x4 accumulator
  const pass = Array.from({ length: group }, (_, c) => [
    ...assign(chunk, get(queryAt), loadVector(c * 16)),
    ...sums.flatMap((sum, k) =>
      assign(
        sum,
        get(sum),
        get(row),
        loadWidened((c * ROWS_PER_BLOCK + k) * CHUNK),
        get(chunk),
        dot,
        addLanes,
      ),
    ),
  ]);
  // Transposed horizontal sums: [a0+a1, a2+a3, b0+b1, b2+b3] for rows a, b, then the same pattern again
  // gives [Σa, Σb, Σc, Σd], so one store writes four scores.
  const even = shuffle([0, 2, 4, 6]);
  const odd = shuffle([1, 3, 5, 7]);
  const pairUp = (first: number, second: number): Code => [
    ...get(first),
    ...get(second),
    ...even,
    ...get(first),
    ...get(second),
    ...odd,
    ...addLanes,
  ];
  return f.encode([
    assign(row, get(rows)),
    assign(scale, get(scales)),
    assign(target, get(out)),
    range(index, constant(0), get(blocks), constant(1), [
      sums.flatMap((sum) => assign(sum, zeros)),
      assign(queryAt, get(query)),
      assign(finish, get(row), constant(padded * ROWS_PER_BLOCK), add),
      repeat(
        [...pass, bump(row, constant(step)), bump(queryAt, constant(group * 16))],
        [get(row), get(finish), lessThan],
      ),
      assign(pairs01, pairUp(sums[0], sums[1])),
      assign(pairs23, pairUp(sums[2], sums[3])),
      [...get(target), ...pairUp(pairs01, pairs23), ...toFloats],
      [...get(scale), ...loadVector(), ...vectorMul, ...storeVector()],
      bump(scale, constant(16)),
      bump(target, constant(16)),
    ]),
  ]);
}

/** The module's bytes for rows of `padded` int8 values (a positive multiple of 16). */
export function scanModuleBytes(padded: number): Uint8Array {
  if (!(Number.isInteger(padded) && padded >= 16 && padded % 16 === 0))
    throw new RangeError(`vector scan: padded dimension must be a positive multiple of 16, got ${padded}`);
  return assemble([{ name: 'scan', parameters: 5, code: scanCode(padded) }], false);
}

/** The slice of the WebAssembly API the scan needs (shared/ has no DOM or Node typings). */
export interface ScanMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => ScanMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

/** The kernel bound to one memory; every argument is a byte offset or a count. */
export type ScanKernel = (query: number, scales: number, rows: number, blocks: number, out: number) => void;

const wasmApi = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

let simdSupport: boolean | undefined;

/**
 * Whether this engine runs WebAssembly SIMD: validates the smallest kernel, which uses every instruction
 * the real ones do (engines without SIMD, or with WebAssembly disabled, fail validation).
 */
export function simdAvailable(): boolean {
  if (simdSupport === undefined) {
    try {
      simdSupport = wasmApi()?.validate(scanModuleBytes(16)) ?? false;
    } catch {
      simdSupport = false;
    }
  }
  return simdSupport;
}

const compiled = new Map<number, object>();

/** A fresh non-shared WebAssembly memory of `pages` 64 KiB pages. */
export function createScanMemory(pages: number): ScanMemory {
  const api = wasmApi();
  if (!api) throw new Error('vector scan: this JavaScript engine lacks WebAssembly');
  return new api.Memory({ initial: pages });
}

/** Instantiates the kernel for `padded` over `memory` (compiled once per dimension, synchronously). */
export function instantiateScan(memory: ScanMemory, padded: number): ScanKernel {
  const api = wasmApi();
  if (!api) throw new Error('vector scan: this JavaScript engine lacks WebAssembly');
  let module = compiled.get(padded);
  if (!module) {
    module = new api.Module(scanModuleBytes(padded));
    compiled.set(padded, module);
  }
  const instance = new api.Instance(module, { env: { memory } });
  return instance.exports.scan as ScanKernel;
}
