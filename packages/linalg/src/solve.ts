/**
 * Solving symmetric positive-definite systems by Cholesky factorisation, and least squares through
 * the (ridge-regularised) normal equations: enough for the linear baselines every model is compared
 * with. Float64 only.
 */
import { DataError, ShapeError } from "./errors.js";
import { fromArray, Matrix, zeros } from "./matrix.js";

/** A = L·Lᵀ in place (lower triangle holds L; the upper is zeroed). Throws if A is not positive definite. */
export function choleskyInPlace(A: Matrix<Float64Array>): Matrix<Float64Array> {
  const n = A.rows;
  if (A.cols !== n) throw new ShapeError("choleskyInPlace", "A", A.shape, [n, n], "(n, n)");
  const a = A.data;
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * n + k] as number) ** 2;
    if (!(d > 0)) throw new DataError(`choleskyInPlace: the matrix is not positive definite (pivot ${j} is ${d})`);
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * n + k] as number) * (a[j * n + k] as number);
      a[i * n + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) a[j * n + k] = 0;
  }
  return A;
}

/** Solves A·X = B for symmetric positive-definite A (n, n) and B (n, m); A and B are not modified. */
export function solveSpd(A: Matrix<Float64Array>, B: Matrix<Float64Array>): Matrix<Float64Array> {
  const n = A.rows;
  if (B.rows !== n) throw new ShapeError("solveSpd", "B", B.shape, [n, null], "(n, m)");
  const L = choleskyInPlace(fromArray(A.data, n, n));
  const m = B.cols;
  const X = fromArray(B.data, n, m);
  const l = L.data;
  const x = X.data;
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      // forward: L·z = b
      let s = x[i * m + c] as number;
      for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (x[k * m + c] as number);
      x[i * m + c] = s / (l[i * n + i] as number);
    }
    for (let i = n - 1; i >= 0; i--) {
      // backward: Lᵀ·x = z
      let s = x[i * m + c] as number;
      for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k * m + c] as number);
      x[i * m + c] = s / (l[i * n + i] as number);
    }
  }
  return X;
}

/**
 * Least squares with an intercept: W (K+1, O) minimising ‖[X 1]·W − Y‖² + λ‖W_{:K}‖², for X (N, K),
 * Y (N, O). The last row of W is the intercept (not penalised). λ = 0 is plain least squares; a tiny λ
 * keeps a rank-deficient X (collinear lags) solvable.
 */
export function leastSquares(X: Matrix<Float64Array>, Y: Matrix<Float64Array>, lambda = 0): Matrix<Float64Array> {
  return leastSquaresRows(rowsOf(X), Y, lambda);
}

/** The rows of a design matrix, given one at a time: a matrix, or windows over a series never copied out. */
export interface Rows {
  readonly rows: number;
  readonly cols: number;
  /** Row n (cols values); read before the next call. */
  row(n: number): Float64Array;
}

/** A matrix's rows as views. */
export function rowsOf(X: Matrix<Float64Array>): Rows {
  const [N, K] = X.shape;
  return { rows: N, cols: K, row: (n) => X.data.subarray(n * K, (n + 1) * K) };
}

/** leastSquares on rows given one at a time (the same sums, in the same order). */
export function leastSquaresRows(X: Rows, Y: Matrix<Float64Array>, lambda = 0): Matrix<Float64Array> {
  const [N, K] = [X.rows, X.cols];
  if (Y.rows !== N) throw new ShapeError("leastSquares", "Y", Y.shape, [N, null], "(N, O)");
  const O = Y.cols;
  const P = K + 1;
  const G = zeros(P, P); // [X 1]ᵀ[X 1]
  const R = zeros(P, O); // [X 1]ᵀY
  const row = new Float64Array(P);
  for (let n = 0; n < N; n++) {
    row.set(X.row(n));
    row[K] = 1;
    for (let i = 0; i < P; i++) {
      const ri = row[i] as number;
      if (ri === 0) continue;
      // the upper triangle only: G is symmetric, and its lower half gets the same sums below
      for (let j = i; j < P; j++) G.data[i * P + j] = (G.data[i * P + j] as number) + ri * (row[j] as number);
      for (let o = 0; o < O; o++)
        R.data[i * O + o] = (R.data[i * O + o] as number) + ri * (Y.data[n * O + o] as number);
    }
  }
  for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) G.data[i * P + j] = G.data[j * P + i] as number;
  for (let i = 0; i < K; i++) G.data[i * P + i] = (G.data[i * P + i] as number) + lambda;
  return solveSpd(G, R);
}

/** Predictions [X 1]·W for a fitted leastSquares W. */
export function predictLinear(X: Matrix<Float64Array>, W: Matrix<Float64Array>): Matrix<Float64Array> {
  return predictLinearRows(rowsOf(X), W);
}

/** predictLinear on rows given one at a time. */
export function predictLinearRows(X: Rows, W: Matrix<Float64Array>): Matrix<Float64Array> {
  const [N, K] = [X.rows, X.cols];
  if (W.rows !== K + 1) throw new ShapeError("predictLinear", "W", W.shape, [K + 1, null], "(K+1, O)");
  const O = W.cols;
  const out = new Matrix(N, O, new Float64Array(N * O));
  for (let n = 0; n < N; n++) {
    const x = X.row(n);
    for (let o = 0; o < O; o++) {
      let s = W.data[K * O + o] as number;
      for (let k = 0; k < K; k++) s += (x[k] as number) * (W.data[k * O + o] as number);
      out.data[n * O + o] = s;
    }
  }
  return out;
}
