/**
 * The one WebAssembly SIMD kernel of EASE's blocked inverse (`ease-sweep.ts`), assembled at run time with
 * the ALS kernels' assembler: a rank-b update of a symmetric matrix held as row pointers,
 *
 *   C[i][j] −= dot(a_i, b_j)   for i in [rowFrom, rowTo), j in [columnFrom, columnTo),
 *
 * where a_i and b_j are rows of two contiguous panels of `chunks`·4 floats each and row i of C starts at the
 * byte offset stored at `table + 4i`. Tiles of two rows by four columns keep eight accumulators, the four
 * b rows and one a row in registers (thirteen of x64's sixteen vector registers), so each chunk costs six
 * loads for eight four-lane multiply-adds. Float32 without fused multiply-add, in a fixed order.
 */
import {
  I32,
  V128,
  FunctionBuilder,
  add,
  assemble,
  assign,
  constant,
  floatSub,
  get,
  loadFloat,
  loadInt,
  loadVector,
  mul,
  range,
  storeFloat,
  vectorAdd,
  vectorMul,
  type Code,
} from './als-wasm-assembler';
import { horizontal, zero } from './als-wasm-vectors';

/** Rows of a tile (columns are always four). */
const TILE_ROWS = 2;
const TILE_COLUMNS = 4;

/** update(a, b, chunks, table, rowFrom, rowTo, columnFrom, columnTo); row and column counts multiples of 4. */
function update(): Code {
  const [a, b, chunks, table, rowFrom, rowTo, columnFrom, columnTo] = [0, 1, 2, 3, 4, 5, 6, 7];
  const f = new FunctionBuilder(8);
  const [row, column, offset, rowBytes] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const rows = Array.from({ length: TILE_ROWS }, () => f.local(I32));
  const targets = Array.from({ length: TILE_ROWS }, () => f.local(I32));
  const columns = Array.from({ length: TILE_COLUMNS }, () => f.local(I32));
  const sums = Array.from({ length: TILE_ROWS * TILE_COLUMNS }, () => f.local(V128));
  const values = Array.from({ length: TILE_COLUMNS }, () => f.local(V128));
  const value = f.local(V128);
  const sumAt = (r: number, s: number) => sums[r * TILE_COLUMNS + s] as number;
  return f.encode([
    assign(rowBytes, get(chunks), constant(16), mul),
    range(row, get(rowFrom), get(rowTo), constant(TILE_ROWS), [
      rows.flatMap((local, r) => assign(local, get(a), get(row), constant(r), add, get(rowBytes), mul, add)),
      targets.flatMap((local, r) =>
        assign(local, get(table), get(row), constant(r), add, constant(4), mul, add, loadInt()),
      ),
      range(column, get(columnFrom), get(columnTo), constant(TILE_COLUMNS), [
        columns.flatMap((local, s) =>
          assign(local, get(b), get(column), constant(s), add, get(rowBytes), mul, add),
        ),
        sums.flatMap((sum) => assign(sum, zero)),
        range(offset, constant(0), get(rowBytes), constant(16), [
          values.flatMap((local, s) =>
            assign(local, get(columns[s] as number), get(offset), add, loadVector()),
          ),
          rows.flatMap((local, r) => [
            ...assign(value, get(local), get(offset), add, loadVector()),
            ...values.flatMap((other, s) =>
              assign(sumAt(r, s), get(sumAt(r, s)), get(value), get(other), vectorMul, vectorAdd),
            ),
          ]),
        ]),
        targets.flatMap((target, r) =>
          values.flatMap((_, s) => {
            const address = [...get(target), ...get(column), ...constant(4), ...mul, ...add];
            return [
              ...address,
              ...address,
              ...loadFloat(s * 4),
              ...horizontal(sumAt(r, s)),
              ...floatSub,
              ...storeFloat(s * 4),
            ];
          }),
        ),
      ]),
    ]),
  ]);
}

let bytes: Uint8Array | undefined;

/** The module's bytes (non-shared memory), built once. */
export function easeKernelBytes(): Uint8Array {
  bytes ??= assemble([{ name: 'update', parameters: 8, code: update() }], false);
  return bytes;
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
