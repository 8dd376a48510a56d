/**
 * The ALS kernels as a WebAssembly module with 128-bit SIMD, assembled at run time for one vector width.
 *
 * Why: V8's scalar code reaches about one multiply-add per nanosecond on typed arrays, several times short
 * of the `implicit` C++ library; four-lane f32 SIMD closes that gap. Emitting the bytes here (see
 * `als-wasm-assembler.ts`) keeps the build free of a compiler toolchain, and baking the width in lets every
 * vector loop unroll fully with constant offsets.
 *
 * Every vector is `stride` floats (a multiple of 8, zero beyond `factors`) and every buffer is 16-byte
 * aligned. Arithmetic is float32 without fused multiply-add, in a fixed order, so results are bit-identical
 * on every engine and in every thread. Pointers are byte offsets into the imported memory.
 */
import {
  F32,
  FunctionBuilder,
  I32,
  V128,
  add,
  assign,
  assemble,
  block,
  breakIf,
  bump,
  constant,
  float,
  floatAdd,
  floatDiv,
  floatFromBits,
  floatLess,
  floatLessEqual,
  floatMul,
  floatSub,
  get,
  greaterEqual,
  loadFloat,
  loadInt,
  loadVector,
  mul,
  range,
  splat,
  storeFloat,
  storeVector,
  vectorAdd,
  vectorMul,
  type Code,
} from './als-wasm-assembler';
import { VectorCode, vectorLocals } from './als-wasm-vectors';

/** Emits the kernels for vectors of `stride` floats. */
class Kernels extends VectorCode {
  /** gram(rows, start, end, out): out = Σ_{r ∈ [start, end)} y_r y_rᵀ, y_r at rows + r·stride·4. */
  gram(): Code {
    const [rows, start, finish, out] = [0, 1, 2, 3];
    const f = new FunctionBuilder(4);
    const [index, row, target, element] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
    const v = vectorLocals(f);
    return f.encode([
      assign(target, get(out)),
      assign(element, get(out)),
      this.rows(target, element, out, [this.clear(target)]),
      range(index, get(start), get(finish), constant(1), [
        assign(row, get(rows), get(index), constant(this.bytes), mul, add),
        assign(target, get(out)),
        assign(element, get(row)),
        // out[a, ·] += y[a] · y for each a
        this.rows(target, element, row, [this.axpy([...get(element), ...loadFloat()], row, target, v)]),
      ]),
    ]);
  }

  /**
   * reduce(partials, count, regularization as f32 bits, out): out = Σ partials in order + λI. The fixed
   * order keeps the Gramian identical however many threads computed the partials.
   */
  reduce(): Code {
    const [partials, count, regularization, out] = [0, 1, 2, 3];
    const f = new FunctionBuilder(4);
    const [part, source, target, element] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
    const v = vectorLocals(f);
    const square = this.bytes * this.stride;
    return f.encode([
      assign(target, get(out)),
      assign(element, get(out)),
      this.rows(target, element, out, [this.clear(target)]),
      range(part, constant(0), get(count), constant(1), [
        assign(source, get(partials), get(part), constant(square), mul, add),
        assign(target, get(out)),
        assign(element, get(out)),
        this.rows(target, element, out, [
          this.axpy(float(1), source, target, v),
          bump(source, constant(this.bytes)),
        ]),
      ]),
      // the diagonal element (a, a) sits at a·(bytes + 4)
      range(element, constant(0), constant(square), constant(this.bytes + 4), [
        [...get(out), ...get(element), ...add],
        [...get(out), ...get(element), ...add, ...loadFloat()],
        [...get(regularization), ...floatFromBits, ...floatAdd, ...storeFloat()],
      ]),
    ]);
  }

  /**
   * solve(indptr, indices, confidences, other, factors, gram, start, end, steps, scratch, gather): for each row u in
   * [start, end), `steps` conjugate-gradient steps on (G + Σ_i (c_ui − 1) y_i y_iᵀ) x_u = Σ_i c_ui y_i from
   * the current x_u, written back in place (Takács, Pilászy & Tikk 2011, in the form of the `implicit`
   * library). G = YᵀY + λI; c_ui = 1 + α·w_ui is stored per entry; scratch holds r, p and Ap; gather has
   * room for the longest row's yᵢ.
   */
  solve(): Code {
    const [indptr, indices, confidences, other, factors, gram, start, finish, steps, scratch, gather] = [
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ];
    const f = new FunctionBuilder(11);
    const [user, x, residual, direction, product, entry, first, last, y, cursor, step, row, element] =
      Array.from({ length: 13 }, () => f.local(I32)) as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
    const [confidence, old, fresh, size] = [f.local(F32), f.local(F32), f.local(F32), f.local(F32)];
    const v = vectorLocals(f);
    const tolerance = float(1e-20);
    const confidenceOf = assign(confidence, get(confidences), get(entry), constant(4), mul, add, loadFloat());
    // First the yᵢ of the row are copied from the other side's factors to `gather`, in a loop of independent
    // loads that keeps many cache misses in flight; every pass then streams the copies sequentially instead
    // of chasing indices through a matrix larger than the cache.
    const collect = [
      ...assign(cursor, get(gather)),
      ...range(entry, get(first), get(last), constant(1), [
        assign(
          y,
          get(other),
          get(indices),
          get(entry),
          constant(4),
          mul,
          add,
          loadInt(),
          constant(this.bytes),
          mul,
          add,
        ),
        this.copy(y, cursor),
        bump(cursor, constant(this.bytes)),
      ]),
    ];
    // The passes take the gathered entries two at a time: one load of the vector serves both dot products and
    // one load and store of the target both updates. `scaleOf(c, d)` gives an entry's weight from its
    // confidence and dot product.
    const [second, odd] = [f.local(I32), f.local(I32)];
    const [secondConfidence, dotA, dotB] = [f.local(F32), f.local(F32), f.local(F32)];
    const gathered = (vector: number, target: number, scaleOf: (c: number, d: Code) => Code): Code => [
      ...assign(y, get(gather)),
      ...assign(odd, get(last), constant(1), [0x6b]), // i32.sub: pairs run while entry + 1 < last
      ...range(entry, get(first), get(odd), constant(2), [
        confidenceOf,
        assign(secondConfidence, get(confidences), get(entry), constant(4), mul, add, loadFloat(4)),
        assign(second, get(y), constant(this.bytes), add),
        this.dotPair(y, second, vector, dotA, dotB, v),
        this.axpyPair(
          scaleOf(confidence, get(dotA)),
          y,
          scaleOf(secondConfidence, get(dotB)),
          second,
          target,
          v,
        ),
        bump(y, constant(2 * this.bytes)),
      ]),
      // the odd entry left over, if any (entry is first when there were no pairs)
      ...block(
        [...get(entry), ...get(last), ...greaterEqual, ...breakIf(0)],
        confidenceOf,
        this.axpy(scaleOf(confidence, this.dot(y, vector, v)), y, target, v),
      ),
    ];
    const residualWeight = (c: number, d: Code): Code => [
      ...get(c),
      ...get(c),
      ...float(1),
      ...floatSub,
      ...d,
      ...floatMul,
      ...floatSub,
    ];
    const productWeight = (c: number, d: Code): Code => [
      ...get(c),
      ...float(1),
      ...floatSub,
      ...d,
      ...floatMul,
    ];
    return f.encode([
      assign(residual, get(scratch)),
      assign(direction, get(scratch), constant(this.bytes), add),
      assign(product, get(scratch), constant(2 * this.bytes), add),
      range(user, get(start), get(finish), constant(1), [
        assign(x, get(factors), get(user), constant(this.bytes), mul, add),
        assign(first, get(indptr), get(user), constant(4), mul, add, loadInt()),
        assign(last, get(indptr), get(user), constant(4), mul, add, loadInt(4)),
        // r = Σ_i (c − (c − 1)·yᵢ·x) yᵢ − G x
        this.gemv(gram, x, product, row, element, v),
        this.clear(residual),
        this.axpy(float(-1), product, residual, v),
        collect,
        gathered(x, residual, residualWeight),
        this.copy(residual, direction),
        assign(old, this.dot(residual, residual, v)),
        block(
          [...get(old), ...tolerance, ...floatLess, ...breakIf(0)],
          // inside the steps' body, depth 1 leaves the steps
          range(step, constant(0), get(steps), constant(1), [
            // Ap = G p + Σ_i (c − 1)(yᵢ·p) yᵢ
            this.gemv(gram, direction, product, row, element, v),
            gathered(direction, product, productWeight),
            assign(size, this.dot(direction, product, v)),
            // a singular system (λ = 0 and no entries) stops rather than divide by zero
            [...get(size), ...float(0), ...floatLessEqual, ...breakIf(1)],
            assign(size, get(old), get(size), floatDiv),
            this.axpy(get(size), direction, x, v),
            this.axpy([...float(0), ...get(size), ...floatSub], product, residual, v),
            assign(fresh, this.dot(residual, residual, v)),
            [...get(fresh), ...tolerance, ...floatLess, ...breakIf(1)],
            // p = r + (rs_new / rs_old)·p
            assign(v.scale, get(fresh), get(old), floatDiv, splat),
            this.chunks.flatMap((offset) => [
              ...get(direction),
              ...get(residual),
              ...loadVector(offset),
              ...get(v.scale),
              ...get(direction),
              ...loadVector(offset),
              ...vectorMul,
              ...vectorAdd,
              ...storeVector(offset),
            ]),
            assign(old, get(fresh)),
          ]),
        ),
      ]),
    ]);
  }

  /**
   * score(x, splats, items, blocks, out, outBytes): scores of four user rows (at x, consecutive) against
   * `blocks` blocks of four items, to out + u·outBytes. Items are interleaved by factor within a block (block
   * b, factor f at items + (b·stride + f)·16), so each item load serves four users and each multiply four
   * items: a 4 × 4 register tile. `splats` (stride·64 bytes) receives each user factor in all four lanes.
   */
  score(): Code {
    const [x, splats, items, blocks, out, outBytes] = [0, 1, 2, 3, 4, 5];
    const f = new FunctionBuilder(6);
    const [index, item, target] = [f.local(I32), f.local(I32), f.local(I32)];
    const sums = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
    const value = f.local(V128);
    const users = [0, 1, 2, 3];
    const factors = Array.from({ length: this.stride }, (_, factor) => factor);
    return f.encode([
      users.flatMap((u) =>
        factors.flatMap((factor) => [
          ...get(splats),
          ...get(x),
          ...loadFloat(u * this.bytes + factor * 4),
          ...splat,
          ...storeVector((factor * 4 + u) * 16),
        ]),
      ),
      assign(item, get(items)),
      assign(target, get(out)),
      range(index, constant(0), get(blocks), constant(1), [
        factors.flatMap((factor) => [
          ...assign(value, get(item), loadVector(factor * 16)),
          ...users.flatMap((u) => {
            const sum = sums[u] as number;
            const product = [
              ...get(splats),
              ...loadVector((factor * 4 + u) * 16),
              ...get(value),
              ...vectorMul,
            ];
            return factor === 0 ? assign(sum, product) : assign(sum, get(sum), product, vectorAdd);
          }),
        ]),
        users.flatMap((u) => [
          ...get(target),
          ...get(outBytes),
          ...constant(u),
          ...mul,
          ...add,
          ...get(sums[u] as number),
          ...storeVector(),
        ]),
        bump(item, constant(this.bytes * 4)),
        bump(target, constant(16)),
      ]),
    ]);
  }
}

/** The module's bytes for vectors of `stride` floats; `shared` imports a shared memory (worker threads). */
export function kernelModuleBytes(stride: number, shared: boolean): Uint8Array {
  if (!(Number.isInteger(stride) && stride >= 8 && stride % 8 === 0))
    throw new RangeError(`ALS kernels: stride must be a positive multiple of 8, got ${stride}`);
  const kernels = new Kernels(stride);
  return assemble(
    [
      { name: 'gram', parameters: 4, code: kernels.gram() },
      { name: 'reduce', parameters: 4, code: kernels.reduce() },
      { name: 'solve', parameters: 11, code: kernels.solve() },
      { name: 'score', parameters: 6, code: kernels.score() },
    ],
    shared,
  );
}
