/**
 * Naive reference matrix products: the textbook triple loop, kept forever as the definition the fast
 * kernels in matmul.ts are tested against. Read these first; they are the documentation.
 */
import { ShapeError } from "./errors.js";
import { assertSameDType, dtypeOf, type FloatArray, type Matrix, zeros } from "./matrix.js";

/** C[i][j] = Σ_p A[i][p] · B[p][j];  A (M, K), B (K, N) → C (M, N). */
export function matmulNaive<F extends FloatArray>(a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  assertSameDType("matmulNaive", "a", a, "b", b);
  if (b.rows !== a.cols) throw new ShapeError("matmulNaive", "b", b.shape, [a.cols, null], "(K, N)");
  const c = zeros(a.rows, b.cols, dtypeOf(a.data)) as Matrix<FloatArray> as Matrix<F>;
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let p = 0; p < a.cols; p++) s += a.get(i, p) * b.get(p, j);
      c.set(i, j, s);
    }
  }
  return c;
}

/** C[i][j] = Σ_p A[i][p] · B[j][p];  A (M, K), B (N, K) → C = A·Bᵀ (M, N). */
export function matmulTransBNaive<F extends FloatArray>(a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  assertSameDType("matmulTransBNaive", "a", a, "b", b);
  if (b.cols !== a.cols) throw new ShapeError("matmulTransBNaive", "b", b.shape, [null, a.cols], "(N, K)");
  const c = zeros(a.rows, b.rows, dtypeOf(a.data)) as Matrix<FloatArray> as Matrix<F>;
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.rows; j++) {
      let s = 0;
      for (let p = 0; p < a.cols; p++) s += a.get(i, p) * b.get(j, p);
      c.set(i, j, s);
    }
  }
  return c;
}

/** C[i][j] = Σ_p A[p][i] · B[p][j];  A (K, M), B (K, N) → C = Aᵀ·B (M, N). */
export function matmulTransANaive<F extends FloatArray>(a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  assertSameDType("matmulTransANaive", "a", a, "b", b);
  if (b.rows !== a.rows) throw new ShapeError("matmulTransANaive", "b", b.shape, [a.rows, null], "(K, N)");
  const c = zeros(a.cols, b.cols, dtypeOf(a.data)) as Matrix<FloatArray> as Matrix<F>;
  for (let i = 0; i < a.cols; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let p = 0; p < a.rows; p++) s += a.get(p, i) * b.get(p, j);
      c.set(i, j, s);
    }
  }
  return c;
}
