/**
 * Register-blocked matrix-product kernels over flat row-major arrays: the fast paths behind
 * matmul.ts. Each computes a small block of C per pass so that every value loaded from memory feeds
 * several multiply-adds (a 2×4 block of dot products for A·Bᵀ; two rows of C × four terms of the sum
 * for A·B and Aᵀ·B). Edges fall back to plain loops. `acc` = false overwrites c, true adds into it.
 * Summation order differs from the naive triple loop, so results agree to rounding (the property
 * tests in matmul.test.ts hold them to 1e-12 in float64).
 */
import type { FloatArray } from "./matrix.js";

/** c (M, N) (+)= a (M, K) · b (N, K)ᵀ — dot products of rows, 2 rows of a × 4 rows of b per pass. */
export function gemmNT(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  acc: boolean,
): void {
  let i = 0;
  for (; i + 1 < M; i += 2) {
    const a0 = i * K;
    const a1 = a0 + K;
    let j = 0;
    for (; j + 3 < N; j += 4) {
      const b0 = j * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0; // biome-ignore format: a block of accumulators
      for (let p = 0; p < K; p++) {
        const x0 = a[a0 + p] as number;
        const x1 = a[a1 + p] as number;
        const y0 = b[b0 + p] as number;
        const y1 = b[b1 + p] as number;
        const y2 = b[b2 + p] as number;
        const y3 = b[b3 + p] as number;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      const c0 = i * N + j;
      const c1 = c0 + N;
      if (acc) {
        c[c0] = (c[c0] as number) + s00;
        c[c0 + 1] = (c[c0 + 1] as number) + s01;
        c[c0 + 2] = (c[c0 + 2] as number) + s02;
        c[c0 + 3] = (c[c0 + 3] as number) + s03;
        c[c1] = (c[c1] as number) + s10;
        c[c1 + 1] = (c[c1 + 1] as number) + s11;
        c[c1 + 2] = (c[c1 + 2] as number) + s12;
        c[c1 + 3] = (c[c1 + 3] as number) + s13;
      } else {
        c[c0] = s00;
        c[c0 + 1] = s01;
        c[c0 + 2] = s02;
        c[c0 + 3] = s03;
        c[c1] = s10;
        c[c1 + 1] = s11;
        c[c1 + 2] = s12;
        c[c1 + 3] = s13;
      }
    }
    for (; j < N; j++) {
      const bj = j * K;
      let s0 = 0;
      let s1 = 0;
      for (let p = 0; p < K; p++) {
        const y = b[bj + p] as number;
        s0 += (a[a0 + p] as number) * y;
        s1 += (a[a1 + p] as number) * y;
      }
      const c0 = i * N + j;
      c[c0] = acc ? (c[c0] as number) + s0 : s0;
      c[c0 + N] = acc ? (c[c0 + N] as number) + s1 : s1;
    }
  }
  for (; i < M; i++) {
    const ai = i * K;
    for (let j = 0; j < N; j++) {
      const bj = j * K;
      let s0 = 0;
      let s1 = 0;
      let p = 0;
      for (; p + 1 < K; p += 2) {
        s0 += (a[ai + p] as number) * (b[bj + p] as number);
        s1 += (a[ai + p + 1] as number) * (b[bj + p + 1] as number);
      }
      if (p < K) s0 += (a[ai + p] as number) * (b[bj + p] as number);
      const ci = i * N + j;
      c[ci] = acc ? (c[ci] as number) + (s0 + s1) : s0 + s1;
    }
  }
}

/**
 * c (M, N) (+)= Σ_p A(i, p) · b[p, :] where A(i, p) = a[i·sI + p·sP]: the shared body of A·B
 * (sI = K, sP = 1) and Aᵀ·B (sI = 1, sP = M). Two rows of c and four terms of the sum per pass.
 */
function gemmRows(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  sI: number,
  sP: number,
  b: FloatArray,
  c: FloatArray,
  acc: boolean,
): void {
  if (!acc) c.fill(0, 0, M * N);
  let i = 0;
  for (; i + 1 < M; i += 2) {
    const c0 = i * N;
    const c1 = c0 + N;
    const r0 = i * sI;
    const r1 = r0 + sI;
    let p = 0;
    for (; p + 3 < K; p += 4) {
      const q = p * sP;
      const x00 = a[r0 + q] as number;
      const x01 = a[r0 + q + sP] as number;
      const x02 = a[r0 + q + 2 * sP] as number;
      const x03 = a[r0 + q + 3 * sP] as number;
      const x10 = a[r1 + q] as number;
      const x11 = a[r1 + q + sP] as number;
      const x12 = a[r1 + q + 2 * sP] as number;
      const x13 = a[r1 + q + 3 * sP] as number;
      const b0 = p * N;
      const b1 = b0 + N;
      const b2 = b1 + N;
      const b3 = b2 + N;
      for (let j = 0; j < N; j++) {
        const y0 = b[b0 + j] as number;
        const y1 = b[b1 + j] as number;
        const y2 = b[b2 + j] as number;
        const y3 = b[b3 + j] as number;
        c[c0 + j] = (c[c0 + j] as number) + (x00 * y0 + x01 * y1 + x02 * y2 + x03 * y3);
        c[c1 + j] = (c[c1 + j] as number) + (x10 * y0 + x11 * y1 + x12 * y2 + x13 * y3);
      }
    }
    for (; p < K; p++) {
      const x0 = a[r0 + p * sP] as number;
      const x1 = a[r1 + p * sP] as number;
      const bp = p * N;
      for (let j = 0; j < N; j++) {
        const y = b[bp + j] as number;
        c[c0 + j] = (c[c0 + j] as number) + x0 * y;
        c[c1 + j] = (c[c1 + j] as number) + x1 * y;
      }
    }
  }
  for (; i < M; i++) {
    const ci = i * N;
    const r = i * sI;
    let p = 0;
    for (; p + 3 < K; p += 4) {
      const x0 = a[r + p * sP] as number;
      const x1 = a[r + (p + 1) * sP] as number;
      const x2 = a[r + (p + 2) * sP] as number;
      const x3 = a[r + (p + 3) * sP] as number;
      const b0 = p * N;
      for (let j = 0; j < N; j++) {
        c[ci + j] =
          (c[ci + j] as number) +
          (x0 * (b[b0 + j] as number) +
            x1 * (b[b0 + N + j] as number) +
            x2 * (b[b0 + 2 * N + j] as number) +
            x3 * (b[b0 + 3 * N + j] as number));
      }
    }
    for (; p < K; p++) {
      const x = a[r + p * sP] as number;
      const bp = p * N;
      for (let j = 0; j < N; j++) c[ci + j] = (c[ci + j] as number) + x * (b[bp + j] as number);
    }
  }
}

/** c (M, N) (+)= a (M, K) · b (K, N). */
export function gemmNN(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  acc: boolean,
): void {
  gemmRows(M, N, K, a, K, 1, b, c, acc);
}

/** c (M, N) (+)= a (K, M)ᵀ · b (K, N). */
export function gemmTN(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  acc: boolean,
): void {
  gemmRows(M, N, K, a, 1, M, b, c, acc);
}
