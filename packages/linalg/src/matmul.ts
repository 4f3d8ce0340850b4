/**
 * Matrix products, in the three layouts backpropagation needs, without ever materialising a transpose:
 *
 *   matmulTransB  C = A · Bᵀ     A (M, K), B (N, K)   forward:  a = x · W_ihᵀ
 *   matmul        C = A · B      A (M, K), B (K, N)   backward: dx = da · W_ih
 *   matmulTransA  C = Aᵀ · B     A (K, M), B (K, N)   backward: dW_ih += daᵀ · x
 *
 * Each comes in three forms: allocating (`matmul`), write-into (`matmulInto(out, …)`), and
 * accumulate-into (`matmulAccumulate(out, …)`, out += …) so that BPTT can sum gradients over time
 * steps without temporaries. `out` must not share storage with `a` or `b`.
 *
 * The kernels live in kernels.ts (WebAssembly SIMD, or the TypeScript ones in gemm.ts); their naive
 * triple-loop references in matmul-naive.ts, and property tests hold them together.
 */
import { DTypeError, ShapeError } from "./errors.js";
import { gemmNN, gemmNT, gemmTN } from "./kernels.js";
import { assertSameDType, dtypeOf, type FloatArray, type Matrix, zeros } from "./matrix.js";

// ---------------------------------------------------------------------------------------------
// Checked Matrix API.

type Layout = "NN" | "NT" | "TN";

/** Validates shapes and dtypes; returns [M, N, K]. */
function check(fn: string, layout: Layout, a: Matrix<FloatArray>, b: Matrix<FloatArray>): [number, number, number] {
  assertSameDType(fn, "a", a, "b", b);
  if (layout === "NN") {
    if (b.rows !== a.cols) throw new ShapeError(fn, "b", b.shape, [a.cols, null], "(K, N) with K = a.cols");
    return [a.rows, b.cols, a.cols];
  }
  if (layout === "NT") {
    if (b.cols !== a.cols) throw new ShapeError(fn, "b", b.shape, [null, a.cols], "(N, K) with K = a.cols");
    return [a.rows, b.rows, a.cols];
  }
  if (b.rows !== a.rows) throw new ShapeError(fn, "b", b.shape, [a.rows, null], "(K, N) with K = a.rows");
  return [a.cols, b.cols, a.rows];
}

function checkOut(
  fn: string,
  out: Matrix<FloatArray>,
  a: Matrix<FloatArray>,
  b: Matrix<FloatArray>,
  M: number,
  N: number,
): void {
  if (out.rows !== M || out.cols !== N) throw new ShapeError(fn, "out", out.shape, [M, N], "(M, N)");
  if (out.data instanceof Float32Array !== a.data instanceof Float32Array) {
    throw new DTypeError(fn, "out", dtypeOf(out.data), dtypeOf(a.data));
  }
  if (out.data.buffer === a.data.buffer || out.data.buffer === b.data.buffer) {
    if (overlaps(out.data, a.data) || overlaps(out.data, b.data)) {
      throw new ShapeError(fn, "out", out.shape, [M, N], "(storage disjoint from a and b)");
    }
  }
}

function overlaps(x: FloatArray, y: FloatArray): boolean {
  if (x.buffer !== y.buffer) return false;
  const x0 = x.byteOffset;
  const y0 = y.byteOffset;
  return x0 < y0 + y.byteLength && y0 < x0 + x.byteLength && x.length > 0 && y.length > 0;
}

const KERNELS = { NN: gemmNN, NT: gemmNT, TN: gemmTN } as const;

function run<F extends FloatArray>(
  fn: string,
  layout: Layout,
  out: Matrix<F> | null,
  a: Matrix<F>,
  b: Matrix<F>,
  acc: boolean,
): Matrix<F> {
  const [M, N, K] = check(fn, layout, a, b);
  const c = out ?? (zeros(M, N, dtypeOf(a.data)) as Matrix<FloatArray> as Matrix<F>);
  if (out) checkOut(fn, out, a, b, M, N);
  KERNELS[layout](M, N, K, a.data, 0, b.data, 0, c.data, 0, acc);
  return c;
}

/** A (M, K) · B (K, N) → new (M, N). */
export function matmul<F extends FloatArray>(a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return run("matmul", "NN", null, a, b, false);
}
/** out (M, N) = A (M, K) · B (K, N). Returns out. */
export function matmulInto<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return run("matmulInto", "NN", out, a, b, false);
}
/** out (M, N) += A (M, K) · B (K, N). Returns out. */
export function matmulAccumulate<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return run("matmulAccumulate", "NN", out, a, b, true);
}

/** A (M, K) · Bᵀ with B (N, K) → new (M, N). */
export function matmulTransB<F extends FloatArray>(a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return run("matmulTransB", "NT", null, a, b, false);
}
/** out (M, N) = A (M, K) · Bᵀ, B (N, K). Returns out. */
export function matmulTransBInto<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return run("matmulTransBInto", "NT", out, a, b, false);
}
/** out (M, N) += A (M, K) · Bᵀ, B (N, K). Returns out. */
export function matmulTransBAccumulate<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return run("matmulTransBAccumulate", "NT", out, a, b, true);
}

/** Aᵀ · B with A (K, M), B (K, N) → new (M, N). */
export function matmulTransA<F extends FloatArray>(a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return run("matmulTransA", "TN", null, a, b, false);
}
/** out (M, N) = Aᵀ · B, A (K, M), B (K, N). Returns out. */
export function matmulTransAInto<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return run("matmulTransAInto", "TN", out, a, b, false);
}
/** out (M, N) += Aᵀ · B, A (K, M), B (K, N). Returns out. */
export function matmulTransAAccumulate<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return run("matmulTransAAccumulate", "TN", out, a, b, true);
}
