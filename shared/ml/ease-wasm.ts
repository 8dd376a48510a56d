/**
 * The one WebAssembly SIMD kernel of EASE's blocked inverse (`ease-sweep.ts`): a rank-b update of a
 * symmetric matrix held as row pointers, C[i][j] −= dot(a_i, b_j). Its source and memory layout are in
 * `kernels/ease.wat`; `scripts/build-kernels.ts` compiles it into `kernels/generated/ease.ts`.
 */
import { easeKernel } from './kernels/generated/ease';

/** The module's bytes (non-shared memory). */
export function easeKernelBytes(): Uint8Array {
  return easeKernel;
}

/** The kernel bound to one memory; every argument is an i32 (a byte offset or a count). */
export interface EaseKernel {
  update(
    a: number,
    b: number,
    chunks: number,
    table: number,
    rowFrom: number,
    rowTo: number,
    columnFrom: number,
    columnTo: number,
  ): void;
}
