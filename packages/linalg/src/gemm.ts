/**
 * Register-blocked matrix-product kernels in plain TypeScript, over flat row-major arrays with an
 * offset into each: the readable reference for the WebAssembly kernels (assembly/gemm-f32.ts and
 * assembly/gemm-f64.ts) and the fallback where WebAssembly is not available. kernels.ts chooses
 * between the two at run time.
 *
 * Each kernel computes a block of C per pass so that every value loaded feeds several
 * multiply-adds. `acc` = false overwrites c, true adds into it. The order in which each element's
 * sum is formed is part of the contract, because the float64 WebAssembly kernels reproduce it
 * exactly (bit for bit), and wasm.test.ts checks that they do:
 *
 *   A·B and Aᵀ·B:  s = Σ_p a_p·b_p added in order from p = 0;             c ← s, or c ← c + s.
 *   A·Bᵀ:          s₀ over the even p, s₁ over the odd p, each in order;  c ← s₀ + s₁, or c ← c + (s₀ + s₁).
 *
 * Summation order differs from the naive triple loop in matmul-naive.ts, so results agree with it to
 * rounding (the property tests in matmul.test.ts hold them to 1e-12 in float64).
 */
import type { FloatArray } from "./matrix.js";

/** c (M, N) (+)= a (M, K) · b (N, K)ᵀ — dot products of rows; 2 rows of a × 2 rows of b per pass. */
export function tsGemmNT(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  acc: boolean,
): void {
  const odd = K & 1; // the last term of an odd K joins the even sum
  const K2 = K - odd;
  let i = 0;
  for (; i + 1 < M; i += 2) {
    const a0 = aOff + i * K;
    const a1 = a0 + K;
    const c0 = cOff + i * N;
    const c1 = c0 + N;
    let j = 0;
    for (; j + 1 < N; j += 2) {
      const b0 = bOff + j * K;
      const b1 = b0 + K;
      // s<row><col><parity>: the even and odd halves of four dot products
      let s000 = 0, s001 = 0, s010 = 0, s011 = 0, s100 = 0, s101 = 0, s110 = 0, s111 = 0; // biome-ignore format: a block of accumulators
      for (let p = 0; p < K2; p += 2) {
        const x0 = a[a0 + p] as number;
        const x1 = a[a1 + p] as number;
        const y0 = b[b0 + p] as number;
        const y1 = b[b1 + p] as number;
        const u0 = a[a0 + p + 1] as number;
        const u1 = a[a1 + p + 1] as number;
        const v0 = b[b0 + p + 1] as number;
        const v1 = b[b1 + p + 1] as number;
        s000 += x0 * y0;
        s001 += u0 * v0;
        s010 += x0 * y1;
        s011 += u0 * v1;
        s100 += x1 * y0;
        s101 += u1 * v0;
        s110 += x1 * y1;
        s111 += u1 * v1;
      }
      if (odd) {
        const p = K2;
        s000 += (a[a0 + p] as number) * (b[b0 + p] as number);
        s010 += (a[a0 + p] as number) * (b[b1 + p] as number);
        s100 += (a[a1 + p] as number) * (b[b0 + p] as number);
        s110 += (a[a1 + p] as number) * (b[b1 + p] as number);
      }
      put(c, c0 + j, s000 + s001, acc);
      put(c, c0 + j + 1, s010 + s011, acc);
      put(c, c1 + j, s100 + s101, acc);
      put(c, c1 + j + 1, s110 + s111, acc);
    }
    if (j < N) {
      dotNT(K2, odd, a, a0, b, bOff + j * K, c, c0 + j, acc);
      dotNT(K2, odd, a, a1, b, bOff + j * K, c, c1 + j, acc);
    }
  }
  if (i < M) {
    const ai = aOff + i * K;
    const ci = cOff + i * N;
    let j = 0;
    for (; j + 1 < N; j += 2) {
      const b0 = bOff + j * K;
      const b1 = b0 + K;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0; // biome-ignore format: a block of accumulators
      for (let p = 0; p < K2; p += 2) {
        const x = a[ai + p] as number;
        const u = a[ai + p + 1] as number;
        s00 += x * (b[b0 + p] as number);
        s01 += u * (b[b0 + p + 1] as number);
        s10 += x * (b[b1 + p] as number);
        s11 += u * (b[b1 + p + 1] as number);
      }
      if (odd) {
        s00 += (a[ai + K2] as number) * (b[b0 + K2] as number);
        s10 += (a[ai + K2] as number) * (b[b1 + K2] as number);
      }
      put(c, ci + j, s00 + s01, acc);
      put(c, ci + j + 1, s10 + s11, acc);
    }
    if (j < N) dotNT(K2, odd, a, ai, b, bOff + j * K, c, ci + j, acc);
  }
}

/** One element of A·Bᵀ, in the even/odd order above. */
function dotNT(
  K2: number,
  odd: number,
  a: FloatArray,
  ai: number,
  b: FloatArray,
  bj: number,
  c: FloatArray,
  ci: number,
  acc: boolean,
): void {
  let s0 = 0;
  let s1 = 0;
  for (let p = 0; p < K2; p += 2) {
    s0 += (a[ai + p] as number) * (b[bj + p] as number);
    s1 += (a[ai + p + 1] as number) * (b[bj + p + 1] as number);
  }
  if (odd) s0 += (a[ai + K2] as number) * (b[bj + K2] as number);
  put(c, ci, s0 + s1, acc);
}

/**
 * c (M, N) (+)= Σ_p A(i, p) · b[p, :] where A(i, p) = a[aOff + i·sI + p·sP]: the shared body of A·B
 * (sI = K, sP = 1) and Aᵀ·B (sI = 1, sP = M). A block of 2 rows × 4 columns of c stays in eight
 * local sums for the whole of p, so each A value loaded feeds four multiply-adds and each B value two.
 */
function gemmRows(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  aOff: number,
  sI: number,
  sP: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  acc: boolean,
): void {
  let i = 0;
  for (; i + 1 < M; i += 2) {
    const r0 = aOff + i * sI;
    const r1 = r0 + sI;
    const c0 = cOff + i * N;
    const c1 = c0 + N;
    let j = 0;
    for (; j + 3 < N; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0; // biome-ignore format: a block of accumulators
      for (let p = 0, q = 0, bp = bOff + j; p < K; p++, q += sP, bp += N) {
        const x0 = a[r0 + q] as number;
        const x1 = a[r1 + q] as number;
        const y0 = b[bp] as number;
        const y1 = b[bp + 1] as number;
        const y2 = b[bp + 2] as number;
        const y3 = b[bp + 3] as number;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      put(c, c0 + j, s00, acc);
      put(c, c0 + j + 1, s01, acc);
      put(c, c0 + j + 2, s02, acc);
      put(c, c0 + j + 3, s03, acc);
      put(c, c1 + j, s10, acc);
      put(c, c1 + j + 1, s11, acc);
      put(c, c1 + j + 2, s12, acc);
      put(c, c1 + j + 3, s13, acc);
    }
    for (; j < N; j++) {
      put(c, c0 + j, dotRows(K, a, r0, sP, b, bOff + j, N), acc);
      put(c, c1 + j, dotRows(K, a, r1, sP, b, bOff + j, N), acc);
    }
  }
  if (i < M) {
    const r = aOff + i * sI;
    const ci = cOff + i * N;
    let j = 0;
    for (; j + 3 < N; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // biome-ignore format: a block of accumulators
      for (let p = 0, q = r, bp = bOff + j; p < K; p++, q += sP, bp += N) {
        const x = a[q] as number;
        s0 += x * (b[bp] as number);
        s1 += x * (b[bp + 1] as number);
        s2 += x * (b[bp + 2] as number);
        s3 += x * (b[bp + 3] as number);
      }
      put(c, ci + j, s0, acc);
      put(c, ci + j + 1, s1, acc);
      put(c, ci + j + 2, s2, acc);
      put(c, ci + j + 3, s3, acc);
    }
    for (; j < N; j++) put(c, ci + j, dotRows(K, a, r, sP, b, bOff + j, N), acc);
  }
}

/** Σ_p A(i, p)·b[p, j], in order from p = 0. */
function dotRows(K: number, a: FloatArray, r: number, sP: number, b: FloatArray, bj: number, N: number): number {
  let s = 0;
  for (let p = 0; p < K; p++) s += (a[r + p * sP] as number) * (b[bj + p * N] as number);
  return s;
}

/** c[i] ← s, or c[i] ← c[i] + s. */
function put(c: FloatArray, i: number, s: number, acc: boolean): void {
  c[i] = acc ? (c[i] as number) + s : s;
}

/** c (M, N) (+)= a (M, K) · b (K, N). */
export function tsGemmNN(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  acc: boolean,
): void {
  gemmRows(M, N, K, a, aOff, K, 1, b, bOff, c, cOff, acc);
}

/** c (M, N) (+)= a (K, M)ᵀ · b (K, N). */
export function tsGemmTN(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  acc: boolean,
): void {
  gemmRows(M, N, K, a, aOff, 1, M, b, bOff, c, cOff, acc);
}
