;; The fused engine's numeric kernels in WebAssembly SIMD (f32x4), over the
;; fused layout of kind.ts: activations [n, C] (C = R·B columns, column
;; c = r·B + b), parameters [P, R] (parameter k of run r at k·R + r).
;; Every float32 operation is the one scalar.ts makes, in the same order, so
;; that both give the same bits. Pointers are byte addresses in the memory;
;; w and b name parameter indices relative to the parameter array at p.
(module
  (import "env" "memory" (memory 1 16384 shared))

  ;; The byte address of parameter k of run r: p + (k·R + r)·4.
  (func $param (param $p i32) (param $k i32) (param $R i32) (param $r i32) (result i32)
    (i32.add (local.get $p)
      (i32.shl (i32.add (i32.mul (local.get $k) (local.get $R)) (local.get $r)) (i32.const 2))))

  ;; Lane 0 of v as (l₀ + l₁) + (l₂ + l₃).
  (func $hsum (param $v v128) (result f32)
    (local $t v128)
    (local.set $t (f32x4.add (local.get $v)
      (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $v) (local.get $v))))
    (f32x4.extract_lane 0 (f32x4.add (local.get $t)
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $t) (local.get $t)))))

  ;; ---------------------------------------------------------------- dense
  ;; y[o, c] = (b[o] +) Σ_i W[i, o] x[i, c] for columns [c0, c1), one at a time
  ;; (the tails of the blocks below); W[i, o] is parameter w + i·sIn + o·sOut.
  (func $dense_columns
    (param $x i32) (param $y i32) (param $p i32) (param $w i32) (param $b i32)
    (param $nIn i32) (param $sIn i32) (param $sOut i32) (param $R i32) (param $B i32)
    (param $hasBias i32) (param $o i32) (param $c0 i32) (param $c1 i32)
    (local $C i32) (local $c i32) (local $i i32) (local $r i32) (local $sum f32)
    (local.set $C (i32.mul (local.get $R) (local.get $B)))
    (local.set $c (local.get $c0))
    (block $done (loop $columns
      (br_if $done (i32.ge_u (local.get $c) (local.get $c1)))
      (local.set $r (i32.div_u (local.get $c) (local.get $B)))
      (local.set $sum (f32.const 0))
      (local.set $i (i32.const 0))
      (block $inputsDone (loop $inputs
        (br_if $inputsDone (i32.ge_u (local.get $i) (local.get $nIn)))
        (local.set $sum (f32.add (local.get $sum) (f32.mul
          (f32.load (call $param (local.get $p)
            (i32.add (local.get $w) (i32.add (i32.mul (local.get $i) (local.get $sIn))
              (i32.mul (local.get $o) (local.get $sOut))))
            (local.get $R) (local.get $r)))
          (f32.load (i32.add (local.get $x)
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $C)) (local.get $c)) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $inputs)))
      (if (local.get $hasBias) (then
        (local.set $sum (f32.add (local.get $sum)
          (f32.load (call $param (local.get $p) (i32.add (local.get $b) (local.get $o))
            (local.get $R) (local.get $r)))))))
      (f32.store (i32.add (local.get $y)
        (i32.shl (i32.add (i32.mul (local.get $o) (local.get $C)) (local.get $c)) (i32.const 2)))
        (local.get $sum))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $columns))))

  ;; The batch form (B ≥ 4): each run's columns in blocks of 4 outputs × 8 columns,
  ;; W[i, o] of the run splat across the lanes.
  (func (export "dense_batch")
    (param $x i32) (param $y i32) (param $p i32) (param $w i32) (param $b i32)
    (param $nIn i32) (param $nOut i32) (param $sIn i32) (param $sOut i32)
    (param $R i32) (param $B i32) (param $hasBias i32)
    (local $C i32) (local $row i32) (local $r i32) (local $o i32) (local $c i32) (local $c1 i32)
    (local $i i32) (local $xp i32) (local $wp i32) (local $yp i32) (local $bp i32)
    (local $stepIn i32) (local $stepOut i32) (local $k i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $x0 v128) (local $x1 v128) (local $wv v128)
    (local.set $C (i32.mul (local.get $R) (local.get $B)))
    (local.set $row (i32.shl (local.get $C) (i32.const 2)))
    (local.set $stepIn (i32.shl (i32.mul (local.get $sIn) (local.get $R)) (i32.const 2)))
    (local.set $stepOut (i32.shl (i32.mul (local.get $sOut) (local.get $R)) (i32.const 2)))
    (block $runsDone (loop $runs
      (br_if $runsDone (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $c1 (i32.mul (i32.add (local.get $r) (i32.const 1)) (local.get $B)))
      (local.set $o (i32.const 0))
      ;; Four outputs at a time.
      (block $quadsDone (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $o) (i32.const 4)) (local.get $nOut)))
        (local.set $c (i32.mul (local.get $r) (local.get $B)))
        (block $eightsDone (loop $eights
          (br_if $eightsDone (i32.gt_u (i32.add (local.get $c) (i32.const 8)) (local.get $c1)))
          (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
          (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
          (local.set $a4 (v128.const i32x4 0 0 0 0)) (local.set $a5 (v128.const i32x4 0 0 0 0))
          (local.set $a6 (v128.const i32x4 0 0 0 0)) (local.set $a7 (v128.const i32x4 0 0 0 0))
          (local.set $xp (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2))))
          (local.set $wp (call $param (local.get $p)
            (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $sOut))) (local.get $R) (local.get $r)))
          (local.set $i (i32.const 0))
          (block $inputsDone (loop $inputs
            (br_if $inputsDone (i32.ge_u (local.get $i) (local.get $nIn)))
            (local.set $x0 (v128.load (local.get $xp)))
            (local.set $x1 (v128.load offset=16 (local.get $xp)))
            (local.set $wv (v128.load32_splat (local.get $wp)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $wv) (local.get $x0))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $wv) (local.get $x1))))
            (local.set $wv (v128.load32_splat (i32.add (local.get $wp) (local.get $stepOut))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $wv) (local.get $x0))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $wv) (local.get $x1))))
            (local.set $wv (v128.load32_splat
              (i32.add (local.get $wp) (i32.shl (local.get $stepOut) (i32.const 1)))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $wv) (local.get $x0))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $wv) (local.get $x1))))
            (local.set $wv (v128.load32_splat
              (i32.add (local.get $wp) (i32.mul (local.get $stepOut) (i32.const 3)))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $wv) (local.get $x0))))
            (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $wv) (local.get $x1))))
            (local.set $xp (i32.add (local.get $xp) (local.get $row)))
            (local.set $wp (i32.add (local.get $wp) (local.get $stepIn)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $inputs)))
          (if (local.get $hasBias) (then
            (local.set $bp (call $param (local.get $p) (i32.add (local.get $b) (local.get $o))
              (local.get $R) (local.get $r)))
            (local.set $wv (v128.load32_splat (local.get $bp)))
            (local.set $a0 (f32x4.add (local.get $a0) (local.get $wv)))
            (local.set $a1 (f32x4.add (local.get $a1) (local.get $wv)))
            (local.set $wv (v128.load32_splat
              (i32.add (local.get $bp) (i32.shl (local.get $R) (i32.const 2)))))
            (local.set $a2 (f32x4.add (local.get $a2) (local.get $wv)))
            (local.set $a3 (f32x4.add (local.get $a3) (local.get $wv)))
            (local.set $wv (v128.load32_splat
              (i32.add (local.get $bp) (i32.shl (local.get $R) (i32.const 3)))))
            (local.set $a4 (f32x4.add (local.get $a4) (local.get $wv)))
            (local.set $a5 (f32x4.add (local.get $a5) (local.get $wv)))
            (local.set $wv (v128.load32_splat
              (i32.add (local.get $bp) (i32.mul (local.get $R) (i32.const 12)))))
            (local.set $a6 (f32x4.add (local.get $a6) (local.get $wv)))
            (local.set $a7 (f32x4.add (local.get $a7) (local.get $wv)))))
          (local.set $yp (i32.add (local.get $y)
            (i32.shl (i32.add (i32.mul (local.get $o) (local.get $C)) (local.get $c)) (i32.const 2))))
          (v128.store (local.get $yp) (local.get $a0))
          (v128.store offset=16 (local.get $yp) (local.get $a1))
          (local.set $yp (i32.add (local.get $yp) (local.get $row)))
          (v128.store (local.get $yp) (local.get $a2))
          (v128.store offset=16 (local.get $yp) (local.get $a3))
          (local.set $yp (i32.add (local.get $yp) (local.get $row)))
          (v128.store (local.get $yp) (local.get $a4))
          (v128.store offset=16 (local.get $yp) (local.get $a5))
          (local.set $yp (i32.add (local.get $yp) (local.get $row)))
          (v128.store (local.get $yp) (local.get $a6))
          (v128.store offset=16 (local.get $yp) (local.get $a7))
          (local.set $c (i32.add (local.get $c) (i32.const 8)))
          (br $eights)))
        ;; The run's last columns, fewer than eight: one output at a time.
        (local.set $k (i32.const 0))
        (block $restDone (loop $rest
          (br_if $restDone (i32.ge_u (local.get $k) (i32.const 4)))
          (call $dense_four_columns (local.get $x) (local.get $y) (local.get $p) (local.get $w)
            (local.get $b) (local.get $nIn) (local.get $sIn) (local.get $sOut) (local.get $R)
            (local.get $B) (local.get $hasBias) (i32.add (local.get $o) (local.get $k))
            (local.get $r) (local.get $c) (local.get $c1))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $rest)))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $quads)))
      ;; The last outputs, fewer than four.
      (block $singlesDone (loop $singles
        (br_if $singlesDone (i32.ge_u (local.get $o) (local.get $nOut)))
        (call $dense_four_columns (local.get $x) (local.get $y) (local.get $p) (local.get $w)
          (local.get $b) (local.get $nIn) (local.get $sIn) (local.get $sOut) (local.get $R)
          (local.get $B) (local.get $hasBias) (local.get $o) (local.get $r)
          (i32.mul (local.get $r) (local.get $B)) (local.get $c1))
        (local.set $o (i32.add (local.get $o) (i32.const 1)))
        (br $singles)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $runs))))

  ;; One output o of run r over columns [c0, c1): four columns at a time, then one at a time.
  (func $dense_four_columns
    (param $x i32) (param $y i32) (param $p i32) (param $w i32) (param $b i32)
    (param $nIn i32) (param $sIn i32) (param $sOut i32) (param $R i32) (param $B i32)
    (param $hasBias i32) (param $o i32) (param $r i32) (param $c0 i32) (param $c1 i32)
    (local $C i32) (local $row i32) (local $stepIn i32) (local $c i32) (local $i i32)
    (local $xp i32) (local $wp i32) (local $acc v128)
    (local.set $C (i32.mul (local.get $R) (local.get $B)))
    (local.set $row (i32.shl (local.get $C) (i32.const 2)))
    (local.set $stepIn (i32.shl (i32.mul (local.get $sIn) (local.get $R)) (i32.const 2)))
    (local.set $c (local.get $c0))
    (block $foursDone (loop $fours
      (br_if $foursDone (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $c1)))
      (local.set $acc (v128.const i32x4 0 0 0 0))
      (local.set $xp (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $wp (call $param (local.get $p)
        (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $sOut))) (local.get $R) (local.get $r)))
      (local.set $i (i32.const 0))
      (block $inputsDone (loop $inputs
        (br_if $inputsDone (i32.ge_u (local.get $i) (local.get $nIn)))
        (local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul (v128.load32_splat (local.get $wp)) (v128.load (local.get $xp)))))
        (local.set $xp (i32.add (local.get $xp) (local.get $row)))
        (local.set $wp (i32.add (local.get $wp) (local.get $stepIn)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $inputs)))
      (if (local.get $hasBias) (then
        (local.set $acc (f32x4.add (local.get $acc) (v128.load32_splat
          (call $param (local.get $p) (i32.add (local.get $b) (local.get $o)) (local.get $R) (local.get $r)))))))
      (v128.store (i32.add (local.get $y)
        (i32.shl (i32.add (i32.mul (local.get $o) (local.get $C)) (local.get $c)) (i32.const 2)))
        (local.get $acc))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $fours)))
    (call $dense_columns (local.get $x) (local.get $y) (local.get $p) (local.get $w) (local.get $b)
      (local.get $nIn) (local.get $sIn) (local.get $sOut) (local.get $R) (local.get $B)
      (local.get $hasBias) (local.get $o) (local.get $c) (local.get $c1)))

  ;; The lanes form (B = 1): the columns are the runs, four runs per vector, W[i, o]
  ;; of four neighbouring runs loaded as one vector; four outputs at a time.
  (func (export "dense_lanes")
    (param $x i32) (param $y i32) (param $p i32) (param $w i32) (param $b i32)
    (param $nIn i32) (param $nOut i32) (param $sIn i32) (param $sOut i32)
    (param $R i32) (param $hasBias i32)
    (local $row i32) (local $o i32) (local $r i32) (local $i i32) (local $n i32)
    (local $xp i32) (local $wp i32) (local $yp i32) (local $bp i32) (local $stepIn i32) (local $stepOut i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $xv v128)
    (local.set $row (i32.shl (local.get $R) (i32.const 2)))
    (local.set $stepIn (i32.shl (i32.mul (local.get $sIn) (local.get $R)) (i32.const 2)))
    (local.set $stepOut (i32.shl (i32.mul (local.get $sOut) (local.get $R)) (i32.const 2)))
    (block $quadsDone (loop $quads
      (br_if $quadsDone (i32.gt_u (i32.add (local.get $o) (i32.const 4)) (local.get $nOut)))
      (local.set $r (i32.const 0))
      (block $runsDone (loop $runs
        (br_if $runsDone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $R)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $xp (i32.add (local.get $x) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $wp (call $param (local.get $p)
          (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $sOut))) (local.get $R) (local.get $r)))
        (local.set $i (i32.const 0))
        (block $inputsDone (loop $inputs
          (br_if $inputsDone (i32.ge_u (local.get $i) (local.get $nIn)))
          (local.set $xv (v128.load (local.get $xp)))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $wp)) (local.get $xv))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul
            (v128.load (i32.add (local.get $wp) (local.get $stepOut))) (local.get $xv))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul
            (v128.load (i32.add (local.get $wp) (i32.shl (local.get $stepOut) (i32.const 1)))) (local.get $xv))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul
            (v128.load (i32.add (local.get $wp) (i32.mul (local.get $stepOut) (i32.const 3)))) (local.get $xv))))
          (local.set $xp (i32.add (local.get $xp) (local.get $row)))
          (local.set $wp (i32.add (local.get $wp) (local.get $stepIn)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $inputs)))
        (if (local.get $hasBias) (then
          (local.set $bp (call $param (local.get $p) (i32.add (local.get $b) (local.get $o))
            (local.get $R) (local.get $r)))
          (local.set $a0 (f32x4.add (local.get $a0) (v128.load (local.get $bp))))
          (local.set $a1 (f32x4.add (local.get $a1) (v128.load (i32.add (local.get $bp) (local.get $row)))))
          (local.set $a2 (f32x4.add (local.get $a2)
            (v128.load (i32.add (local.get $bp) (i32.shl (local.get $row) (i32.const 1))))))
          (local.set $a3 (f32x4.add (local.get $a3)
            (v128.load (i32.add (local.get $bp) (i32.mul (local.get $row) (i32.const 3))))))))
        (local.set $yp (i32.add (local.get $y)
          (i32.shl (i32.add (i32.mul (local.get $o) (local.get $R)) (local.get $r)) (i32.const 2))))
        (v128.store (local.get $yp) (local.get $a0))
        (v128.store (i32.add (local.get $yp) (local.get $row)) (local.get $a1))
        (v128.store (i32.add (local.get $yp) (i32.shl (local.get $row) (i32.const 1))) (local.get $a2))
        (v128.store (i32.add (local.get $yp) (i32.mul (local.get $row) (i32.const 3))) (local.get $a3))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $runs)))
      ;; The last runs, fewer than four, one at a time.
      (local.set $n (i32.const 0))
      (block $restDone (loop $rest
        (br_if $restDone (i32.ge_u (local.get $n) (i32.const 4)))
        (call $dense_columns (local.get $x) (local.get $y) (local.get $p) (local.get $w) (local.get $b)
          (local.get $nIn) (local.get $sIn) (local.get $sOut) (local.get $R) (i32.const 1)
          (local.get $hasBias) (i32.add (local.get $o) (local.get $n)) (local.get $r) (local.get $R))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $rest)))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $quads)))
    ;; The last outputs, fewer than four: one at a time, four runs per vector.
    (block $singlesDone (loop $singles
      (br_if $singlesDone (i32.ge_u (local.get $o) (local.get $nOut)))
      (local.set $r (i32.const 0))
      (block $runsDone (loop $runs
        (br_if $runsDone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $R)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $xp (i32.add (local.get $x) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $wp (call $param (local.get $p)
          (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $sOut))) (local.get $R) (local.get $r)))
        (local.set $i (i32.const 0))
        (block $inputsDone (loop $inputs
          (br_if $inputsDone (i32.ge_u (local.get $i) (local.get $nIn)))
          (local.set $a0 (f32x4.add (local.get $a0)
            (f32x4.mul (v128.load (local.get $wp)) (v128.load (local.get $xp)))))
          (local.set $xp (i32.add (local.get $xp) (local.get $row)))
          (local.set $wp (i32.add (local.get $wp) (local.get $stepIn)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $inputs)))
        (if (local.get $hasBias) (then
          (local.set $a0 (f32x4.add (local.get $a0) (v128.load
            (call $param (local.get $p) (i32.add (local.get $b) (local.get $o)) (local.get $R) (local.get $r)))))))
        (v128.store (i32.add (local.get $y)
          (i32.shl (i32.add (i32.mul (local.get $o) (local.get $R)) (local.get $r)) (i32.const 2)))
          (local.get $a0))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $runs)))
      (call $dense_columns (local.get $x) (local.get $y) (local.get $p) (local.get $w) (local.get $b)
        (local.get $nIn) (local.get $sIn) (local.get $sOut) (local.get $R) (i32.const 1)
        (local.get $hasBias) (local.get $o) (local.get $r) (local.get $R))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $singles))))

  ;; ------------------------------------------------------ dense gradient
  ;; Σ over a run's B columns of a[c]·b[c] (rows at byte addresses a, b; b = 0: a alone),
  ;; in the kernels' order: four lanes over whole chunks, (l₀ + l₁) + (l₂ + l₃), the rest in order.
  (func $lane_sum (param $a i32) (param $b i32) (param $B i32) (result f32)
    (local $acc v128) (local $k i32) (local $whole i32) (local $sum f32)
    (local.set $whole (i32.sub (local.get $B) (i32.rem_u (local.get $B) (i32.const 4))))
    (block $done (loop $chunks
      (br_if $done (i32.ge_u (local.get $k) (local.get $whole)))
      (local.set $acc (f32x4.add (local.get $acc)
        (if (result v128) (local.get $b)
          (then (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
          (else (v128.load (local.get $a))))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (if (local.get $b) (then (local.set $b (i32.add (local.get $b) (i32.const 16)))))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $chunks)))
    (local.set $sum (call $hsum (local.get $acc)))
    (block $restDone (loop $rest
      (br_if $restDone (i32.ge_u (local.get $k) (local.get $B)))
      (local.set $sum (f32.add (local.get $sum)
        (if (result f32) (local.get $b)
          (then (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b))))
          (else (f32.load (local.get $a))))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (if (local.get $b) (then (local.set $b (i32.add (local.get $b) (i32.const 4)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $rest)))
    (local.get $sum))

  ;; Writes (or adds) value at address at.
  (func $put (param $at i32) (param $value f32) (param $accumulate i32)
    (f32.store (local.get $at) (if (result f32) (local.get $accumulate)
      (then (f32.add (f32.load (local.get $at)) (local.get $value)))
      (else (local.get $value)))))

  ;; sum + Σ_{k ∈ [from, B)} a[k]·b[k] in order: a lane sum's last columns.
  (func $tail (param $sum f32) (param $a i32) (param $b i32) (param $from i32) (param $B i32) (result f32)
    (local $k i32)
    (local.set $k (local.get $from))
    (block $done (loop $columns
      (br_if $done (i32.ge_u (local.get $k) (local.get $B)))
      (local.set $sum (f32.add (local.get $sum) (f32.mul
        (f32.load (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2))))
        (f32.load (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 2)))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $columns)))
    (local.get $sum))

  ;; ∂W for inputs i, i + 1 and outputs o … o + 3 of one run (eight lane sums at once, each in
  ;; $lane_sum's order): xa, da the rows x[i] and dy[o] from the run's first column, row the
  ;; bytes from one row to the next, ga the address of ∂W[i, o], stepI and stepO the bytes to
  ;; ∂W[i + 1, o] and ∂W[i, o + 1].
  (func $gradient_block
    (param $xa i32) (param $da i32) (param $row i32) (param $B i32)
    (param $ga i32) (param $stepI i32) (param $stepO i32) (param $accumulate i32)
    (local $k i32) (local $whole i32) (local $x0 v128) (local $x1 v128) (local $d v128)
    (local $a00 v128) (local $a01 v128) (local $a02 v128) (local $a03 v128)
    (local $a10 v128) (local $a11 v128) (local $a12 v128) (local $a13 v128)
    (local.set $whole (i32.shl (i32.sub (local.get $B) (i32.rem_u (local.get $B) (i32.const 4))) (i32.const 2)))
    (block $done (loop $chunks
      (br_if $done (i32.ge_u (local.get $k) (local.get $whole)))
      (local.set $x0 (v128.load (i32.add (local.get $xa) (local.get $k))))
      (local.set $x1 (v128.load (i32.add (i32.add (local.get $xa) (local.get $row)) (local.get $k))))
      (local.set $d (v128.load (i32.add (local.get $da) (local.get $k))))
      (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $x0) (local.get $d))))
      (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $x1) (local.get $d))))
      (local.set $d (v128.load (i32.add (i32.add (local.get $da) (i32.mul (local.get $row) (i32.const 1))) (local.get $k))))
      (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $x0) (local.get $d))))
      (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $x1) (local.get $d))))
      (local.set $d (v128.load (i32.add (i32.add (local.get $da) (i32.mul (local.get $row) (i32.const 2))) (local.get $k))))
      (local.set $a02 (f32x4.add (local.get $a02) (f32x4.mul (local.get $x0) (local.get $d))))
      (local.set $a12 (f32x4.add (local.get $a12) (f32x4.mul (local.get $x1) (local.get $d))))
      (local.set $d (v128.load (i32.add (i32.add (local.get $da) (i32.mul (local.get $row) (i32.const 3))) (local.get $k))))
      (local.set $a03 (f32x4.add (local.get $a03) (f32x4.mul (local.get $x0) (local.get $d))))
      (local.set $a13 (f32x4.add (local.get $a13) (f32x4.mul (local.get $x1) (local.get $d))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $chunks)))
    (local.set $whole (i32.shr_u (local.get $whole) (i32.const 2)))
    (call $put (local.get $ga)
      (call $tail (call $hsum (local.get $a00)) (local.get $xa) (local.get $da) (local.get $whole) (local.get $B))
      (local.get $accumulate))
    (call $put (i32.add (local.get $ga) (i32.mul (local.get $stepO) (i32.const 1)))
      (call $tail (call $hsum (local.get $a01)) (local.get $xa) (i32.add (local.get $da) (i32.mul (local.get $row) (i32.const 1))) (local.get $whole) (local.get $B))
      (local.get $accumulate))
    (call $put (i32.add (local.get $ga) (i32.mul (local.get $stepO) (i32.const 2)))
      (call $tail (call $hsum (local.get $a02)) (local.get $xa) (i32.add (local.get $da) (i32.mul (local.get $row) (i32.const 2))) (local.get $whole) (local.get $B))
      (local.get $accumulate))
    (call $put (i32.add (local.get $ga) (i32.mul (local.get $stepO) (i32.const 3)))
      (call $tail (call $hsum (local.get $a03)) (local.get $xa) (i32.add (local.get $da) (i32.mul (local.get $row) (i32.const 3))) (local.get $whole) (local.get $B))
      (local.get $accumulate))
    (call $put (i32.add (local.get $ga) (local.get $stepI))
      (call $tail (call $hsum (local.get $a10)) (i32.add (local.get $xa) (local.get $row)) (local.get $da) (local.get $whole) (local.get $B))
      (local.get $accumulate))
    (call $put (i32.add (i32.add (local.get $ga) (local.get $stepI)) (i32.mul (local.get $stepO) (i32.const 1)))
      (call $tail (call $hsum (local.get $a11)) (i32.add (local.get $xa) (local.get $row)) (i32.add (local.get $da) (i32.mul (local.get $row) (i32.const 1))) (local.get $whole) (local.get $B))
      (local.get $accumulate))
    (call $put (i32.add (i32.add (local.get $ga) (local.get $stepI)) (i32.mul (local.get $stepO) (i32.const 2)))
      (call $tail (call $hsum (local.get $a12)) (i32.add (local.get $xa) (local.get $row)) (i32.add (local.get $da) (i32.mul (local.get $row) (i32.const 2))) (local.get $whole) (local.get $B))
      (local.get $accumulate))
    (call $put (i32.add (i32.add (local.get $ga) (local.get $stepI)) (i32.mul (local.get $stepO) (i32.const 3)))
      (call $tail (call $hsum (local.get $a13)) (i32.add (local.get $xa) (local.get $row)) (i32.add (local.get $da) (i32.mul (local.get $row) (i32.const 3))) (local.get $whole) (local.get $B))
      (local.get $accumulate))
  )

  ;; The batch form: ∂W[i, o] and ∂b[o] of each run as lane sums over its columns, in blocks of
  ;; 2 inputs × 4 outputs where they fit.
  (func (export "dense_gradient_batch")
    (param $x i32) (param $dy i32) (param $p i32) (param $w i32) (param $b i32)
    (param $nIn i32) (param $nOut i32) (param $R i32) (param $B i32)
    (param $hasBias i32) (param $accumulate i32)
    (local $row i32) (local $r i32) (local $i i32) (local $o i32) (local $first i32)
    (local $stepO i32)
    (local.set $row (i32.shl (i32.mul (local.get $R) (local.get $B)) (i32.const 2)))
    (local.set $stepO (i32.shl (local.get $R) (i32.const 2)))
    (block $runsDone (loop $runs
      (br_if $runsDone (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $first (i32.shl (i32.mul (local.get $r) (local.get $B)) (i32.const 2)))
      (local.set $i (i32.const 0))
      (block $inputsDone (loop $inputs
        (br_if $inputsDone (i32.ge_u (local.get $i) (local.get $nIn)))
        (local.set $o (i32.const 0))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $nIn)) (then
          (block $blocksDone (loop $blocks
            (br_if $blocksDone (i32.gt_u (i32.add (local.get $o) (i32.const 4)) (local.get $nOut)))
            (call $gradient_block
              (i32.add (local.get $x) (i32.add (i32.mul (local.get $i) (local.get $row)) (local.get $first)))
              (i32.add (local.get $dy) (i32.add (i32.mul (local.get $o) (local.get $row)) (local.get $first)))
              (local.get $row) (local.get $B)
              (call $param (local.get $p)
                (i32.add (local.get $w) (i32.add (i32.mul (local.get $i) (local.get $nOut)) (local.get $o)))
                (local.get $R) (local.get $r))
              (i32.mul (local.get $stepO) (local.get $nOut)) (local.get $stepO) (local.get $accumulate))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $blocks)))))
        ;; What no block covers: the rest of this input's outputs (and of the next input's, where
        ;; the blocks took two inputs), one lane sum each.
        (call $gradient_singles (local.get $x) (local.get $dy) (local.get $p) (local.get $w)
          (local.get $nOut) (local.get $R) (local.get $B) (local.get $accumulate)
          (local.get $row) (local.get $first) (local.get $r) (local.get $i) (local.get $o))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $nIn))
          (then
            (call $gradient_singles (local.get $x) (local.get $dy) (local.get $p) (local.get $w)
              (local.get $nOut) (local.get $R) (local.get $B) (local.get $accumulate)
              (local.get $row) (local.get $first) (local.get $r)
              (i32.add (local.get $i) (i32.const 1)) (local.get $o))
            (local.set $i (i32.add (local.get $i) (i32.const 2))))
          (else (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (br $inputs)))
      (if (local.get $hasBias) (then
        (local.set $o (i32.const 0))
        (block $biasDone (loop $biases
          (br_if $biasDone (i32.ge_u (local.get $o) (local.get $nOut)))
          (call $put
            (call $param (local.get $p) (i32.add (local.get $b) (local.get $o)) (local.get $R) (local.get $r))
            (call $lane_sum
              (i32.add (local.get $dy) (i32.add (i32.mul (local.get $o) (local.get $row)) (local.get $first)))
              (i32.const 0) (local.get $B))
            (local.get $accumulate))
          (local.set $o (i32.add (local.get $o) (i32.const 1)))
          (br $biases)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $runs))))

  ;; ∂W[i, o] of run r for outputs o from o0 on, one lane sum each.
  (func $gradient_singles
    (param $x i32) (param $dy i32) (param $p i32) (param $w i32) (param $nOut i32)
    (param $R i32) (param $B i32) (param $accumulate i32)
    (param $row i32) (param $first i32) (param $r i32) (param $i i32) (param $o i32)
    (block $outputsDone (loop $outputs
      (br_if $outputsDone (i32.ge_u (local.get $o) (local.get $nOut)))
      (call $put
        (call $param (local.get $p)
          (i32.add (local.get $w) (i32.add (i32.mul (local.get $i) (local.get $nOut)) (local.get $o)))
          (local.get $R) (local.get $r))
        (call $lane_sum
          (i32.add (local.get $x) (i32.add (i32.mul (local.get $i) (local.get $row)) (local.get $first)))
          (i32.add (local.get $dy) (i32.add (i32.mul (local.get $o) (local.get $row)) (local.get $first)))
          (local.get $B))
        (local.get $accumulate))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $outputs))))

  ;; The lanes form (B = 1): ∂W[i, o] = x[i]·dy[o] for every run, ∂b = dy; set or added. With
  ;; one sample per run, ∂W[i, ·] ([nOut, R], contiguous) is dy ([nOut, R]) times row i of x,
  ;; four runs a vector, the last R mod 4 runs one at a time.
  (func (export "dense_gradient_lanes")
    (param $x i32) (param $dy i32) (param $p i32) (param $w i32) (param $b i32)
    (param $nIn i32) (param $nOut i32) (param $R i32) (param $hasBias i32) (param $accumulate i32)
    (local $row i32) (local $whole i32) (local $i i32) (local $o i32) (local $r i32)
    (local $xa i32) (local $da i32) (local $ga i32) (local $value v128) (local $one f32)
    (local.set $row (i32.shl (local.get $R) (i32.const 2)))
    (local.set $whole (i32.shl (i32.sub (local.get $R) (i32.rem_u (local.get $R) (i32.const 4))) (i32.const 2)))
    ;; i = nIn stands for the bias (∂b = dy).
    (block $inputsDone (loop $inputs
      (br_if $inputsDone (i32.gt_u (local.get $i) (local.get $nIn)))
      (if (i32.or (i32.lt_u (local.get $i) (local.get $nIn)) (local.get $hasBias)) (then
        (local.set $xa (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $row))))
        (local.set $da (local.get $dy))
        (local.set $ga (i32.add (local.get $p) (i32.mul (local.get $row)
          (if (result i32) (i32.lt_u (local.get $i) (local.get $nIn))
            (then (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $nOut))))
            (else (local.get $b))))))
        (local.set $o (i32.const 0))
        (block $outputsDone (loop $outputs
          (br_if $outputsDone (i32.ge_u (local.get $o) (local.get $nOut)))
          (local.set $r (i32.const 0))
          (block $fourDone (loop $fours
            (br_if $fourDone (i32.ge_u (local.get $r) (local.get $whole)))
            (local.set $value (v128.load (i32.add (local.get $da) (local.get $r))))
            (if (i32.lt_u (local.get $i) (local.get $nIn)) (then
              (local.set $value
                (f32x4.mul (v128.load (i32.add (local.get $xa) (local.get $r))) (local.get $value)))))
            (if (local.get $accumulate) (then
              (local.set $value
                (f32x4.add (v128.load (i32.add (local.get $ga) (local.get $r))) (local.get $value)))))
            (v128.store (i32.add (local.get $ga) (local.get $r)) (local.get $value))
            (local.set $r (i32.add (local.get $r) (i32.const 16)))
            (br $fours)))
          (block $restDone (loop $rest
            (br_if $restDone (i32.ge_u (local.get $r) (local.get $row)))
            (local.set $one (f32.load (i32.add (local.get $da) (local.get $r))))
            (if (i32.lt_u (local.get $i) (local.get $nIn)) (then
              (local.set $one
                (f32.mul (f32.load (i32.add (local.get $xa) (local.get $r))) (local.get $one)))))
            (call $put (i32.add (local.get $ga) (local.get $r)) (local.get $one) (local.get $accumulate))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $rest)))
          (local.set $da (i32.add (local.get $da) (local.get $row)))
          (local.set $ga (i32.add (local.get $ga) (local.get $row)))
          (local.set $o (i32.add (local.get $o) (i32.const 1)))
          (br $outputs)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $inputs))))

  ;; ---------------------------------------------------------- elementwise
  ;; y = x > 0 ? x : alpha·x over n elements.
  (func (export "rectify") (param $x i32) (param $y i32) (param $n i32) (param $alpha f32)
    (local $k i32) (local $xv v128) (local $av v128) (local $v f32)
    (local.set $av (f32x4.splat (local.get $alpha)))
    (block $done (loop $fours
      (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $n)))
      (local.set $xv (v128.load (local.get $x)))
      (v128.store (local.get $y) (v128.bitselect (local.get $xv) (f32x4.mul (local.get $av) (local.get $xv))
        (f32x4.gt (local.get $xv) (v128.const i32x4 0 0 0 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $fours)))
    (block $restDone (loop $rest
      (br_if $restDone (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $v (f32.load (local.get $x)))
      (f32.store (local.get $y) (if (result f32) (f32.gt (local.get $v) (f32.const 0))
        (then (local.get $v)) (else (f32.mul (local.get $alpha) (local.get $v)))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $y (i32.add (local.get $y) (i32.const 4)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $rest))))

  ;; dx = x > 0 ? dy : dy·alpha over n elements.
  (func (export "rectify_backward") (param $dy i32) (param $x i32) (param $dx i32) (param $n i32) (param $alpha f32)
    (local $k i32) (local $dv v128) (local $av v128)
    (local.set $av (f32x4.splat (local.get $alpha)))
    (block $done (loop $fours
      (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $n)))
      (local.set $dv (v128.load (local.get $dy)))
      (v128.store (local.get $dx) (v128.bitselect (local.get $dv) (f32x4.mul (local.get $dv) (local.get $av))
        (f32x4.gt (v128.load (local.get $x)) (v128.const i32x4 0 0 0 0))))
      (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $fours)))
    (block $restDone (loop $rest
      (br_if $restDone (i32.ge_u (local.get $k) (local.get $n)))
      (f32.store (local.get $dx) (if (result f32) (f32.gt (f32.load (local.get $x)) (f32.const 0))
        (then (f32.load (local.get $dy))) (else (f32.mul (f32.load (local.get $dy)) (local.get $alpha)))))
      (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $rest))))

  ;; into[i] += from[i] over n elements.
  (func (export "add_into") (param $into i32) (param $from i32) (param $n i32)
    (local $k i32)
    (block $done (loop $fours
      (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $n)))
      (v128.store (local.get $into) (f32x4.add (v128.load (local.get $into)) (v128.load (local.get $from))))
      (local.set $into (i32.add (local.get $into) (i32.const 16)))
      (local.set $from (i32.add (local.get $from) (i32.const 16)))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $fours)))
    (block $restDone (loop $rest
      (br_if $restDone (i32.ge_u (local.get $k) (local.get $n)))
      (f32.store (local.get $into) (f32.add (f32.load (local.get $into)) (f32.load (local.get $from))))
      (local.set $into (i32.add (local.get $into) (i32.const 4)))
      (local.set $from (i32.add (local.get $from) (i32.const 4)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $rest))))

  ;; ---------------------------------------------------------- layer norm
  ;; Four columns [c, c + 4) of run r (batch: every lane the same run, its gain and offset
  ;; splat; lanes = 1: four runs, their gains and offsets loaded as vectors).
  (func $norm_four
    (param $x i32) (param $y i32) (param $xh i32) (param $rs i32) (param $p i32) (param $gain i32)
    (param $n i32) (param $C i32) (param $R i32) (param $r i32) (param $c i32) (param $lanes i32) (param $eps f32)
    (local $k i32) (local $row i32) (local $sum v128) (local $mean v128) (local $d v128)
    (local $rstd v128) (local $nv v128) (local $at i32) (local $xhat v128) (local $g v128) (local $o v128)
    (local.set $row (i32.shl (local.get $C) (i32.const 2)))
    (local.set $nv (f32x4.splat (f32.convert_i32_u (local.get $n))))
    (local.set $at (i32.shl (local.get $c) (i32.const 2)))
    (local.set $k (i32.const 0))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $sum (f32x4.add (local.get $sum)
        (v128.load (i32.add (local.get $x) (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l1)))
    (local.set $mean (f32x4.div (local.get $sum) (local.get $nv)))
    (local.set $sum (v128.const i32x4 0 0 0 0))
    (local.set $k (i32.const 0))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $d (f32x4.sub
        (v128.load (i32.add (local.get $x) (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at))))
        (local.get $mean)))
      (local.set $sum (f32x4.add (local.get $sum) (f32x4.mul (local.get $d) (local.get $d))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l2)))
    (local.set $rstd (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.sqrt
      (f32x4.add (f32x4.div (local.get $sum) (local.get $nv)) (f32x4.splat (local.get $eps))))))
    (v128.store (i32.add (local.get $rs) (local.get $at)) (local.get $rstd))
    (local.set $k (i32.const 0))
    (block $d3 (loop $l3
      (br_if $d3 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $xhat (f32x4.mul (f32x4.sub
        (v128.load (i32.add (local.get $x) (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at))))
        (local.get $mean)) (local.get $rstd)))
      (v128.store (i32.add (local.get $xh) (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at)))
        (local.get $xhat))
      (if (local.get $lanes)
        (then
          (local.set $g (v128.load (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r))))
          (local.set $o (v128.load (call $param (local.get $p)
            (i32.add (i32.add (local.get $gain) (local.get $n)) (local.get $k)) (local.get $R) (local.get $r)))))
        (else
          (local.set $g (v128.load32_splat (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r))))
          (local.set $o (v128.load32_splat (call $param (local.get $p)
            (i32.add (i32.add (local.get $gain) (local.get $n)) (local.get $k)) (local.get $R) (local.get $r))))))
      (v128.store (i32.add (local.get $y) (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at)))
        (f32x4.add (f32x4.mul (local.get $xhat) (local.get $g)) (local.get $o)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l3))))

  ;; One column c of run r, one lane.
  (func $norm_one
    (param $x i32) (param $y i32) (param $xh i32) (param $rs i32) (param $p i32) (param $gain i32)
    (param $n i32) (param $C i32) (param $R i32) (param $r i32) (param $c i32) (param $eps f32)
    (local $k i32) (local $row i32) (local $at i32) (local $sum f32) (local $mean f32) (local $d f32)
    (local $rstd f32) (local $nf f32) (local $xhat f32)
    (local.set $row (i32.shl (local.get $C) (i32.const 2)))
    (local.set $nf (f32.convert_i32_u (local.get $n)))
    (local.set $at (i32.shl (local.get $c) (i32.const 2)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $sum (f32.add (local.get $sum)
        (f32.load (i32.add (local.get $x) (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l1)))
    (local.set $mean (f32.div (local.get $sum) (local.get $nf)))
    (local.set $sum (f32.const 0))
    (local.set $k (i32.const 0))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $d (f32.sub
        (f32.load (i32.add (local.get $x) (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at))))
        (local.get $mean)))
      (local.set $sum (f32.add (local.get $sum) (f32.mul (local.get $d) (local.get $d))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l2)))
    (local.set $rstd (f32.div (f32.const 1) (f32.sqrt
      (f32.add (f32.div (local.get $sum) (local.get $nf)) (local.get $eps)))))
    (f32.store (i32.add (local.get $rs) (local.get $at)) (local.get $rstd))
    (local.set $k (i32.const 0))
    (block $d3 (loop $l3
      (br_if $d3 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $xhat (f32.mul (f32.sub
        (f32.load (i32.add (local.get $x) (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at))))
        (local.get $mean)) (local.get $rstd)))
      (f32.store (i32.add (local.get $xh) (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at)))
        (local.get $xhat))
      (f32.store (i32.add (local.get $y) (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at)))
        (f32.add
          (f32.mul (local.get $xhat)
            (f32.load (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r))))
          (f32.load (call $param (local.get $p)
            (i32.add (i32.add (local.get $gain) (local.get $n)) (local.get $k)) (local.get $R) (local.get $r)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l3))))

  ;; Layer norm over every column: each run's columns four at a time (B = 1: four runs at a time).
  (func (export "layer_norm")
    (param $x i32) (param $y i32) (param $xh i32) (param $rs i32) (param $p i32) (param $gain i32)
    (param $n i32) (param $R i32) (param $B i32) (param $eps f32)
    (local $C i32) (local $r i32) (local $c i32) (local $c1 i32)
    (local.set $C (i32.mul (local.get $R) (local.get $B)))
    (if (i32.eq (local.get $B) (i32.const 1))
      (then
        (block $d (loop $l
          (br_if $d (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $C)))
          (call $norm_four (local.get $x) (local.get $y) (local.get $xh) (local.get $rs) (local.get $p)
            (local.get $gain) (local.get $n) (local.get $C) (local.get $R) (local.get $c) (local.get $c)
            (i32.const 1) (local.get $eps))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (br $l)))
        (block $d (loop $l
          (br_if $d (i32.ge_u (local.get $c) (local.get $C)))
          (call $norm_one (local.get $x) (local.get $y) (local.get $xh) (local.get $rs) (local.get $p)
            (local.get $gain) (local.get $n) (local.get $C) (local.get $R) (local.get $c) (local.get $c)
            (local.get $eps))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $l))))
      (else
        (block $runsDone (loop $runs
          (br_if $runsDone (i32.ge_u (local.get $r) (local.get $R)))
          (local.set $c (i32.mul (local.get $r) (local.get $B)))
          (local.set $c1 (i32.add (local.get $c) (local.get $B)))
          (block $d (loop $l
            (br_if $d (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $c1)))
            (call $norm_four (local.get $x) (local.get $y) (local.get $xh) (local.get $rs) (local.get $p)
              (local.get $gain) (local.get $n) (local.get $C) (local.get $R) (local.get $r) (local.get $c)
              (i32.const 0) (local.get $eps))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $l)))
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $c) (local.get $c1)))
            (call $norm_one (local.get $x) (local.get $y) (local.get $xh) (local.get $rs) (local.get $p)
              (local.get $gain) (local.get $n) (local.get $C) (local.get $R) (local.get $r) (local.get $c)
              (local.get $eps))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $l)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $runs))))))

  ;; Layer norm's input gradient for four columns: d = dy·gain, dx = rstd·((d − Σd/n) − x̂·(Σd·x̂)/n).
  (func $norm_back_four
    (param $dy i32) (param $dx i32) (param $xh i32) (param $rs i32) (param $p i32) (param $gain i32)
    (param $n i32) (param $C i32) (param $R i32) (param $r i32) (param $c i32) (param $lanes i32)
    (local $k i32) (local $row i32) (local $at i32) (local $sum v128) (local $dot v128) (local $d v128)
    (local $g v128) (local $nv v128) (local $meanD v128) (local $meanDot v128) (local $rstd v128) (local $a i32)
    (local.set $row (i32.shl (local.get $C) (i32.const 2)))
    (local.set $nv (f32x4.splat (f32.convert_i32_u (local.get $n))))
    (local.set $at (i32.shl (local.get $c) (i32.const 2)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $a (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at)))
      (local.set $g (if (result v128) (local.get $lanes)
        (then (v128.load (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r))))
        (else (v128.load32_splat (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r))))))
      (local.set $d (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $a))) (local.get $g)))
      (local.set $sum (f32x4.add (local.get $sum) (local.get $d)))
      (local.set $dot (f32x4.add (local.get $dot) (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $xh) (local.get $a))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l1)))
    (local.set $meanD (f32x4.div (local.get $sum) (local.get $nv)))
    (local.set $meanDot (f32x4.div (local.get $dot) (local.get $nv)))
    (local.set $rstd (v128.load (i32.add (local.get $rs) (local.get $at))))
    (local.set $k (i32.const 0))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $a (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at)))
      (local.set $g (if (result v128) (local.get $lanes)
        (then (v128.load (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r))))
        (else (v128.load32_splat (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r))))))
      (local.set $d (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $a))) (local.get $g)))
      (v128.store (i32.add (local.get $dx) (local.get $a))
        (f32x4.mul (local.get $rstd) (f32x4.sub (f32x4.sub (local.get $d) (local.get $meanD))
          (f32x4.mul (v128.load (i32.add (local.get $xh) (local.get $a))) (local.get $meanDot)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l2))))

  ;; The same for one column.
  (func $norm_back_one
    (param $dy i32) (param $dx i32) (param $xh i32) (param $rs i32) (param $p i32) (param $gain i32)
    (param $n i32) (param $C i32) (param $R i32) (param $r i32) (param $c i32)
    (local $k i32) (local $row i32) (local $at i32) (local $a i32) (local $sum f32) (local $dot f32)
    (local $d f32) (local $nf f32) (local $meanD f32) (local $meanDot f32) (local $rstd f32)
    (local.set $row (i32.shl (local.get $C) (i32.const 2)))
    (local.set $nf (f32.convert_i32_u (local.get $n)))
    (local.set $at (i32.shl (local.get $c) (i32.const 2)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $a (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at)))
      (local.set $d (f32.mul (f32.load (i32.add (local.get $dy) (local.get $a)))
        (f32.load (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r)))))
      (local.set $sum (f32.add (local.get $sum) (local.get $d)))
      (local.set $dot (f32.add (local.get $dot) (f32.mul (local.get $d) (f32.load (i32.add (local.get $xh) (local.get $a))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l1)))
    (local.set $meanD (f32.div (local.get $sum) (local.get $nf)))
    (local.set $meanDot (f32.div (local.get $dot) (local.get $nf)))
    (local.set $rstd (f32.load (i32.add (local.get $rs) (local.get $at))))
    (local.set $k (i32.const 0))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $a (i32.add (i32.mul (local.get $k) (local.get $row)) (local.get $at)))
      (local.set $d (f32.mul (f32.load (i32.add (local.get $dy) (local.get $a)))
        (f32.load (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r)))))
      (f32.store (i32.add (local.get $dx) (local.get $a))
        (f32.mul (local.get $rstd) (f32.sub (f32.sub (local.get $d) (local.get $meanD))
          (f32.mul (f32.load (i32.add (local.get $xh) (local.get $a))) (local.get $meanDot)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l2))))

  ;; Layer norm's input gradient over every column (B = 1: four runs at a time).
  (func (export "layer_norm_backward")
    (param $dy i32) (param $dx i32) (param $xh i32) (param $rs i32) (param $p i32) (param $gain i32)
    (param $n i32) (param $R i32) (param $B i32)
    (local $C i32) (local $r i32) (local $c i32) (local $c1 i32)
    (local.set $C (i32.mul (local.get $R) (local.get $B)))
    (if (i32.eq (local.get $B) (i32.const 1))
      (then
        (block $d (loop $l
          (br_if $d (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $C)))
          (call $norm_back_four (local.get $dy) (local.get $dx) (local.get $xh) (local.get $rs) (local.get $p)
            (local.get $gain) (local.get $n) (local.get $C) (local.get $R) (local.get $c) (local.get $c) (i32.const 1))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (br $l)))
        (block $d (loop $l
          (br_if $d (i32.ge_u (local.get $c) (local.get $C)))
          (call $norm_back_one (local.get $dy) (local.get $dx) (local.get $xh) (local.get $rs) (local.get $p)
            (local.get $gain) (local.get $n) (local.get $C) (local.get $R) (local.get $c) (local.get $c))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $l))))
      (else
        (block $runsDone (loop $runs
          (br_if $runsDone (i32.ge_u (local.get $r) (local.get $R)))
          (local.set $c (i32.mul (local.get $r) (local.get $B)))
          (local.set $c1 (i32.add (local.get $c) (local.get $B)))
          (block $d (loop $l
            (br_if $d (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $c1)))
            (call $norm_back_four (local.get $dy) (local.get $dx) (local.get $xh) (local.get $rs) (local.get $p)
              (local.get $gain) (local.get $n) (local.get $C) (local.get $R) (local.get $r) (local.get $c) (i32.const 0))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $l)))
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $c) (local.get $c1)))
            (call $norm_back_one (local.get $dy) (local.get $dx) (local.get $xh) (local.get $rs) (local.get $p)
              (local.get $gain) (local.get $n) (local.get $C) (local.get $R) (local.get $r) (local.get $c))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $l)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $runs))))))

  ;; Layer norm's gains' and offsets' gradients: Σ dy·x̂ and Σ dy over each run's columns
  ;; (lane sums), or with B = 1 the products themselves, four runs at a time.
  (func (export "layer_norm_gradient")
    (param $dy i32) (param $xh i32) (param $p i32) (param $gain i32) (param $n i32) (param $R i32) (param $B i32)
    (local $row i32) (local $k i32) (local $r i32) (local $first i32) (local $a i32)
    (local.set $row (i32.shl (i32.mul (local.get $R) (local.get $B)) (i32.const 2)))
    (block $featuresDone (loop $features
      (br_if $featuresDone (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $r (i32.const 0))
      (if (i32.eq (local.get $B) (i32.const 1))
        (then
          (block $d (loop $l
            (br_if $d (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $R)))
            (local.set $a (i32.add (i32.mul (local.get $k) (local.get $row)) (i32.shl (local.get $r) (i32.const 2))))
            (v128.store (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r))
              (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $a))) (v128.load (i32.add (local.get $xh) (local.get $a)))))
            (v128.store (call $param (local.get $p) (i32.add (i32.add (local.get $gain) (local.get $n)) (local.get $k)) (local.get $R) (local.get $r))
              (v128.load (i32.add (local.get $dy) (local.get $a))))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $l)))
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $r) (local.get $R)))
            (local.set $a (i32.add (i32.mul (local.get $k) (local.get $row)) (i32.shl (local.get $r) (i32.const 2))))
            (f32.store (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r))
              (f32.mul (f32.load (i32.add (local.get $dy) (local.get $a))) (f32.load (i32.add (local.get $xh) (local.get $a)))))
            (f32.store (call $param (local.get $p) (i32.add (i32.add (local.get $gain) (local.get $n)) (local.get $k)) (local.get $R) (local.get $r))
              (f32.load (i32.add (local.get $dy) (local.get $a))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $l))))
        (else
          (block $d (loop $l
            (br_if $d (i32.ge_u (local.get $r) (local.get $R)))
            (local.set $first (i32.add (i32.mul (local.get $k) (local.get $row))
              (i32.shl (i32.mul (local.get $r) (local.get $B)) (i32.const 2))))
            (f32.store (call $param (local.get $p) (i32.add (local.get $gain) (local.get $k)) (local.get $R) (local.get $r))
              (call $lane_sum (i32.add (local.get $dy) (local.get $first)) (i32.add (local.get $xh) (local.get $first)) (local.get $B)))
            (f32.store (call $param (local.get $p) (i32.add (i32.add (local.get $gain) (local.get $n)) (local.get $k)) (local.get $R) (local.get $r))
              (call $lane_sum (i32.add (local.get $dy) (local.get $first)) (i32.const 0) (local.get $B)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $l)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $features))))

  ;; ------------------------------------------------------------- sigmoid
  ;; e^t in float64, two lanes: t clamped to [−700, 700] (pmin, pmax: NaN stays); n = ⌊t·log₂e + ½⌋;
  ;; r = (t − n·ln2_hi) − n·ln2_lo (fdlibm's split of ln 2: n·ln2_hi is exact); e^r by Taylor's
  ;; series to r⁸/8! (relative error < 3e-10 for |r| ≤ ln 2 / 2, far below float32's), in
  ;; Estrin's order: ((c₀ + c₁r) + r²(c₂ + c₃r)) + (r⁴((c₄ + c₅r) + r²(c₆ + c₇r)) + r⁸c₈);
  ;; times 2^n, its bits those of n + 1023 + 2⁵² shifted into the exponent.
  (func $exp2 (param $t v128) (result v128)
    (local $n v128) (local $r v128) (local $r2 v128) (local $r4 v128)
    (local.set $t (f64x2.pmin (f64x2.pmax (local.get $t) (v128.const f64x2 -700 -700))
      (v128.const f64x2 700 700)))
    (local.set $n (f64x2.floor (f64x2.add
      (f64x2.mul (local.get $t) (v128.const f64x2 0x1.71547652b82fep+0 0x1.71547652b82fep+0))
      (v128.const f64x2 0.5 0.5))))
    (local.set $r (f64x2.sub
      (f64x2.sub (local.get $t) (f64x2.mul (local.get $n) (v128.const f64x2 0x1.62e42fee00000p-1 0x1.62e42fee00000p-1)))
      (f64x2.mul (local.get $n) (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))))
    (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
    (f64x2.mul
      (f64x2.add
        (f64x2.add
          (f64x2.add (v128.const f64x2 0x1.0000000000000p+0 0x1.0000000000000p+0) (f64x2.mul (v128.const f64x2 0x1.0000000000000p+0 0x1.0000000000000p+0) (local.get $r)))
          (f64x2.mul (local.get $r2)
            (f64x2.add (v128.const f64x2 0x1.0000000000000p-1 0x1.0000000000000p-1) (f64x2.mul (v128.const f64x2 0x1.5555555555555p-3 0x1.5555555555555p-3) (local.get $r)))))
        (f64x2.add
          (f64x2.mul (local.get $r4)
            (f64x2.add
              (f64x2.add (v128.const f64x2 0x1.5555555555555p-5 0x1.5555555555555p-5) (f64x2.mul (v128.const f64x2 0x1.1111111111111p-7 0x1.1111111111111p-7) (local.get $r)))
              (f64x2.mul (local.get $r2)
                (f64x2.add (v128.const f64x2 0x1.6c16c16c16c17p-10 0x1.6c16c16c16c17p-10) (f64x2.mul (v128.const f64x2 0x1.a01a01a01a01ap-13 0x1.a01a01a01a01ap-13) (local.get $r))))))
          (f64x2.mul (f64x2.mul (local.get $r4) (local.get $r4)) (v128.const f64x2 0x1.a01a01a01a01ap-16 0x1.a01a01a01a01ap-16))))
      (i64x2.shl (f64x2.add (local.get $n) (v128.const f64x2 0x1.00000000003ffp+52 0x1.00000000003ffp+52)) (i32.const 52))))

  ;; y = e^x over n float64 numbers (n even): the sigmoid's exponential alone, for checking it.
  (func (export "exp_f64") (param $x i32) (param $y i32) (param $n i32)
    (local $k i32)
    (local.set $n (i32.shl (local.get $n) (i32.const 3)))
    (block $done (loop $twos
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (v128.store (i32.add (local.get $y) (local.get $k))
        (call $exp2 (v128.load (i32.add (local.get $x) (local.get $k)))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $twos))))

  ;; 1 / (1 + e^−x) of two float64 lanes.
  (func $sigmoid2 (param $x v128) (result v128)
    (f64x2.div (v128.const f64x2 1 1)
      (f64x2.add (v128.const f64x2 1 1) (call $exp2 (f64x2.neg (local.get $x))))))

  ;; The sigmoid of four float32 lanes, each in float64 and rounded once to float32.
  (func $sigmoid4 (param $x v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (call $sigmoid2 (f64x2.promote_low_f32x4 (local.get $x))))
      (f32x4.demote_f64x2_zero (call $sigmoid2 (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))))))

  ;; y = 1 / (1 + e^−x) over n elements, four at a time; the last n mod 4 from one vector read
  ;; whole (every buffer is a whole number of vectors long), stored lane by lane.
  (func (export "sigmoid") (param $x i32) (param $y i32) (param $n i32)
    (local $k i32) (local $whole i32) (local $last v128)
    (local.set $whole (i32.shl (i32.sub (local.get $n) (i32.rem_u (local.get $n) (i32.const 4))) (i32.const 2)))
    (local.set $n (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $fours
      (br_if $done (i32.ge_u (local.get $k) (local.get $whole)))
      (v128.store (i32.add (local.get $y) (local.get $k))
        (call $sigmoid4 (v128.load (i32.add (local.get $x) (local.get $k)))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $fours)))
    (if (i32.ge_u (local.get $k) (local.get $n)) (then (return)))
    (local.set $last (call $sigmoid4 (v128.load (i32.add (local.get $x) (local.get $k)))))
    (f32.store (i32.add (local.get $y) (local.get $k)) (f32x4.extract_lane 0 (local.get $last)))
    (local.set $k (i32.add (local.get $k) (i32.const 4)))
    (if (i32.ge_u (local.get $k) (local.get $n)) (then (return)))
    (f32.store (i32.add (local.get $y) (local.get $k)) (f32x4.extract_lane 1 (local.get $last)))
    (local.set $k (i32.add (local.get $k) (i32.const 4)))
    (if (i32.ge_u (local.get $k) (local.get $n)) (then (return)))
    (f32.store (i32.add (local.get $y) (local.get $k)) (f32x4.extract_lane 2 (local.get $last))))

  ;; dx = dy·(y·(1 − y)) over n elements: the sigmoid's backward pass from its output.
  (func (export "sigmoid_backward") (param $dy i32) (param $y i32) (param $dx i32) (param $n i32)
    (local $k i32) (local $whole i32) (local $yv v128)
    (local.set $whole (i32.shl (i32.sub (local.get $n) (i32.rem_u (local.get $n) (i32.const 4))) (i32.const 2)))
    (local.set $n (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $fours
      (br_if $done (i32.ge_u (local.get $k) (local.get $whole)))
      (local.set $yv (v128.load (i32.add (local.get $y) (local.get $k))))
      (v128.store (i32.add (local.get $dx) (local.get $k))
        (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $k)))
          (f32x4.mul (local.get $yv) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $yv)))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $fours)))
    (block $restDone (loop $rest
      (br_if $restDone (i32.ge_u (local.get $k) (local.get $n)))
      (f32.store (i32.add (local.get $dx) (local.get $k))
        (f32.mul (f32.load (i32.add (local.get $dy) (local.get $k)))
          (f32.mul (f32.load (i32.add (local.get $y) (local.get $k)))
            (f32.sub (f32.const 1) (f32.load (i32.add (local.get $y) (local.get $k)))))))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $rest))))

  ;; ---------------------------------------------------------- optimisers
  ;; Over parameters [P, R] (n = P·R numbers), R a multiple of four: each four runs' factors
  ;; one vector (the caller gives one run's factors four times over where R = 1).
  ;; factors: R numbers per factor, one factor after another. Each kernel walks the runs in
  ;; fours ($r, bytes) inside the parameters' rows ($row, bytes), so that a factor's
  ;; address is a sum.

  ;; Adam: m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; d = m / (√v + ε′)·s; θ −= d (or into = d).
  ;; factors [s, ε′, β₁, 1 − β₁, β₂, 1 − β₂].
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $factors i32)
    (param $n i32) (param $R i32) (param $into i32)
    (local $row i32) (local $r i32) (local $stride i32) (local $end i32) (local $at i32) (local $f i32)
    (local $gv v128) (local $mv v128) (local $vv v128) (local $d v128)
    (local.set $stride (i32.shl (local.get $R) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $r (i32.const 0))
      (block $runs_done (loop $runs
        (br_if $runs_done (i32.ge_u (local.get $r) (local.get $stride)))
        (local.set $at (i32.add (local.get $row) (local.get $r)))
        (local.set $f (i32.add (local.get $factors) (local.get $r)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $mv (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at)))
            (v128.load (i32.add (local.get $f) (i32.mul (local.get $stride) (i32.const 2)))))
          (f32x4.mul (local.get $gv)
            (v128.load (i32.add (local.get $f) (i32.mul (local.get $stride) (i32.const 3)))))))
        (v128.store (i32.add (local.get $m) (local.get $at)) (local.get $mv))
        (local.set $vv (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at)))
            (v128.load (i32.add (local.get $f) (i32.shl (local.get $stride) (i32.const 2)))))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv))
            (v128.load (i32.add (local.get $f) (i32.mul (local.get $stride) (i32.const 5)))))))
        (v128.store (i32.add (local.get $v) (local.get $at)) (local.get $vv))
        (local.set $d (f32x4.mul
          (f32x4.div (local.get $mv)
            (f32x4.add (f32x4.sqrt (local.get $vv)) (v128.load (i32.add (local.get $f) (local.get $stride)))))
          (v128.load (local.get $f))))
        (if (local.get $into)
          (then (v128.store (i32.add (local.get $into) (local.get $at)) (local.get $d)))
          (else (v128.store (i32.add (local.get $p) (local.get $at))
            (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $at))) (local.get $d)))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (br $runs)))
      (local.set $row (i32.add (local.get $row) (local.get $stride)))
      (br $rows))))

  ;; RMSprop: s = αs + (1 − α)g²; θ −= (g / (√s + ε))·lr. factors [lr, α, 1 − α, ε].
  (func (export "rmsprop")
    (param $p i32) (param $g i32) (param $s i32) (param $factors i32) (param $n i32) (param $R i32)
    (local $row i32) (local $r i32) (local $stride i32) (local $end i32) (local $at i32) (local $f i32)
    (local $gv v128) (local $sv v128)
    (local.set $stride (i32.shl (local.get $R) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $r (i32.const 0))
      (block $runs_done (loop $runs
        (br_if $runs_done (i32.ge_u (local.get $r) (local.get $stride)))
        (local.set $at (i32.add (local.get $row) (local.get $r)))
        (local.set $f (i32.add (local.get $factors) (local.get $r)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $sv (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $s) (local.get $at)))
            (v128.load (i32.add (local.get $f) (local.get $stride))))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv))
            (v128.load (i32.add (local.get $f) (i32.mul (local.get $stride) (i32.const 2)))))))
        (v128.store (i32.add (local.get $s) (local.get $at)) (local.get $sv))
        (v128.store (i32.add (local.get $p) (local.get $at))
          (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $at)))
            (f32x4.mul
              (f32x4.div (local.get $gv)
                (f32x4.add (f32x4.sqrt (local.get $sv))
                  (v128.load (i32.add (local.get $f) (i32.mul (local.get $stride) (i32.const 3))))))
              (v128.load (local.get $f)))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (br $runs)))
      (local.set $row (i32.add (local.get $row) (local.get $stride)))
      (br $rows))))

  ;; SGD: θ −= g·lr, or with a velocity u (u ≠ 0): u = u·μ + g, θ −= u·lr. factors [lr, μ].
  (func (export "sgd")
    (param $p i32) (param $g i32) (param $u i32) (param $factors i32) (param $n i32) (param $R i32)
    (local $row i32) (local $r i32) (local $stride i32) (local $end i32) (local $at i32) (local $f i32)
    (local $step v128)
    (local.set $stride (i32.shl (local.get $R) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $r (i32.const 0))
      (block $runs_done (loop $runs
        (br_if $runs_done (i32.ge_u (local.get $r) (local.get $stride)))
        (local.set $at (i32.add (local.get $row) (local.get $r)))
        (local.set $f (i32.add (local.get $factors) (local.get $r)))
        (local.set $step (v128.load (i32.add (local.get $g) (local.get $at))))
        (if (local.get $u) (then
          (local.set $step (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $u) (local.get $at)))
              (v128.load (i32.add (local.get $f) (local.get $stride))))
            (local.get $step)))
          (v128.store (i32.add (local.get $u) (local.get $at)) (local.get $step))))
        (v128.store (i32.add (local.get $p) (local.get $at))
          (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $at)))
            (f32x4.mul (local.get $step) (v128.load (local.get $f)))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (br $runs)))
      (local.set $row (i32.add (local.get $row) (local.get $stride)))
      (br $rows))))
)
