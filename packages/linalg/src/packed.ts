/**
 * A right operand laid out once for many products: a recurrent weight is the B of hₜ₋₁·W_hhᵀ (and of
 * dzₜ·W_hh) at every one of T steps, so rnn-core prepares it once per sequence here instead of the
 * float32 kernel copying it into cache-friendly panels at every step (kernel tier: nothing checked).
 *
 *   panels (float32, WebAssembly):  panel q = columns [8q, 8q + 8) of B as K rows of 8 floats,
 *                                   zeros past column N; panel q starts at float 8·K·q
 *   rows (everything else, and products of fewer than 16 rows):  B row-major (K, N), read by gemmNN
 *
 * The layout follows the kernel that will read it, so float64 products (and the TypeScript backend)
 * are unchanged, bit for bit; float32 ones agree with gemmNN's to rounding (packed.test.ts).
 */
import { kernelsInUse } from "./backend/select.js";
import { gemmNN, PANEL_ROWS, packedLength, packedProduct, packPanels } from "./kernels.js";
import type { FloatArray } from "./matrix.js";

export { packedLength };

/** B (K, N) as packRight laid it out for gemmPacked. */
export interface PackedRight {
  K: number;
  N: number;
  /** At least packedLength(K, N) floats; in WebAssembly memory (allocFast) for the fast layout. */
  readonly data: FloatArray;
  /** true: `data` holds panels of 8 columns, for the float32 WebAssembly kernel; false: B is row-major. */
  panels: boolean;
  /** Row-major B when not in panels: `data` (a transposed copy), or the caller's b itself, at `rowsOff`. */
  rows: FloatArray;
  rowsOff: number;
}

/** An empty PackedRight over `data`, to be filled by packRight. */
export function packedRight(data: FloatArray): PackedRight {
  return { K: 0, N: 0, data, panels: false, rows: data, rowsOff: 0 };
}

/**
 * Lays out B (K, N) for products of M rows each: B = b[bOff…] row-major (K, N), or with `transposed`
 * B = bᵀ where b is (N, K). Without panels an untransposed b is used where it is, not copied.
 */
export function packRight(
  out: PackedRight,
  K: number,
  N: number,
  b: FloatArray,
  bOff: number,
  transposed: boolean,
  M: number,
): void {
  const d = out.data;
  const k = kernelsInUse();
  out.K = K;
  out.N = N;
  out.panels = M >= PANEL_ROWS && d instanceof Float32Array && k?.memory.owns(d) === true;
  const inPlace = !out.panels && !transposed;
  out.rows = inPlace ? b : d;
  out.rowsOff = inPlace ? bOff : 0;
  // B(p, j) = b[bOff + p·N + j], or b[bOff + j·K + p] when transposed
  const sP = transposed ? 1 : N;
  const sJ = transposed ? K : 1;
  if (!out.panels) {
    if (transposed)
      for (let p = 0; p < K; p++) for (let j = 0; j < N; j++) d[p * N + j] = b[bOff + p * sP + j * sJ] as number;
    return;
  }
  packPanels(d, K, N, b, bOff, sP, sJ);
}

/** c[cOff…] (M, N) (+)= a[aOff…] (M, K) · B, for B (K, N) laid out by packRight. */
export function gemmPacked(
  M: number,
  a: FloatArray,
  aOff: number,
  B: PackedRight,
  c: FloatArray,
  cOff: number,
  acc: boolean,
): void {
  const { K, N } = B;
  if (!B.panels) {
    gemmNN(M, N, K, a, aOff, B.rows, B.rowsOff, c, cOff, acc);
    return;
  }
  const k = kernelsInUse();
  if (k === null || !(a instanceof Float32Array && c instanceof Float32Array && k.memory.owns(a) && k.memory.owns(c))) {
    tsGemmPanels(M, N, K, a, aOff, B.data, c, cOff, acc);
    return;
  }
  packedProduct(k, M, N, K, a.byteOffset + 4 * aOff, B.data.byteOffset, c.byteOffset + 4 * cOff, acc ? 1 : 0);
}

/** The readable reference for gemm_packed_f32: each element's sum in order from p = 0. */
export function tsGemmPanels(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  aOff: number,
  panels: FloatArray,
  c: FloatArray,
  cOff: number,
  acc: boolean,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      const at = (j & ~7) * K + (j & 7); // B(0, j) in its panel; B(p, j) is 8·p further
      let s = 0;
      for (let p = 0; p < K; p++) s += (a[aOff + i * K + p] as number) * (panels[at + 8 * p] as number);
      const q = cOff + i * N + j;
      c[q] = acc ? (c[q] as number) + s : s;
    }
  }
}
