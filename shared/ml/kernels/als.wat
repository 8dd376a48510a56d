;; The ALS kernels of shared/ml/als-engine.ts but the solver (als-solve.wat): Gramian and scoring, in 128-bit
;; SIMD. Compiled by scripts/build-kernels.ts (wabt) into generated/als.ts, once as written (non-shared memory)
;; and once with the memory import made shared (worker threads, workers/ml/).
;;
;; Memory layout (every pointer is a byte offset into the imported memory, 16-byte aligned):
;; - a vector is `stride` f32 (the imported global, a multiple of 16: whole 64-byte groups of four v128),
;;   zero beyond the model's factors; a matrix is rows of vectors, back to back (shared/ml/als-layout.ts).
;;
;; Arithmetic is f32 without fused multiply-add, in one fixed order, so results are bit-identical on every
;; engine and in every thread. Vector loops walk 64 bytes at a time.
(module
  (import "env" "memory" (memory 1))
  ;; floats per vector (a multiple of 16)
  (global $stride (import "env" "stride") i32)

  ;; gram(rows, start, end, out): out = Σ_{r ∈ [start, end)} y_r y_rᵀ, y_r at rows + r·stride·4; out is
  ;; stride × stride.
  (func (export "gram") (param $rows i32) (param $start i32) (param $end i32) (param $out i32)
    (local $bytes i32) (local $index i32) (local $row i32) (local $target i32) (local $element i32)
    (local $at i32) (local $finish i32) (local $scale v128)
    (local.set $bytes (i32.shl (global.get $stride) (i32.const 2)))
    ;; out = 0
    (local.set $at (local.get $out))
    (local.set $finish (i32.add (local.get $out) (i32.mul (local.get $bytes) (global.get $stride))))
    (loop $clear
      (v128.store offset=0 (local.get $at) (v128.const i32x4 0 0 0 0))
      (v128.store offset=16 (local.get $at) (v128.const i32x4 0 0 0 0))
      (v128.store offset=32 (local.get $at) (v128.const i32x4 0 0 0 0))
      (v128.store offset=48 (local.get $at) (v128.const i32x4 0 0 0 0))
      (local.set $at (i32.add (local.get $at) (i32.const 64)))
      (br_if $clear (i32.lt_u (local.get $at) (local.get $finish))))
    (local.set $index (local.get $start))
    (block $done
      (br_if $done (i32.ge_s (local.get $index) (local.get $end)))
      (loop $rows
        (local.set $row (i32.add (local.get $rows) (i32.mul (local.get $index) (local.get $bytes))))
        ;; out[a, ·] += y[a] · y for each a
        (local.set $target (local.get $out))
        (local.set $element (local.get $row))
        (local.set $finish (i32.add (local.get $row) (local.get $bytes)))
        (loop $factors
          (local.set $scale (f32x4.splat (f32.load (local.get $element))))
          (local.set $at (i32.const 0))
          (loop $axpy
            (v128.store offset=0 (i32.add (local.get $target) (local.get $at))
              (f32x4.add (v128.load offset=0 (i32.add (local.get $target) (local.get $at)))
                (f32x4.mul (local.get $scale) (v128.load offset=0 (i32.add (local.get $row) (local.get $at))))))
            (v128.store offset=16 (i32.add (local.get $target) (local.get $at))
              (f32x4.add (v128.load offset=16 (i32.add (local.get $target) (local.get $at)))
                (f32x4.mul (local.get $scale) (v128.load offset=16 (i32.add (local.get $row) (local.get $at))))))
            (v128.store offset=32 (i32.add (local.get $target) (local.get $at))
              (f32x4.add (v128.load offset=32 (i32.add (local.get $target) (local.get $at)))
                (f32x4.mul (local.get $scale) (v128.load offset=32 (i32.add (local.get $row) (local.get $at))))))
            (v128.store offset=48 (i32.add (local.get $target) (local.get $at))
              (f32x4.add (v128.load offset=48 (i32.add (local.get $target) (local.get $at)))
                (f32x4.mul (local.get $scale) (v128.load offset=48 (i32.add (local.get $row) (local.get $at))))))
            (local.set $at (i32.add (local.get $at) (i32.const 64)))
            (br_if $axpy (i32.lt_u (local.get $at) (local.get $bytes))))
          (local.set $target (i32.add (local.get $target) (local.get $bytes)))
          (local.set $element (i32.add (local.get $element) (i32.const 4)))
          (br_if $factors (i32.lt_u (local.get $element) (local.get $finish))))
        (local.set $index (i32.add (local.get $index) (i32.const 1)))
        (br_if $rows (i32.lt_s (local.get $index) (local.get $end))))))

  ;; reduce(partials, count, regularization as f32 bits, out): out = Σ partials in order + λI, the partials
  ;; being `count` stride × stride matrices back to back. The fixed order keeps the Gramian identical however
  ;; many threads computed the partials.
  (func (export "reduce") (param $partials i32) (param $count i32) (param $regularization i32) (param $out i32)
    (local $square i32) (local $part i32) (local $source i32) (local $at i32) (local $diagonal f32)
    (local.set $square (i32.mul (i32.shl (global.get $stride) (i32.const 2)) (global.get $stride)))
    (local.set $at (i32.const 0))
    (loop $clear
      (v128.store offset=0 (i32.add (local.get $out) (local.get $at)) (v128.const i32x4 0 0 0 0))
      (v128.store offset=16 (i32.add (local.get $out) (local.get $at)) (v128.const i32x4 0 0 0 0))
      (v128.store offset=32 (i32.add (local.get $out) (local.get $at)) (v128.const i32x4 0 0 0 0))
      (v128.store offset=48 (i32.add (local.get $out) (local.get $at)) (v128.const i32x4 0 0 0 0))
      (local.set $at (i32.add (local.get $at) (i32.const 64)))
      (br_if $clear (i32.lt_u (local.get $at) (local.get $square))))
    (local.set $part (i32.const 0))
    (block $done
      (br_if $done (i32.ge_s (local.get $part) (local.get $count)))
      (loop $parts
        (local.set $source (i32.add (local.get $partials) (i32.mul (local.get $part) (local.get $square))))
        (local.set $at (i32.const 0))
        (loop $add
          (v128.store offset=0 (i32.add (local.get $out) (local.get $at))
            (f32x4.add (v128.load offset=0 (i32.add (local.get $out) (local.get $at)))
              (v128.load offset=0 (i32.add (local.get $source) (local.get $at)))))
          (v128.store offset=16 (i32.add (local.get $out) (local.get $at))
            (f32x4.add (v128.load offset=16 (i32.add (local.get $out) (local.get $at)))
              (v128.load offset=16 (i32.add (local.get $source) (local.get $at)))))
          (v128.store offset=32 (i32.add (local.get $out) (local.get $at))
            (f32x4.add (v128.load offset=32 (i32.add (local.get $out) (local.get $at)))
              (v128.load offset=32 (i32.add (local.get $source) (local.get $at)))))
          (v128.store offset=48 (i32.add (local.get $out) (local.get $at))
            (f32x4.add (v128.load offset=48 (i32.add (local.get $out) (local.get $at)))
              (v128.load offset=48 (i32.add (local.get $source) (local.get $at)))))
          (local.set $at (i32.add (local.get $at) (i32.const 64)))
          (br_if $add (i32.lt_u (local.get $at) (local.get $square))))
        (local.set $part (i32.add (local.get $part) (i32.const 1)))
        (br_if $parts (i32.lt_s (local.get $part) (local.get $count)))))
    ;; + λ on the diagonal: element (a, a) sits at a·(stride·4 + 4)
    (local.set $diagonal (f32.reinterpret_i32 (local.get $regularization)))
    (local.set $at (i32.const 0))
    (loop $diagonal
      (f32.store (i32.add (local.get $out) (local.get $at))
        (f32.add (f32.load (i32.add (local.get $out) (local.get $at))) (local.get $diagonal)))
      (local.set $at (i32.add (local.get $at) (i32.add (i32.shl (global.get $stride) (i32.const 2)) (i32.const 4))))
      (br_if $diagonal (i32.lt_u (local.get $at) (local.get $square)))))

  ;; score(x, splats, items, blocks, out, outBytes): scores of four user rows (at x, consecutive) against
  ;; `blocks` blocks of four items, to out + u·outBytes. Items are interleaved by factor within a block (block
  ;; b, factor f at items + (b·stride + f)·16), so each item load serves four users and each multiply four
  ;; items: a 4 × 4 register tile. `splats` (stride·64 bytes) receives each user factor in all four lanes:
  ;; factor f of user u at splats + (4f + u)·16.
  (func (export "score") (param $x i32) (param $splats i32) (param $items i32) (param $blocks i32) (param $out i32)
    (param $outBytes i32)
    (local $bytes i32) (local $index i32) (local $item i32) (local $target i32) (local $at i32) (local $splat i32)
    (local $finish i32)
    (local $sum0 v128) (local $sum1 v128) (local $sum2 v128) (local $sum3 v128) (local $value v128)
    (local.set $bytes (i32.shl (global.get $stride) (i32.const 2)))
    (local.set $at (i32.const 0))
    (local.set $splat (local.get $splats))
    (loop $spread
      (v128.store offset=0 (local.get $splat) (f32x4.splat (f32.load (i32.add (local.get $x) (local.get $at)))))
      (v128.store offset=16 (local.get $splat)
        (f32x4.splat (f32.load (i32.add (i32.add (local.get $x) (local.get $bytes)) (local.get $at)))))
      (v128.store offset=32 (local.get $splat)
        (f32x4.splat (f32.load (i32.add (i32.add (local.get $x) (i32.shl (local.get $bytes) (i32.const 1)))
          (local.get $at)))))
      (v128.store offset=48 (local.get $splat)
        (f32x4.splat (f32.load (i32.add (i32.add (local.get $x) (i32.mul (local.get $bytes) (i32.const 3)))
          (local.get $at)))))
      (local.set $splat (i32.add (local.get $splat) (i32.const 64)))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br_if $spread (i32.lt_u (local.get $at) (local.get $bytes))))
    (local.set $item (local.get $items))
    (local.set $target (local.get $out))
    ;; the end of the splats: a block of items is as long (stride · 16 bytes) as a quarter of it
    (local.set $finish (i32.add (local.get $splats) (i32.shl (local.get $bytes) (i32.const 4))))
    (local.set $index (i32.const 0))
    (block $done
      (br_if $done (i32.ge_s (local.get $index) (local.get $blocks)))
      (loop $blocks
        ;; factor 0 starts the sums, then factors 1, 2, 3, … add to them; a pass covers four factors
        (local.set $value (v128.load offset=0 (local.get $item)))
        (local.set $sum0 (f32x4.mul (v128.load offset=0 (local.get $splats)) (local.get $value)))
        (local.set $sum1 (f32x4.mul (v128.load offset=16 (local.get $splats)) (local.get $value)))
        (local.set $sum2 (f32x4.mul (v128.load offset=32 (local.get $splats)) (local.get $value)))
        (local.set $sum3 (f32x4.mul (v128.load offset=48 (local.get $splats)) (local.get $value)))
        (local.set $value (v128.load offset=16 (local.get $item)))
        (local.set $sum0 (f32x4.add (local.get $sum0) (f32x4.mul (v128.load offset=64 (local.get $splats)) (local.get $value))))
        (local.set $sum1 (f32x4.add (local.get $sum1) (f32x4.mul (v128.load offset=80 (local.get $splats)) (local.get $value))))
        (local.set $sum2 (f32x4.add (local.get $sum2) (f32x4.mul (v128.load offset=96 (local.get $splats)) (local.get $value))))
        (local.set $sum3 (f32x4.add (local.get $sum3) (f32x4.mul (v128.load offset=112 (local.get $splats)) (local.get $value))))
        (local.set $value (v128.load offset=32 (local.get $item)))
        (local.set $sum0 (f32x4.add (local.get $sum0) (f32x4.mul (v128.load offset=128 (local.get $splats)) (local.get $value))))
        (local.set $sum1 (f32x4.add (local.get $sum1) (f32x4.mul (v128.load offset=144 (local.get $splats)) (local.get $value))))
        (local.set $sum2 (f32x4.add (local.get $sum2) (f32x4.mul (v128.load offset=160 (local.get $splats)) (local.get $value))))
        (local.set $sum3 (f32x4.add (local.get $sum3) (f32x4.mul (v128.load offset=176 (local.get $splats)) (local.get $value))))
        (local.set $value (v128.load offset=48 (local.get $item)))
        (local.set $sum0 (f32x4.add (local.get $sum0) (f32x4.mul (v128.load offset=192 (local.get $splats)) (local.get $value))))
        (local.set $sum1 (f32x4.add (local.get $sum1) (f32x4.mul (v128.load offset=208 (local.get $splats)) (local.get $value))))
        (local.set $sum2 (f32x4.add (local.get $sum2) (f32x4.mul (v128.load offset=224 (local.get $splats)) (local.get $value))))
        (local.set $sum3 (f32x4.add (local.get $sum3) (f32x4.mul (v128.load offset=240 (local.get $splats)) (local.get $value))))
        (local.set $item (i32.add (local.get $item) (i32.const 64)))
        (local.set $splat (i32.add (local.get $splats) (i32.const 256)))
        (loop $factors
          (local.set $value (v128.load offset=0 (local.get $item)))
          (local.set $sum0 (f32x4.add (local.get $sum0) (f32x4.mul (v128.load offset=0 (local.get $splat)) (local.get $value))))
          (local.set $sum1 (f32x4.add (local.get $sum1) (f32x4.mul (v128.load offset=16 (local.get $splat)) (local.get $value))))
          (local.set $sum2 (f32x4.add (local.get $sum2) (f32x4.mul (v128.load offset=32 (local.get $splat)) (local.get $value))))
          (local.set $sum3 (f32x4.add (local.get $sum3) (f32x4.mul (v128.load offset=48 (local.get $splat)) (local.get $value))))
          (local.set $value (v128.load offset=16 (local.get $item)))
          (local.set $sum0 (f32x4.add (local.get $sum0) (f32x4.mul (v128.load offset=64 (local.get $splat)) (local.get $value))))
          (local.set $sum1 (f32x4.add (local.get $sum1) (f32x4.mul (v128.load offset=80 (local.get $splat)) (local.get $value))))
          (local.set $sum2 (f32x4.add (local.get $sum2) (f32x4.mul (v128.load offset=96 (local.get $splat)) (local.get $value))))
          (local.set $sum3 (f32x4.add (local.get $sum3) (f32x4.mul (v128.load offset=112 (local.get $splat)) (local.get $value))))
          (local.set $value (v128.load offset=32 (local.get $item)))
          (local.set $sum0 (f32x4.add (local.get $sum0) (f32x4.mul (v128.load offset=128 (local.get $splat)) (local.get $value))))
          (local.set $sum1 (f32x4.add (local.get $sum1) (f32x4.mul (v128.load offset=144 (local.get $splat)) (local.get $value))))
          (local.set $sum2 (f32x4.add (local.get $sum2) (f32x4.mul (v128.load offset=160 (local.get $splat)) (local.get $value))))
          (local.set $sum3 (f32x4.add (local.get $sum3) (f32x4.mul (v128.load offset=176 (local.get $splat)) (local.get $value))))
          (local.set $value (v128.load offset=48 (local.get $item)))
          (local.set $sum0 (f32x4.add (local.get $sum0) (f32x4.mul (v128.load offset=192 (local.get $splat)) (local.get $value))))
          (local.set $sum1 (f32x4.add (local.get $sum1) (f32x4.mul (v128.load offset=208 (local.get $splat)) (local.get $value))))
          (local.set $sum2 (f32x4.add (local.get $sum2) (f32x4.mul (v128.load offset=224 (local.get $splat)) (local.get $value))))
          (local.set $sum3 (f32x4.add (local.get $sum3) (f32x4.mul (v128.load offset=240 (local.get $splat)) (local.get $value))))
          (local.set $item (i32.add (local.get $item) (i32.const 64)))
          (local.set $splat (i32.add (local.get $splat) (i32.const 256)))
          (br_if $factors (i32.lt_u (local.get $splat) (local.get $finish))))
        (v128.store (local.get $target) (local.get $sum0))
        (v128.store (i32.add (local.get $target) (local.get $outBytes)) (local.get $sum1))
        (v128.store (i32.add (local.get $target) (i32.shl (local.get $outBytes) (i32.const 1))) (local.get $sum2))
        (v128.store (i32.add (local.get $target) (i32.mul (local.get $outBytes) (i32.const 3))) (local.get $sum3))
        (local.set $target (i32.add (local.get $target) (i32.const 16)))
        (local.set $index (i32.add (local.get $index) (i32.const 1)))
        (br_if $blocks (i32.lt_s (local.get $index) (local.get $blocks))))))
)
