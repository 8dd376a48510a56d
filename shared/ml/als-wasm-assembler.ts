/**
 * A minimal WebAssembly assembler: binary encoding of the few instructions the ALS kernels use (i32, f32 and
 * 128-bit SIMD), a function builder with typed locals, and structured-control helpers. Opcodes follow the
 * WebAssembly 2.0 specification (SIMD under the 0xfd prefix).
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
/** A sequence of encoded bytes. */
export type Code = number[];

/** Unsigned LEB128. */
export function unsigned(value: number): Code {
  const bytes: Code = [];
  let rest = value >>> 0;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return bytes;
}

/** Signed LEB128. */
export function signed(value: number): Code {
  const bytes: Code = [];
  let rest = value | 0;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0);
    bytes.push(done ? low : low | 0x80);
    if (done) return bytes;
  }
}

function name(text: string): Code {
  return [...unsigned(text.length), ...Array.from(text, (character) => character.charCodeAt(0))];
}

function vector(items: Code[]): Code {
  return [...unsigned(items.length), ...items.flat()];
}

function section(id: number, body: Code): Code {
  return [id, ...unsigned(body.length), ...body];
}

const simd = (opcode: number): Code => [0xfd, ...unsigned(opcode)];
/** A memory immediate: alignment exponent and constant byte offset. */
const memarg = (align: number, offset: number): Code => [align, ...unsigned(offset)];

export const get = (local: number): Code => [0x20, ...unsigned(local)];
export const set = (local: number): Code => [0x21, ...unsigned(local)];
export const constant = (value: number): Code => [0x41, ...signed(value)];
export const float = (value: number): Code => [0x43, ...new Uint8Array(new Float32Array([value]).buffer)];
export const loadInt = (offset = 0): Code => [0x28, ...memarg(2, offset)];
export const loadFloat = (offset = 0): Code => [0x2a, ...memarg(2, offset)];
export const storeFloat = (offset = 0): Code => [0x38, ...memarg(2, offset)];
export const loadVector = (offset = 0): Code => [...simd(0x00), ...memarg(4, offset)];
export const storeVector = (offset = 0): Code => [...simd(0x0b), ...memarg(4, offset)];
export const splat = simd(0x13); // f32x4.splat
export const lane = (index: number): Code => [...simd(0x1f), index]; // f32x4.extract_lane
export const vectorAdd = simd(0xe4); // f32x4.add
export const vectorMul = simd(0xe6); // f32x4.mul
export const add = [0x6a];
export const mul = [0x6c];
export const lessThan = [0x48]; // i32.lt_s
export const greaterEqual = [0x4e]; // i32.ge_s
export const floatAdd = [0x92];
export const floatSub = [0x93];
export const floatMul = [0x94];
export const floatDiv = [0x95];
export const floatLess = [0x5d];
export const floatLessEqual = [0x5f];
export const floatFromBits = [0xbe]; // f32.reinterpret_i32
const end = [0x0b];

/** `local = expression`. */
export const assign = (local: number, ...expression: Code[]): Code => [...expression.flat(), ...set(local)];
/** `local += step` for an i32 local. */
export const bump = (local: number, step: Code): Code => assign(local, get(local), step, add);
/** A do-while loop: `body`, then again while `condition` (an i32) holds. */
export const repeat = (body: Code[], condition: Code[]): Code => [
  0x03,
  0x40,
  ...body.flat(),
  ...condition.flat(),
  0x0d,
  0,
  ...end,
];
/** `block { body }`. */
export const block = (...body: Code[]): Code => [0x02, 0x40, ...body.flat(), ...end];
/** Leaves the construct `depth` levels out when the i32 on the stack is non-zero. */
export const breakIf = (depth: number): Code => [0x0d, ...unsigned(depth)];
/**
 * `for (local = from; local < to; local += step) body`, tested first. Inside `body` (outside nested
 * constructs), depth 0 is the loop and depth 1 leaves it.
 */
export const range = (local: number, from: Code, to: Code, step: Code, body: Code[]): Code =>
  block(
    assign(local, from),
    get(local),
    to,
    greaterEqual,
    breakIf(0),
    repeat([...body, bump(local, step)], [get(local), to, lessThan]),
  );

/** A function under construction: i32 parameters, then typed locals. */
export class FunctionBuilder {
  private readonly localTypes: number[] = [];
  constructor(readonly parameters: number) {}

  /** A new local of `type`; returns its index. */
  local(type: number): number {
    this.localTypes.push(type);
    return this.parameters + this.localTypes.length - 1;
  }

  /** The function's code entry. */
  encode(body: Code[]): Code {
    const code = [...vector(this.localTypes.map((type) => [1, type])), ...body.flat(), ...end];
    return [...unsigned(code.length), ...code];
  }
}

/** A function to export: its name, number of i32 parameters (no results) and code entry. */
export interface Exported {
  name: string;
  parameters: number;
  code: Code;
}

/** A module that imports `env.memory` (shared or not) and exports `functions`. */
export function assemble(functions: Exported[], shared: boolean): Uint8Array {
  const types = section(
    1,
    vector(
      functions.map(({ parameters }) => [
        0x60,
        ...vector(Array.from({ length: parameters }, () => [I32])),
        0,
      ]),
    ),
  );
  // A shared memory must declare a maximum: 65536 pages, 4 GiB.
  const limits = shared ? [0x03, 0, ...unsigned(65536)] : [0x00, 0];
  const imports = section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]]));
  const declarations = section(3, vector(functions.map((_, index) => unsigned(index))));
  const exports = section(
    7,
    vector(functions.map((entry, index) => [...name(entry.name), 0x00, ...unsigned(index)])),
  );
  const code = section(10, vector(functions.map((entry) => entry.code)));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...types,
    ...imports,
    ...declarations,
    ...exports,
    ...code,
  ]);
}
