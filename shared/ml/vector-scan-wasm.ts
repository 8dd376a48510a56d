/**
 * The WebAssembly SIMD kernel of `vector-scan.ts`: integer dot products of one int16 query with many int8
 * rows (why integers, and the memory layout: `kernels/vector-scan.wat`, compiled at build time by
 * `scripts/build-kernels.ts` into `kernels/generated/vector-scan.ts`). The padded dimension is the
 * `env.padded` global of each instance, so one compiled module serves every dimension.
 */
import { scanKernel } from './kernels/generated/vector-scan';

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
 * Whether this engine runs WebAssembly SIMD: validates the scan kernel (engines without SIMD, or with
 * WebAssembly disabled, fail validation).
 */
export function simdAvailable(): boolean {
  if (simdSupport === undefined) {
    try {
      simdSupport = wasmApi()?.validate(scanKernel) ?? false;
    } catch {
      simdSupport = false;
    }
  }
  return simdSupport;
}

let compiled: object | undefined;

/** A fresh non-shared WebAssembly memory of `pages` 64 KiB pages. */
export function createScanMemory(pages: number): ScanMemory {
  const api = wasmApi();
  if (!api) throw new Error('vector scan: this JavaScript engine lacks WebAssembly');
  return new api.Memory({ initial: pages });
}

/** Instantiates the kernel for rows of `padded` int8 values over `memory` (compiled once, synchronously). */
export function instantiateScan(memory: ScanMemory, padded: number): ScanKernel {
  if (!(Number.isInteger(padded) && padded >= 16 && padded % 16 === 0))
    throw new RangeError(`vector scan: padded dimension must be a positive multiple of 16, got ${padded}`);
  const api = wasmApi();
  if (!api) throw new Error('vector scan: this JavaScript engine lacks WebAssembly');
  compiled ??= new api.Module(scanKernel);
  const instance = new api.Instance(compiled, { env: { memory, padded } });
  return instance.exports.scan as ScanKernel;
}
