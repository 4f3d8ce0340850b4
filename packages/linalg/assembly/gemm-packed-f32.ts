/**
 * C (M, N) (+)= A · B with B already in panels (src/kernels.ts packRight): a recurrent weight is read
 * at every one of T steps, so it is laid out once per sequence instead of once per product as
 * gemm_f32 does. Panel q holds columns [8q, 8q + 8) of B as K rows of 8 contiguous floats (columns
 * past N are zeros); consecutive panels are `ldp` floats apart (8·K for a whole B, the same for a
 * band of its columns). A(i, p) = a[i·sai + p·sap], as in gemm_f32.
 *
 * The sum runs in the same chunks of KC terms as gemm_f32's, with the same 4 × 8 register block over
 * a packed panel of A, so the two agree to float32 rounding and every row or column band (threads)
 * gives the same bits. Rows past the last multiple of 4 take 1 × 32 and 1 × 8 blocks; the last, partial panel
 * is computed whole into `work` and its first N mod 8 columns stored.
 */
import { block4x8, KC, madd, NC, packRows4, store8 } from "./gemm-f32";

export function gemm_packed_f32(
  M: i32,
  N: i32,
  K: i32,
  a: usize,
  sai: i32,
  sap: i32,
  bp: usize,
  ldp: i32,
  c: usize,
  ldc: i32,
  acc: i32,
  work: usize,
): void {
  const sA = (<usize>sai) << 2;
  const pA = (<usize>sap) << 2;
  const sP = (<usize>ldp) << 2;
  const sC = (<usize>ldc) << 2;
  const M4 = M & ~3;
  const N8 = N & ~7;
  const packA = work + ((<usize>(KC * NC)) << 2); // gemm_f32's panel of A; `work` itself holds a partial block
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const add = k0 > 0 ? 1 : acc; // later chunks add to what the earlier ones stored
    const ak = a + <usize>k0 * pA;
    const bk = bp + ((<usize>k0) << 5); // row k0 of every panel: 8 floats a row
    for (let j0 = 0; j0 < N8; j0 += NC) {
      const nc = min(NC, N8 - j0); // a block of B (kc × nc) that stays in cache across the rows of C
      for (let i = 0; i < M4; i += 4) {
        packRows4(ak + <usize>i * sA, sA, pA, kc, packA);
        const ci = c + <usize>i * sC;
        for (let j = j0; j < j0 + nc; j += 8)
          block4x8(kc, packA, 4, 16, bk + <usize>(j >> 3) * sP, 32, ci + ((<usize>j) << 2), sC, add);
      }
      for (let i = M4; i < M; i++) {
        const ai = ak + <usize>i * sA;
        const ci = c + <usize>i * sC;
        let j = j0;
        for (; j + 32 <= j0 + nc; j += 32)
          block1x32(kc, ai, pA, bk + <usize>(j >> 3) * sP, sP, ci + ((<usize>j) << 2), add);
        for (; j < j0 + nc; j += 8) block1x8(kc, ai, pA, bk + <usize>(j >> 3) * sP, ci + ((<usize>j) << 2), add);
      }
    }
    if (N8 < N)
      partialPanel(M, N - N8, kc, ak, sA, pA, bk + <usize>(N8 >> 3) * sP, c + ((<usize>N8) << 2), sC, add, work);
  }
}

/** C(1 × 32) (+)= Σ_p A(i, p)·P(p, ·) for one row of A and four panels (sP bytes apart): eight sums in flight. */
function block1x32(K: i32, a: usize, pA: usize, b: usize, sP: usize, c: usize, acc: i32): void {
  let c0 = f32x4.splat(0),
    c1 = f32x4.splat(0),
    c2 = f32x4.splat(0),
    c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0),
    c5 = f32x4.splat(0),
    c6 = f32x4.splat(0),
    c7 = f32x4.splat(0);
  for (let p = 0; p < K; p++) {
    const x = v128.load32_splat(a);
    c0 = madd(x, v128.load(b), c0);
    c1 = madd(x, v128.load(b, 16), c1);
    c2 = madd(x, v128.load(b + sP), c2);
    c3 = madd(x, v128.load(b + sP, 16), c3);
    c4 = madd(x, v128.load(b + 2 * sP), c4);
    c5 = madd(x, v128.load(b + 2 * sP, 16), c5);
    c6 = madd(x, v128.load(b + 3 * sP), c6);
    c7 = madd(x, v128.load(b + 3 * sP, 16), c7);
    a += pA;
    b += 32;
  }
  store8(c, c0, c1, acc);
  store8(c + 32, c2, c3, acc);
  store8(c + 64, c4, c5, acc);
  store8(c + 96, c6, c7, acc);
}

/** C(1 × 8) (+)= Σ_p A(i, p)·P(p, 0…7) for one row of A and one panel. */
function block1x8(K: i32, a: usize, pA: usize, b: usize, c: usize, acc: i32): void {
  let c0 = f32x4.splat(0),
    c1 = f32x4.splat(0);
  for (let p = 0; p < K; p++) {
    const x = v128.load32_splat(a);
    c0 = madd(x, v128.load(b), c0);
    c1 = madd(x, v128.load(b, 16), c1);
    a += pA;
    b += 32;
  }
  store8(c, c0, c1, acc);
}

/** The last n < 8 columns: each row's 8-wide block formed in `work`, its first n lanes stored to C. */
function partialPanel(
  M: i32,
  n: i32,
  kc: i32,
  a: usize,
  sA: usize,
  pA: usize,
  panel: usize,
  c: usize,
  sC: usize,
  add: i32,
  work: usize,
): void {
  for (let i = 0; i < M; i++) {
    block1x8(kc, a + <usize>i * sA, pA, panel, work, 0);
    const ci = c + <usize>i * sC;
    for (let j = 0; j < n; j++) {
      const o = (<usize>j) << 2;
      const s = load<f32>(work + o);
      store<f32>(ci + o, add ? load<f32>(ci + o) + s : s);
    }
  }
}
