;; The one kernel of EASE's blocked inverse (shared/ml/ease-sweep.ts): a rank-b update of a symmetric matrix
;; held as row pointers,
;;
;;   C[i][j] −= dot(a_i, b_j)   for i in [rowFrom, rowTo), j in [columnFrom, columnTo),
;;
;; Compiled by scripts/build-kernels.ts (wabt) into generated/ease.ts.
;;
;; Memory layout (byte offsets into the imported memory): a_i and b_j are rows of two contiguous panels of
;; `chunks`·4 f32 each (row i of the a panel at a + i·chunks·16, 16-byte aligned); row i of C is f32 and
;; starts at the byte offset stored as an i32 at table + 4i, so C[i][j] is at that offset + 4j. Row and
;; column counts are multiples of 4.
;;
;; Tiles of two rows by four columns keep eight accumulators, the four b rows and one a row in registers
;; (thirteen of x64's sixteen vector registers), so each chunk costs six loads for eight four-lane
;; multiply-adds. f32 without fused multiply-add, in a fixed order: each accumulator sums its chunks in
;; order from zero, then its lanes as (l0 + l1) + (l2 + l3).
(module
  (import "env" "memory" (memory 1))

  ;; update(a, b, chunks, table, rowFrom, rowTo, columnFrom, columnTo)
  (func (export "update") (param $a i32) (param $b i32) (param $chunks i32) (param $table i32)
    (param $rowFrom i32) (param $rowTo i32) (param $columnFrom i32) (param $columnTo i32)
    (local $row i32) (local $column i32) (local $offset i32) (local $rowBytes i32)
    (local $row0 i32) (local $row1 i32) (local $target0 i32) (local $target1 i32)
    (local $column0 i32) (local $column1 i32) (local $column2 i32) (local $column3 i32)
    (local $address i32)
    ;; sum<r><s>: row r of the tile against column s
    (local $sum00 v128) (local $sum01 v128) (local $sum02 v128) (local $sum03 v128)
    (local $sum10 v128) (local $sum11 v128) (local $sum12 v128) (local $sum13 v128)
    (local $value0 v128) (local $value1 v128) (local $value2 v128) (local $value3 v128) (local $value v128)
    (local.set $rowBytes (i32.shl (local.get $chunks) (i32.const 4)))
    (local.set $row (local.get $rowFrom))
    (block $rows.done
      (br_if $rows.done (i32.ge_s (local.get $row) (local.get $rowTo)))
      (loop $rows
        (local.set $row0 (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $rowBytes))))
        (local.set $row1 (i32.add (local.get $a) (i32.mul (i32.add (local.get $row) (i32.const 1)) (local.get $rowBytes))))
        (local.set $target0 (i32.load (i32.add (local.get $table) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $target1 (i32.load offset=4 (i32.add (local.get $table) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $column (local.get $columnFrom))
        (block $columns.done
          (br_if $columns.done (i32.ge_s (local.get $column) (local.get $columnTo)))
          (loop $columns
            (local.set $column0 (i32.add (local.get $b) (i32.mul (local.get $column) (local.get $rowBytes))))
            (local.set $column1 (i32.add (local.get $column0) (local.get $rowBytes)))
            (local.set $column2 (i32.add (local.get $column1) (local.get $rowBytes)))
            (local.set $column3 (i32.add (local.get $column2) (local.get $rowBytes)))
            (local.set $sum00 (v128.const i32x4 0 0 0 0))
            (local.set $sum01 (v128.const i32x4 0 0 0 0))
            (local.set $sum02 (v128.const i32x4 0 0 0 0))
            (local.set $sum03 (v128.const i32x4 0 0 0 0))
            (local.set $sum10 (v128.const i32x4 0 0 0 0))
            (local.set $sum11 (v128.const i32x4 0 0 0 0))
            (local.set $sum12 (v128.const i32x4 0 0 0 0))
            (local.set $sum13 (v128.const i32x4 0 0 0 0))
            (local.set $offset (i32.const 0))
            (block $chunks.done
              (br_if $chunks.done (i32.ge_s (local.get $offset) (local.get $rowBytes)))
              (loop $chunks
                (local.set $value0 (v128.load (i32.add (local.get $column0) (local.get $offset))))
                (local.set $value1 (v128.load (i32.add (local.get $column1) (local.get $offset))))
                (local.set $value2 (v128.load (i32.add (local.get $column2) (local.get $offset))))
                (local.set $value3 (v128.load (i32.add (local.get $column3) (local.get $offset))))
                (local.set $value (v128.load (i32.add (local.get $row0) (local.get $offset))))
                (local.set $sum00 (f32x4.add (local.get $sum00) (f32x4.mul (local.get $value) (local.get $value0))))
                (local.set $sum01 (f32x4.add (local.get $sum01) (f32x4.mul (local.get $value) (local.get $value1))))
                (local.set $sum02 (f32x4.add (local.get $sum02) (f32x4.mul (local.get $value) (local.get $value2))))
                (local.set $sum03 (f32x4.add (local.get $sum03) (f32x4.mul (local.get $value) (local.get $value3))))
                (local.set $value (v128.load (i32.add (local.get $row1) (local.get $offset))))
                (local.set $sum10 (f32x4.add (local.get $sum10) (f32x4.mul (local.get $value) (local.get $value0))))
                (local.set $sum11 (f32x4.add (local.get $sum11) (f32x4.mul (local.get $value) (local.get $value1))))
                (local.set $sum12 (f32x4.add (local.get $sum12) (f32x4.mul (local.get $value) (local.get $value2))))
                (local.set $sum13 (f32x4.add (local.get $sum13) (f32x4.mul (local.get $value) (local.get $value3))))
                (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
                (br_if $chunks (i32.lt_s (local.get $offset) (local.get $rowBytes)))))
            ;; C[row + r][column + s] −= Σ lanes of sum<r><s>
            (local.set $address (i32.add (local.get $target0) (i32.shl (local.get $column) (i32.const 2))))
            (f32.store offset=0 (local.get $address) (f32.sub (f32.load offset=0 (local.get $address))
              (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum00)) (f32x4.extract_lane 1 (local.get $sum00)))
                (f32.add (f32x4.extract_lane 2 (local.get $sum00)) (f32x4.extract_lane 3 (local.get $sum00))))))
            (f32.store offset=4 (local.get $address) (f32.sub (f32.load offset=4 (local.get $address))
              (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum01)) (f32x4.extract_lane 1 (local.get $sum01)))
                (f32.add (f32x4.extract_lane 2 (local.get $sum01)) (f32x4.extract_lane 3 (local.get $sum01))))))
            (f32.store offset=8 (local.get $address) (f32.sub (f32.load offset=8 (local.get $address))
              (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum02)) (f32x4.extract_lane 1 (local.get $sum02)))
                (f32.add (f32x4.extract_lane 2 (local.get $sum02)) (f32x4.extract_lane 3 (local.get $sum02))))))
            (f32.store offset=12 (local.get $address) (f32.sub (f32.load offset=12 (local.get $address))
              (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum03)) (f32x4.extract_lane 1 (local.get $sum03)))
                (f32.add (f32x4.extract_lane 2 (local.get $sum03)) (f32x4.extract_lane 3 (local.get $sum03))))))
            (local.set $address (i32.add (local.get $target1) (i32.shl (local.get $column) (i32.const 2))))
            (f32.store offset=0 (local.get $address) (f32.sub (f32.load offset=0 (local.get $address))
              (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum10)) (f32x4.extract_lane 1 (local.get $sum10)))
                (f32.add (f32x4.extract_lane 2 (local.get $sum10)) (f32x4.extract_lane 3 (local.get $sum10))))))
            (f32.store offset=4 (local.get $address) (f32.sub (f32.load offset=4 (local.get $address))
              (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum11)) (f32x4.extract_lane 1 (local.get $sum11)))
                (f32.add (f32x4.extract_lane 2 (local.get $sum11)) (f32x4.extract_lane 3 (local.get $sum11))))))
            (f32.store offset=8 (local.get $address) (f32.sub (f32.load offset=8 (local.get $address))
              (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum12)) (f32x4.extract_lane 1 (local.get $sum12)))
                (f32.add (f32x4.extract_lane 2 (local.get $sum12)) (f32x4.extract_lane 3 (local.get $sum12))))))
            (f32.store offset=12 (local.get $address) (f32.sub (f32.load offset=12 (local.get $address))
              (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sum13)) (f32x4.extract_lane 1 (local.get $sum13)))
                (f32.add (f32x4.extract_lane 2 (local.get $sum13)) (f32x4.extract_lane 3 (local.get $sum13))))))
            (local.set $column (i32.add (local.get $column) (i32.const 4)))
            (br_if $columns (i32.lt_s (local.get $column) (local.get $columnTo)))))
        (local.set $row (i32.add (local.get $row) (i32.const 2)))
        (br_if $rows (i32.lt_s (local.get $row) (local.get $rowTo)))))))
