;; The vector scan (shared/ml/vector-scan.ts): integer dot products of one int16 query with many int8 rows.
;; Compiled by scripts/build-kernels.ts (wabt) into generated/vector-scan.ts.
;;
;; Why integers: an int8 row is a quarter of the bytes of an f32 one, and a 100,000-row scan is bound by
;; memory traffic as much as by arithmetic. i32x4.dot_i16x8_s multiplies eight lanes and adds pairs in one
;; instruction (x86 pmaddwd), and integer sums are exact, so the JavaScript fallback reproduces the kernel's
;; scores bit for bit.
;;
;; Memory layout (byte offsets into the imported memory, each region 16-byte aligned):
;; - query: `padded` i16 (the imported global: the dimension rounded up to a multiple of 16, zero beyond it);
;; - rows: blocks of four rows interleaved by chunks of eight dimensions, [r0 d0–7, r1 d0–7, r2 d0–7,
;;   r3 d0–7, r0 d8–15, …] (vector-scan-wasm.ts, rowOffset), so the scan reads memory strictly sequentially:
;;   with four separate row streams the hardware prefetcher fell behind and a scan took twice as long;
;; - scales and out: one f32 per row.
(module
  (import "env" "memory" (memory 1))
  ;; int8 values per row (a multiple of 16)
  (global $padded (import "env" "padded") i32)

  ;; scan(query, scales, rows, blocks, out): for each of the `blocks` × 4 rows,
  ;; out[r] = f32(Σ row·query) · scales[r] in f32.
  (func (export "scan") (param $query i32) (param $scales i32) (param $rows i32) (param $blocks i32) (param $out i32)
    (local $index i32) (local $row i32) (local $scale i32) (local $target i32) (local $queryAt i32)
    (local $whole i32) (local $finish i32)
    (local $chunk v128) (local $sum0 v128) (local $sum1 v128) (local $sum2 v128) (local $sum3 v128)
    (local $pairs01 v128) (local $pairs23 v128)
    (local.set $row (local.get $rows))
    (local.set $scale (local.get $scales))
    (local.set $target (local.get $out))
    ;; bytes of a block in whole passes of four chunks (a dimension rounded down to 32, times four rows)
    (local.set $whole (i32.shl (i32.and (global.get $padded) (i32.const -32)) (i32.const 2)))
    (local.set $index (i32.const 0))
    (block $blocks.done
      (br_if $blocks.done (i32.ge_s (local.get $index) (local.get $blocks)))
      (loop $blocks
        (local.set $sum0 (v128.const i32x4 0 0 0 0))
        (local.set $sum1 (v128.const i32x4 0 0 0 0))
        (local.set $sum2 (v128.const i32x4 0 0 0 0))
        (local.set $sum3 (v128.const i32x4 0 0 0 0))
        (local.set $queryAt (local.get $query))
        (local.set $finish (i32.add (local.get $row) (local.get $whole)))
        ;; Passes of four chunks (128 bytes: two cache lines of the block). Fully unrolling all 48 chunks of a
        ;; 384-d row ran a third slower under TurboFan than this short loop (its scheduler spreads the huge
        ;; block's loads and spills). Each query chunk (8 × i16) is loaded once and multiplied with the same
        ;; eight dimensions of four rows, each row into its own i32x4 accumulator.
        (block $passes.done
          (br_if $passes.done (i32.ge_u (local.get $row) (local.get $finish)))
          (loop $passes
            (local.set $chunk (v128.load offset=0 (local.get $queryAt)))
            (local.set $sum0 (i32x4.add (local.get $sum0)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=0 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum1 (i32x4.add (local.get $sum1)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=8 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum2 (i32x4.add (local.get $sum2)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=16 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum3 (i32x4.add (local.get $sum3)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=24 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $chunk (v128.load offset=16 (local.get $queryAt)))
            (local.set $sum0 (i32x4.add (local.get $sum0)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=32 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum1 (i32x4.add (local.get $sum1)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=40 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum2 (i32x4.add (local.get $sum2)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=48 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum3 (i32x4.add (local.get $sum3)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=56 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $chunk (v128.load offset=32 (local.get $queryAt)))
            (local.set $sum0 (i32x4.add (local.get $sum0)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=64 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum1 (i32x4.add (local.get $sum1)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=72 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum2 (i32x4.add (local.get $sum2)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=80 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum3 (i32x4.add (local.get $sum3)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=88 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $chunk (v128.load offset=48 (local.get $queryAt)))
            (local.set $sum0 (i32x4.add (local.get $sum0)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=96 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum1 (i32x4.add (local.get $sum1)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=104 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum2 (i32x4.add (local.get $sum2)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=112 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum3 (i32x4.add (local.get $sum3)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=120 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $row (i32.add (local.get $row) (i32.const 128)))
            (local.set $queryAt (i32.add (local.get $queryAt) (i32.const 64)))
            (br_if $passes (i32.lt_u (local.get $row) (local.get $finish)))))
        ;; the two chunks left when the dimension is an odd multiple of 16
        (if (i32.and (global.get $padded) (i32.const 16))
          (then
            (local.set $chunk (v128.load offset=0 (local.get $queryAt)))
            (local.set $sum0 (i32x4.add (local.get $sum0)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=0 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum1 (i32x4.add (local.get $sum1)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=8 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum2 (i32x4.add (local.get $sum2)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=16 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum3 (i32x4.add (local.get $sum3)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=24 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $chunk (v128.load offset=16 (local.get $queryAt)))
            (local.set $sum0 (i32x4.add (local.get $sum0)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=32 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum1 (i32x4.add (local.get $sum1)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=40 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum2 (i32x4.add (local.get $sum2)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=48 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $sum3 (i32x4.add (local.get $sum3)
              (i32x4.dot_i16x8_s (v128.load8x8_s offset=56 align=8 (local.get $row)) (local.get $chunk))))
            (local.set $row (i32.add (local.get $row) (i32.const 64)))))
        ;; Transposed horizontal sums: [a0+a1, a2+a3, b0+b1, b2+b3] for rows a, b, then the same pattern again
        ;; gives [Σa, Σb, Σc, Σd], so one store writes four scores.
        (local.set $pairs01 (i32x4.add
          (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sum0) (local.get $sum1))
          (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sum0) (local.get $sum1))))
        (local.set $pairs23 (i32x4.add
          (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sum2) (local.get $sum3))
          (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sum2) (local.get $sum3))))
        (v128.store (local.get $target)
          (f32x4.mul
            (f32x4.convert_i32x4_s (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $pairs01) (local.get $pairs23))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $pairs01) (local.get $pairs23))))
            (v128.load (local.get $scale))))
        (local.set $scale (i32.add (local.get $scale) (i32.const 16)))
        (local.set $target (i32.add (local.get $target) (i32.const 16)))
        (local.set $index (i32.add (local.get $index) (i32.const 1)))
        (br_if $blocks (i32.lt_s (local.get $index) (local.get $blocks)))))))
