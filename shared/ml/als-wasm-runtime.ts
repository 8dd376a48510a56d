/**
 * Instantiating the ALS kernels over a WebAssembly memory. The kernels are WebAssembly SIMD written as text
 * (`kernels/als.wat`: Gramian and scoring; `kernels/als-solve.wat`: the conjugate-gradient solve) and
 * compiled at build time by `scripts/build-kernels.ts` into `kernels/generated/`; the vector width is the
 * `env.stride` global of each instance, so one compiled module serves every model.
 */
import { alsKernels, alsSharedKernels } from './kernels/generated/als';
import { alsSolveKernels, alsSolveSharedKernels } from './kernels/generated/als-solve';

/** The slice of the WebAssembly API the kernels need (shared/ has no DOM or Node typings). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

function wasmApi(): WasmApi {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error('ALS needs WebAssembly, which this JavaScript engine lacks');
  return api;
}

/** The kernels bound to one memory; every argument is an i32 (a byte offset, a count or f32 bits). */
export interface Kernels {
  gram(rows: number, start: number, end: number, out: number): void;
  reduce(partials: number, count: number, regularizationBits: number, out: number): void;
  solve(
    indptr: number,
    indices: number,
    confidences: number,
    other: number,
    factors: number,
    gram: number,
    start: number,
    end: number,
    steps: number,
    scratch: number,
    gather: number,
  ): void;
  score(x: number, splats: number, items: number, blocks: number, out: number, outBytes: number): void;
}

/** The two compiled modules of the kernels, as a worker thread receives them by postMessage. */
interface KernelModules {
  matrix: object;
  solve: object;
}

const compiled = new Map<boolean, KernelModules>();

/**
 * The compiled modules over a shared or non-shared memory (cached; an opaque object that a worker thread
 * may receive by postMessage). `stride` (floats per vector) is checked here and given to each instance.
 */
export function kernelModule(stride: number, shared: boolean): object {
  checkStride(stride);
  let modules = compiled.get(shared);
  if (!modules) {
    const api = wasmApi();
    modules = {
      matrix: new api.Module(shared ? alsSharedKernels : alsKernels),
      solve: new api.Module(shared ? alsSolveSharedKernels : alsSolveKernels),
    };
    compiled.set(shared, modules);
  }
  return modules;
}

/** The kernels walk vectors 64 bytes at a time: `stride` must be a positive multiple of 16 floats. */
function checkStride(stride: number): void {
  if (!(Number.isInteger(stride) && stride >= 16 && stride % 16 === 0))
    throw new RangeError(`ALS kernels: stride must be a positive multiple of 16, got ${stride}`);
}

/** A memory of at least `bytes` bytes; shared ones (for worker threads) may grow up to 4 GiB. */
export function createMemory(bytes: number, shared: boolean): WasmMemory {
  const initial = Math.max(1, Math.ceil(bytes / 65536));
  if (initial > 65536) throw new RangeError(`ALS needs ${bytes} bytes, more than WebAssembly's 4 GiB`);
  return new (wasmApi().Memory)(shared ? { initial, maximum: 65536, shared: true } : { initial });
}

/** Instantiates the kernels for vectors of `stride` floats over `memory` (synchronously: the module is small). */
export function instantiateKernels(
  memory: WasmMemory,
  stride: number,
  shared: boolean,
  module?: object,
): Kernels {
  const api = wasmApi();
  const modules = (module ?? kernelModule(stride, shared)) as KernelModules;
  checkStride(stride);
  const imports = { env: { memory, stride } };
  return {
    ...new api.Instance(modules.matrix, imports).exports,
    ...new api.Instance(modules.solve, imports).exports,
  } as unknown as Kernels;
}

const compiledBytes = new WeakMap<Uint8Array, object>();

/** Instantiates another compiled kernel module (e.g. EASE's) over a non-shared `memory`. */
export function instantiateModule(bytes: Uint8Array, memory: WasmMemory): Record<string, unknown> {
  const api = wasmApi();
  let module = compiledBytes.get(bytes);
  if (!module) compiledBytes.set(bytes, (module = new api.Module(bytes)));
  return new api.Instance(module, { env: { memory } }).exports;
}

/** The bits of `value` as an f32, for `reduce`'s regularization argument. */
export function floatBits(value: number): number {
  return new Int32Array(new Float32Array([value]).buffer)[0] as number;
}
