/**
 * float64 matrix products with WebAssembly SIMD: two lanes per v128. These reproduce, bit for bit,
 * the summation order of the TypeScript kernels in src/gemm.ts (see the contract at its top), so the
 * float64 results of the two backends are identical, not merely close; src/backend/wasm.test.ts
 * checks it. Pointers are byte addresses, strides count elements.
 */

// ---------------------------------------------------------------------------------------------
// C (M, N) (+)= A · B with A(i, p) = a[i·sai + p·sap] (A·B and Aᵀ·B), B row-major (K, N).
// Per element: s = Σ_p a_p·b_p added in order from p = 0; c ← s, or c ← c + s. A register block is
// 4 rows × 4 columns (eight v128 accumulators); the leftover rows go 8, 2, then 1 column at a time.

export function gemm_f64(
  M: i32,
  N: i32,
  K: i32,
  a: usize,
  sai: i32,
  sap: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  acc: i32,
): void {
  const sA = (<usize>sai) << 3;
  const pA = (<usize>sap) << 3;
  const sB = (<usize>ldb) << 3;
  const sC = (<usize>ldc) << 3;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const ai = a + <usize>i * sA;
    const ci = c + <usize>i * sC;
    let j = 0;
    for (; j + 4 <= N; j += 4) block4x4(K, ai, sA, pA, b + ((<usize>j) << 3), sB, ci + ((<usize>j) << 3), sC, acc);
    for (; j < N; j++) {
      for (let r = 0; r < 4; r++)
        elem(K, ai + <usize>r * sA, pA, b + ((<usize>j) << 3), sB, ci + <usize>r * sC + ((<usize>j) << 3), acc);
    }
  }
  for (; i < M; i++) row(N, K, a + <usize>i * sA, pA, b, sB, c + <usize>i * sC, acc);
}

function put2(c: usize, s: v128, acc: i32): void {
  v128.store(c, acc ? f64x2.add(v128.load(c), s) : s);
}

function block4x4(K: i32, a: usize, sA: usize, pA: usize, b: usize, sB: usize, c: usize, sC: usize, acc: i32): void {
  let c00 = f64x2.splat(0),
    c01 = f64x2.splat(0),
    c10 = f64x2.splat(0),
    c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0),
    c21 = f64x2.splat(0),
    c30 = f64x2.splat(0),
    c31 = f64x2.splat(0);
  let pa = a;
  let pb = b;
  for (let p = 0; p < K; p++) {
    const y0 = v128.load(pb);
    const y1 = v128.load(pb, 16);
    let x = v128.load64_splat(pa); // A(i, p) in both lanes
    c00 = f64x2.add(c00, f64x2.mul(x, y0));
    c01 = f64x2.add(c01, f64x2.mul(x, y1));
    x = v128.load64_splat(pa + sA);
    c10 = f64x2.add(c10, f64x2.mul(x, y0));
    c11 = f64x2.add(c11, f64x2.mul(x, y1));
    x = v128.load64_splat(pa + 2 * sA);
    c20 = f64x2.add(c20, f64x2.mul(x, y0));
    c21 = f64x2.add(c21, f64x2.mul(x, y1));
    x = v128.load64_splat(pa + 3 * sA);
    c30 = f64x2.add(c30, f64x2.mul(x, y0));
    c31 = f64x2.add(c31, f64x2.mul(x, y1));
    pa += pA;
    pb += sB;
  }
  put2(c, c00, acc);
  put2(c + 16, c01, acc);
  put2(c + sC, c10, acc);
  put2(c + sC + 16, c11, acc);
  put2(c + 2 * sC, c20, acc);
  put2(c + 2 * sC + 16, c21, acc);
  put2(c + 3 * sC, c30, acc);
  put2(c + 3 * sC + 16, c31, acc);
}

/** One row of C: 8 columns per pass, then 2, then 1. */
function row(N: i32, K: i32, a: usize, pA: usize, b: usize, sB: usize, c: usize, acc: i32): void {
  let j = 0;
  for (; j + 8 <= N; j += 8) {
    let x0 = f64x2.splat(0),
      x1 = f64x2.splat(0),
      x2 = f64x2.splat(0),
      x3 = f64x2.splat(0);
    let pa = a;
    let pb = b + ((<usize>j) << 3);
    for (let p = 0; p < K; p++) {
      const x = v128.load64_splat(pa);
      x0 = f64x2.add(x0, f64x2.mul(x, v128.load(pb)));
      x1 = f64x2.add(x1, f64x2.mul(x, v128.load(pb, 16)));
      x2 = f64x2.add(x2, f64x2.mul(x, v128.load(pb, 32)));
      x3 = f64x2.add(x3, f64x2.mul(x, v128.load(pb, 48)));
      pa += pA;
      pb += sB;
    }
    const pc = c + ((<usize>j) << 3);
    put2(pc, x0, acc);
    put2(pc + 16, x1, acc);
    put2(pc + 32, x2, acc);
    put2(pc + 48, x3, acc);
  }
  for (; j + 2 <= N; j += 2) {
    let x0 = f64x2.splat(0);
    let pa = a;
    let pb = b + ((<usize>j) << 3);
    for (let p = 0; p < K; p++) {
      x0 = f64x2.add(x0, f64x2.mul(v128.load64_splat(pa), v128.load(pb)));
      pa += pA;
      pb += sB;
    }
    put2(c + ((<usize>j) << 3), x0, acc);
  }
  if (j < N) elem(K, a, pA, b + ((<usize>j) << 3), sB, c + ((<usize>j) << 3), acc);
}

/** One element of C, scalar, in the same order. */
function elem(K: i32, a: usize, pA: usize, b: usize, sB: usize, c: usize, acc: i32): void {
  let s: f64 = 0;
  for (let p = 0; p < K; p++) {
    s += load<f64>(a) * load<f64>(b);
    a += pA;
    b += sB;
  }
  store<f64>(c, acc ? load<f64>(c) + s : s);
}

// ---------------------------------------------------------------------------------------------
// C (M, N) (+)= A (M, K) · B (N, K)ᵀ. Per element, lane 0 sums the even terms and lane 1 the odd
// ones, each in order; an odd K's last term joins lane 0; then c ← (c +) (s₀ + s₁). A block is
// 2 rows of A × 4 rows of B.

export function gemm_nt_f64(
  M: i32,
  N: i32,
  K: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  acc: i32,
): void {
  const sA = (<usize>lda) << 3;
  const sB = (<usize>ldb) << 3;
  const sC = (<usize>ldc) << 3;
  const K2 = K & ~1;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0 = a + <usize>i * sA;
    const a1 = a0 + sA;
    const c0 = c + <usize>i * sC;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const b0 = b + <usize>j * sB;
      const b1 = b0 + sB;
      const b2 = b1 + sB;
      const b3 = b2 + sB;
      let s00 = f64x2.splat(0),
        s01 = f64x2.splat(0),
        s02 = f64x2.splat(0),
        s03 = f64x2.splat(0);
      let s10 = f64x2.splat(0),
        s11 = f64x2.splat(0),
        s12 = f64x2.splat(0),
        s13 = f64x2.splat(0);
      for (let p = 0; p < K2; p += 2) {
        const o = (<usize>p) << 3;
        const x0 = v128.load(a0 + o);
        const x1 = v128.load(a1 + o);
        let y = v128.load(b0 + o);
        s00 = f64x2.add(s00, f64x2.mul(x0, y));
        s10 = f64x2.add(s10, f64x2.mul(x1, y));
        y = v128.load(b1 + o);
        s01 = f64x2.add(s01, f64x2.mul(x0, y));
        s11 = f64x2.add(s11, f64x2.mul(x1, y));
        y = v128.load(b2 + o);
        s02 = f64x2.add(s02, f64x2.mul(x0, y));
        s12 = f64x2.add(s12, f64x2.mul(x1, y));
        y = v128.load(b3 + o);
        s03 = f64x2.add(s03, f64x2.mul(x0, y));
        s13 = f64x2.add(s13, f64x2.mul(x1, y));
      }
      const o = (<usize>j) << 3;
      finish(s00, K2, K, a0, b0, c0 + o, acc);
      finish(s01, K2, K, a0, b1, c0 + o + 8, acc);
      finish(s02, K2, K, a0, b2, c0 + o + 16, acc);
      finish(s03, K2, K, a0, b3, c0 + o + 24, acc);
      finish(s10, K2, K, a1, b0, c0 + sC + o, acc);
      finish(s11, K2, K, a1, b1, c0 + sC + o + 8, acc);
      finish(s12, K2, K, a1, b2, c0 + sC + o + 16, acc);
      finish(s13, K2, K, a1, b3, c0 + sC + o + 24, acc);
    }
    for (; j < N; j++) {
      const bj = b + <usize>j * sB;
      const o = (<usize>j) << 3;
      finish(dotNT(K2, a0, bj), K2, K, a0, bj, c0 + o, acc);
      finish(dotNT(K2, a1, bj), K2, K, a1, bj, c0 + sC + o, acc);
    }
  }
  for (; i < M; i++) {
    const ai = a + <usize>i * sA;
    const ci = c + <usize>i * sC;
    for (let j = 0; j < N; j++) {
      const bj = b + <usize>j * sB;
      finish(dotNT(K2, ai, bj), K2, K, ai, bj, ci + ((<usize>j) << 3), acc);
    }
  }
}

/** The even and odd partial sums of one dot product, as the two lanes of a v128. */
function dotNT(K2: i32, a: usize, b: usize): v128 {
  let s = f64x2.splat(0);
  for (let p = 0; p < K2; p += 2) {
    const o = (<usize>p) << 3;
    s = f64x2.add(s, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  }
  return s;
}

/** c ← (c +) (s₀ + s₁), with an odd K's last term added to s₀ first. */
function finish(s: v128, K2: i32, K: i32, a: usize, b: usize, c: usize, acc: i32): void {
  let s0 = f64x2.extract_lane(s, 0);
  const s1 = f64x2.extract_lane(s, 1);
  if (K2 < K) s0 += load<f64>(a + ((<usize>K2) << 3)) * load<f64>(b + ((<usize>K2) << 3));
  const r = s0 + s1;
  store<f64>(c, acc ? load<f64>(c) + r : r);
}
