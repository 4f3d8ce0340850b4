/**
 * float32 matrix products with WebAssembly SIMD: four lanes per v128. Every pointer is a byte address
 * in the shared linear memory; every stride counts elements. Each term is `madd`: a fused
 * multiply-add (relaxed SIMD's f32x4.relaxed_madd, one rounding) in the build compiled with
 * RELAXED=1, a multiply then an add (two roundings) in the plain-SIMD build; the loader picks the
 * first the engine accepts (src/backend/wasm.ts). The sums are formed in a different order from the
 * TypeScript kernels (src/gemm.ts), which round through float64 anyway: the builds agree with them to
 * float32 tolerance, and src/backend/wasm.test.ts holds both to it.
 */

/** c + a·b, one vector of four lanes (small enough that -O3 inlines it at every call). */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (RELAXED) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// C (M, N) (+)= A · B, where A(i, p) = a[i·sai + p·sap] and B is row-major (K, N) with row stride
// ldb. sai = K, sap = 1 is A·B; sai = 1, sap = M is Aᵀ·B (A stored (K, M)): the two layouts whose
// sum runs down the rows of B, so four columns of C are one vector.
//
// The register block is 4 rows × 8 columns of C: eight accumulators, and per term of the sum two
// loads of B, four broadcasts of A and eight multiply-adds. The sum runs in chunks of KC terms, each
// added to C when it ends, so a block of B (KC × NC) and a panel of A (4 × KC) stay in cache. When
// there are enough rows to pay for it, both are first copied ("packed") into `work`, contiguous in the
// order the block reads them: with power-of-two strides (H = 256, 4H = 1,024) the rows of B, or the
// columns of Aᵀ, otherwise all fall into the same few cache sets. The sum is formed in the same
// order either way, so every row or column band of a product (threads) gives the same bits. Rows
// and columns that do not fill a block fall to the 1 × 16, 1 × 4 and scalar tails below.

/** Terms of the sum per chunk, and columns of B per packed block: work holds KC·NC + 4·KC floats. */
export const KC: i32 = 256;
export const NC: i32 = 256;
/** Rows of C from which packing pays (each packed panel of B is then read at least four times). */
const PACK_ROWS: i32 = 16;

export function gemm_f32(
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
  work: usize,
): void {
  const sA = (<usize>sai) << 2;
  const pA = (<usize>sap) << 2;
  const sB = (<usize>ldb) << 2;
  const sC = (<usize>ldc) << 2;
  const M4 = M & ~3;
  const N8 = N & ~7;
  const pack = M4 >= PACK_ROWS;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const add = k0 > 0 ? 1 : acc; // later chunks add to what the earlier ones stored
    const ak = a + <usize>k0 * pA;
    const bk = b + <usize>k0 * sB;
    if (pack) packedBlocks(M4, N8, kc, ak, sA, pA, bk, sB, c, sC, add, work);
    else
      for (let i = 0; i < M4; i += 4)
        for (let j = 0; j < N8; j += 8)
          block4x8(
            kc,
            ak + <usize>i * sA,
            sA,
            pA,
            bk + ((<usize>j) << 2),
            sB,
            c + <usize>i * sC + ((<usize>j) << 2),
            sC,
            add,
          );
  }
  for (let i = 0; i < M4; i++)
    for (let j = N8; j < N; j++)
      dot1(K, a + <usize>i * sA, pA, b + ((<usize>j) << 2), sB, c + <usize>i * sC + ((<usize>j) << 2), acc);
  for (let i = M4; i < M; i++) row(N, K, a + <usize>i * sA, pA, b, sB, c + <usize>i * sC, acc);
}

/** One chunk of kc terms over rows [0, M4) × columns [0, N8), from packed copies of B and A. */
function packedBlocks(
  M4: i32,
  N8: i32,
  kc: i32,
  a: usize,
  sA: usize,
  pA: usize,
  b: usize,
  sB: usize,
  c: usize,
  sC: usize,
  add: i32,
  work: usize,
): void {
  const packA = work + ((<usize>(KC * NC)) << 2);
  for (let j0 = 0; j0 < N8; j0 += NC) {
    const nc = min(NC, N8 - j0);
    // B (kc, nc) as nc/8 panels, each kc rows of 8 contiguous floats
    for (let j = 0; j < nc; j += 8) {
      let from = b + ((<usize>(j0 + j)) << 2);
      let to = work + ((<usize>(j * kc)) << 2);
      for (let p = 0; p < kc; p++) {
        v128.store(to, v128.load(from));
        v128.store(to, v128.load(from, 16), 16);
        from += sB;
        to += 32;
      }
    }
    for (let i = 0; i < M4; i += 4) {
      packRows4(a + <usize>i * sA, sA, pA, kc, packA);
      const ci = c + <usize>i * sC + ((<usize>j0) << 2);
      for (let j = 0; j < nc; j += 8)
        block4x8(kc, packA, 4, 16, work + ((<usize>(j * kc)) << 2), 32, ci + ((<usize>j) << 2), sC, add);
    }
  }
}

/** A's rows i … i+3 (from a) over kc terms as kc groups of 4: the order block4x8 reads them packed. */
export function packRows4(a: usize, sA: usize, pA: usize, kc: i32, to: usize): void {
  for (let p = 0; p < kc; p++) {
    store<f32>(to, load<f32>(a));
    store<f32>(to, load<f32>(a + sA), 4);
    store<f32>(to, load<f32>(a + 2 * sA), 8);
    store<f32>(to, load<f32>(a + 3 * sA), 12);
    a += pA;
    to += 16;
  }
}

/** C(4 × 8) (+)= Σ_p A(0…3, p)·B(p, 0…7); A(r, p) at a + r·sA + p·pA, B's row p at b + p·sB. */
export function block4x8(
  K: i32,
  a: usize,
  sA: usize,
  pA: usize,
  b: usize,
  sB: usize,
  c: usize,
  sC: usize,
  acc: i32,
): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0),
    c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0),
    c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  let pa = a;
  let pb = b;
  for (let p = 0; p < K; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa); // A(i, p) in all four lanes
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(pa + sA);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(pa + 2 * sA);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(pa + 3 * sA);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    pa += pA;
    pb += sB;
  }
  store8(c, c00, c01, acc);
  store8(c + sC, c10, c11, acc);
  store8(c + 2 * sC, c20, c21, acc);
  store8(c + 3 * sC, c30, c31, acc);
}

export function store8(c: usize, x0: v128, x1: v128, acc: i32): void {
  if (acc) {
    x0 = f32x4.add(v128.load(c), x0);
    x1 = f32x4.add(v128.load(c, 16), x1);
  }
  v128.store(c, x0);
  v128.store(c, x1, 16);
}

function store4(c: usize, x: v128, acc: i32): void {
  v128.store(c, acc ? f32x4.add(v128.load(c), x) : x);
}

/** One row of C: 16, then 8, then 4 columns per pass, then single columns. */
export function row(N: i32, K: i32, a: usize, pA: usize, b: usize, sB: usize, c: usize, acc: i32): void {
  let j = 0;
  for (; j + 16 <= N; j += 16) {
    let x0 = f32x4.splat(0),
      x1 = f32x4.splat(0),
      x2 = f32x4.splat(0),
      x3 = f32x4.splat(0);
    let pa = a;
    let pb = b + ((<usize>j) << 2);
    for (let p = 0; p < K; p++) {
      const x = v128.load32_splat(pa);
      x0 = madd(x, v128.load(pb), x0);
      x1 = madd(x, v128.load(pb, 16), x1);
      x2 = madd(x, v128.load(pb, 32), x2);
      x3 = madd(x, v128.load(pb, 48), x3);
      pa += pA;
      pb += sB;
    }
    const pc = c + ((<usize>j) << 2);
    store8(pc, x0, x1, acc);
    store8(pc + 32, x2, x3, acc);
  }
  for (; j + 4 <= N; j += 4) {
    let x0 = f32x4.splat(0);
    let pa = a;
    let pb = b + ((<usize>j) << 2);
    for (let p = 0; p < K; p++) {
      x0 = madd(v128.load32_splat(pa), v128.load(pb), x0);
      pa += pA;
      pb += sB;
    }
    store4(c + ((<usize>j) << 2), x0, acc);
  }
  for (; j < N; j++) dot1(K, a, pA, b + ((<usize>j) << 2), sB, c + ((<usize>j) << 2), acc);
}

/** One element of C: Σ_p A(i, p)·B(p, j), scalar. */
function dot1(K: i32, a: usize, pA: usize, b: usize, sB: usize, c: usize, acc: i32): void {
  let s: f32 = 0;
  for (let p = 0; p < K; p++) {
    s += load<f32>(a) * load<f32>(b);
    a += pA;
    b += sB;
  }
  store<f32>(c, acc ? load<f32>(c) + s : s);
}

// ---------------------------------------------------------------------------------------------
// C (M, N) (+)= A (M, K) · B (N, K)ᵀ: dot products of rows, both contiguous, so the vector runs
// along the sum. A block of 2 rows of A × 4 rows of B keeps eight vector accumulators; each is
// reduced across its lanes once, at the end.

export function gemm_nt_f32(
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
  const sA = (<usize>lda) << 2;
  const sB = (<usize>ldb) << 2;
  const sC = (<usize>ldc) << 2;
  const K4 = K & ~3;
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
      let s00 = f32x4.splat(0),
        s01 = f32x4.splat(0),
        s02 = f32x4.splat(0),
        s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0),
        s11 = f32x4.splat(0),
        s12 = f32x4.splat(0),
        s13 = f32x4.splat(0);
      for (let p = 0; p < K4; p += 4) {
        const o = (<usize>p) << 2;
        const x0 = v128.load(a0 + o);
        const x1 = v128.load(a1 + o);
        let y = v128.load(b0 + o);
        s00 = madd(x0, y, s00);
        s10 = madd(x1, y, s10);
        y = v128.load(b1 + o);
        s01 = madd(x0, y, s01);
        s11 = madd(x1, y, s11);
        y = v128.load(b2 + o);
        s02 = madd(x0, y, s02);
        s12 = madd(x1, y, s12);
        y = v128.load(b3 + o);
        s03 = madd(x0, y, s03);
        s13 = madd(x1, y, s13);
      }
      const r0 = f32x4(
        hsum(s00) + tail(K4, K, a0, b0),
        hsum(s01) + tail(K4, K, a0, b1),
        hsum(s02) + tail(K4, K, a0, b2),
        hsum(s03) + tail(K4, K, a0, b3),
      );
      const r1 = f32x4(
        hsum(s10) + tail(K4, K, a1, b0),
        hsum(s11) + tail(K4, K, a1, b1),
        hsum(s12) + tail(K4, K, a1, b2),
        hsum(s13) + tail(K4, K, a1, b3),
      );
      const o = (<usize>j) << 2;
      store4(c0 + o, r0, acc);
      store4(c0 + sC + o, r1, acc);
    }
    for (; j < N; j++) {
      const bj = b + <usize>j * sB;
      ntStore(c0 + ((<usize>j) << 2), dotNT(K4, K, a0, bj), acc);
      ntStore(c0 + sC + ((<usize>j) << 2), dotNT(K4, K, a1, bj), acc);
    }
  }
  for (; i < M; i++) {
    const ai = a + <usize>i * sA;
    const ci = c + <usize>i * sC;
    for (let j = 0; j < N; j++) ntStore(ci + ((<usize>j) << 2), dotNT(K4, K, ai, b + <usize>j * sB), acc);
  }
}

function hsum(x: v128): f32 {
  return f32x4.extract_lane(x, 0) + f32x4.extract_lane(x, 1) + (f32x4.extract_lane(x, 2) + f32x4.extract_lane(x, 3));
}

/** Σ_{p ≥ K4} a[p]·b[p]: the 0–3 terms a vector loop leaves. */
function tail(K4: i32, K: i32, a: usize, b: usize): f32 {
  let s: f32 = 0;
  for (let p = K4; p < K; p++) s += load<f32>(a + ((<usize>p) << 2)) * load<f32>(b + ((<usize>p) << 2));
  return s;
}

function dotNT(K4: i32, K: i32, a: usize, b: usize): f32 {
  let s = f32x4.splat(0);
  for (let p = 0; p < K4; p += 4) {
    const o = (<usize>p) << 2;
    s = madd(v128.load(a + o), v128.load(b + o), s);
  }
  return hsum(s) + tail(K4, K, a, b);
}

function ntStore(c: usize, s: f32, acc: i32): void {
  store<f32>(c, acc ? load<f32>(c) + s : s);
}
