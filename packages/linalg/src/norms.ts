/** Norms and distances, over matrices or plain flat arrays. */
import { assertSameShape, type FloatArray, type Matrix } from "./matrix.js";

/** √(Σ x_k²) over a flat array (the L2 norm of a vector). */
export function vectorNorm(x: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) {
    const v = x[k] as number;
    s += v * v;
  }
  return Math.sqrt(s);
}

/** Frobenius norm √(Σ_ij m_ij²). */
export function frobeniusNorm(m: Matrix<FloatArray>): number {
  return vectorNorm(m.data);
}

/** max_ij |m_ij| (0 for an empty matrix, NaN if any element is NaN). */
export function maxAbs(m: Matrix<FloatArray> | ArrayLike<number>): number {
  const x = "data" in m ? m.data : m;
  let r = 0;
  for (let k = 0; k < x.length; k++) {
    const v = Math.abs(x[k] as number);
    if (Number.isNaN(v)) return Number.NaN;
    if (v > r) r = v;
  }
  return r;
}

/** max_ij |a_ij − b_ij|; the shapes must agree. NaN if any difference is NaN. */
export function maxAbsDiff(a: Matrix<FloatArray>, b: Matrix<FloatArray>): number {
  assertSameShape("maxAbsDiff", "a", a, "b", b);
  let r = 0;
  for (let k = 0; k < a.data.length; k++) {
    const v = Math.abs((a.data[k] as number) - (b.data[k] as number));
    if (Number.isNaN(v)) return Number.NaN;
    if (v > r) r = v;
  }
  return r;
}

/** ⟨a, b⟩ = Σ_ij a_ij b_ij (the Frobenius inner product); the shapes must agree. */
export function dot(a: Matrix<FloatArray>, b: Matrix<FloatArray>): number {
  assertSameShape("dot", "a", a, "b", b);
  let s = 0;
  for (let k = 0; k < a.data.length; k++) s += (a.data[k] as number) * (b.data[k] as number);
  return s;
}

/** True when every element is finite (no NaN, no ±∞). */
export function allFinite(x: ArrayLike<number>): boolean {
  for (let k = 0; k < x.length; k++) if (!Number.isFinite(x[k] as number)) return false;
  return true;
}
