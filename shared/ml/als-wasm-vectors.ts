/**
 * Inline WebAssembly code for the ALS kernels' vector operations (dot products, axpy, matrix-vector): every
 * loop over a vector is unrolled at assembly time for one `stride`, with constant memory offsets.
 */
import {
  type FunctionBuilder,
  V128,
  add,
  assign,
  bump,
  constant,
  float,
  floatAdd,
  get,
  lane,
  lessThan,
  loadFloat,
  loadVector,
  repeat,
  splat,
  storeVector,
  vectorAdd,
  vectorMul,
  type Code,
} from './als-wasm-assembler';
/** The v128 locals the inline vector macros use (one set per function; the macros never nest). */
export interface VectorLocals {
  sums: number[];
  scale: number;
  shared: number;
}

export function vectorLocals(builder: FunctionBuilder): VectorLocals {
  return {
    sums: [0, 1, 2, 3].map(() => builder.local(V128)),
    scale: builder.local(V128),
    shared: builder.local(V128),
  };
}

/** Pushes the sum of the four lanes of v128 local `sum`, in a fixed order: (l0 + l1) + (l2 + l3). */
export const horizontal = (sum: number): Code => [
  ...get(sum),
  ...lane(0),
  ...get(sum),
  ...lane(1),
  ...floatAdd,
  ...get(sum),
  ...lane(2),
  ...get(sum),
  ...lane(3),
  ...floatAdd,
  ...floatAdd,
];

export const zero = [...float(0), ...splat];

/** Inline vector code for vectors of `stride` floats, fully unrolled with constant offsets. */
export class VectorCode {
  protected readonly bytes: number;
  protected readonly chunks: number[];

  constructor(protected readonly stride: number) {
    this.bytes = stride * 4;
    this.chunks = Array.from({ length: stride / 4 }, (_, index) => index * 16);
  }

  /** Pushes dot(a, b) of the vectors at locals `a` and `b`: four partial sums, then a fixed tree. */
  dot(a: number, b: number, v: VectorLocals): Code {
    const sums = v.sums.slice(0, Math.min(4, this.chunks.length));
    const code = this.chunks.flatMap((offset, index) => {
      const sum = sums[index % sums.length] as number;
      const product = [...get(a), ...loadVector(offset), ...get(b), ...loadVector(offset), ...vectorMul];
      return index < sums.length ? assign(sum, product) : assign(sum, get(sum), product, vectorAdd);
    });
    const [first, second, third, fourth] = sums as [number, number, number?, number?];
    const combined =
      third === undefined || fourth === undefined
        ? [...get(first), ...get(second), ...vectorAdd]
        : [
            ...get(first),
            ...get(second),
            ...vectorAdd,
            ...get(third),
            ...get(fourth),
            ...vectorAdd,
            ...vectorAdd,
          ];
    return [...code, ...assign(first, combined), ...horizontal(first)];
  }

  /** `target += scale · source`; `scale` is code that pushes an f32. */
  axpy(scale: Code, source: number, target: number, v: VectorLocals): Code {
    return [
      ...assign(v.scale, scale, splat),
      ...this.chunks.flatMap((offset) => [
        ...get(target),
        ...get(target),
        ...loadVector(offset),
        ...get(v.scale),
        ...get(source),
        ...loadVector(offset),
        ...vectorMul,
        ...vectorAdd,
        ...storeVector(offset),
      ]),
    ];
  }

  /**
   * Sets locals `first` and `second` to dot(a, vector) and dot(b, vector), loading each chunk of `vector`
   * once for both; two partial sums per product, combined in a fixed order.
   */
  dotPair(a: number, b: number, vector: number, first: number, second: number, v: VectorLocals): Code {
    const [a0, a1, b0, b1] = v.sums as [number, number, number, number];
    return [
      ...this.chunks.flatMap((offset, index) => {
        const [sumA, sumB] = index % 2 === 0 ? [a0, b0] : [a1, b1];
        const product = (row: number): Code => [
          ...get(row),
          ...loadVector(offset),
          ...get(v.shared),
          ...vectorMul,
        ];
        const accumulate = (sum: number, row: number): Code =>
          index < 2 ? assign(sum, product(row)) : assign(sum, get(sum), product(row), vectorAdd);
        return [
          ...assign(v.shared, get(vector), loadVector(offset)),
          ...accumulate(sumA, a),
          ...accumulate(sumB, b),
        ];
      }),
      ...assign(a0, get(a0), get(a1), vectorAdd),
      ...assign(b0, get(b0), get(b1), vectorAdd),
      ...assign(first, horizontal(a0)),
      ...assign(second, horizontal(b0)),
    ];
  }

  /** `target += (scale · a + secondScale · b)`; the scales are code that pushes an f32 each. */
  axpyPair(scale: Code, a: number, secondScale: Code, b: number, target: number, v: VectorLocals): Code {
    return [
      ...assign(v.scale, scale, splat),
      ...assign(v.shared, secondScale, splat),
      ...this.chunks.flatMap((offset) => [
        ...get(target),
        ...get(target),
        ...loadVector(offset),
        ...get(v.scale),
        ...get(a),
        ...loadVector(offset),
        ...vectorMul,
        ...get(v.shared),
        ...get(b),
        ...loadVector(offset),
        ...vectorMul,
        ...vectorAdd,
        ...vectorAdd,
        ...storeVector(offset),
      ]),
    ];
  }

  /** `target = 0`. */
  clear(target: number): Code {
    return this.chunks.flatMap((offset) => [...get(target), ...zero, ...storeVector(offset)]);
  }

  /** `target = source`. */
  copy(source: number, target: number): Code {
    return this.chunks.flatMap((offset) => [
      ...get(target),
      ...get(source),
      ...loadVector(offset),
      ...storeVector(offset),
    ]);
  }

  /** Runs `body` for each of the `stride` rows of a matrix: `row` walks the rows, `element` the floats of `vector`. */
  rows(row: number, element: number, vector: number, body: Code[]): Code {
    return repeat(
      [...body, bump(row, constant(this.bytes)), bump(element, constant(4))],
      [get(element), get(vector), constant(this.bytes), add, lessThan],
    );
  }

  /** out = G · vector for the symmetric matrix G at `gram`: Σ_a vector[a] · G[a, ·]. */
  gemv(gram: number, vector: number, out: number, row: number, element: number, v: VectorLocals): Code {
    return [
      ...this.clear(out),
      ...assign(row, get(gram)),
      ...assign(element, get(vector)),
      ...this.rows(row, element, vector, [this.axpy([...get(element), ...loadFloat()], row, out, v)]),
    ];
  }
}
