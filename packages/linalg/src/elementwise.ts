/**
 * Elementwise arithmetic and the two broadcasts an RNN needs: adding a bias row to every row of a
 * batch (forward) and summing a batch over its rows (the bias gradient, backward).
 *
 * `out` may alias an input in every `…Into` / `…Accumulate` here (each element is read before it is
 * written), so `addInto(a, a, b)` is a valid in-place add.
 */
import { allocLike, assertSameDType, assertSameShape, assertShape, type FloatArray, Matrix } from "./matrix.js";

function prepare<F extends FloatArray>(fn: string, out: Matrix<F> | null, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  assertSameShape(fn, "a", a, "b", b);
  assertSameDType(fn, "a", a, "b", b);
  if (out === null) return new Matrix(a.rows, a.cols, allocLike(a.data, a.data.length));
  assertSameShape(fn, "a", a, "out", out);
  assertSameDType(fn, "a", a, "out", out);
  return out;
}

/** out = a + b. */
export function addInto<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  const o = prepare("addInto", out, a, b).data;
  const x = a.data;
  const y = b.data;
  for (let k = 0; k < o.length; k++) o[k] = (x[k] as number) + (y[k] as number);
  return out;
}
/** a + b → new. */
export function add<F extends FloatArray>(a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return addInto(prepare("add", null, a, b), a, b);
}

/** out = a − b. */
export function subInto<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  const o = prepare("subInto", out, a, b).data;
  const x = a.data;
  const y = b.data;
  for (let k = 0; k < o.length; k++) o[k] = (x[k] as number) - (y[k] as number);
  return out;
}
/** a − b → new. */
export function sub<F extends FloatArray>(a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return subInto(prepare("sub", null, a, b), a, b);
}

/** out = a ⊙ b (elementwise product). */
export function hadamardInto<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  const o = prepare("hadamardInto", out, a, b).data;
  const x = a.data;
  const y = b.data;
  for (let k = 0; k < o.length; k++) o[k] = (x[k] as number) * (y[k] as number);
  return out;
}
/** a ⊙ b → new. */
export function hadamard<F extends FloatArray>(a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  return hadamardInto(prepare("hadamard", null, a, b), a, b);
}
/** out += a ⊙ b. */
export function hadamardAccumulate<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, b: Matrix<F>): Matrix<F> {
  const o = prepare("hadamardAccumulate", out, a, b).data;
  const x = a.data;
  const y = b.data;
  for (let k = 0; k < o.length; k++) o[k] = (o[k] as number) + (x[k] as number) * (y[k] as number);
  return out;
}

/** out = α · a. */
export function scaleInto<F extends FloatArray>(out: Matrix<F>, a: Matrix<F>, alpha: number): Matrix<F> {
  const o = prepare("scaleInto", out, a, a).data;
  const x = a.data;
  for (let k = 0; k < o.length; k++) o[k] = alpha * (x[k] as number);
  return out;
}
/** α · a → new. */
export function scale<F extends FloatArray>(a: Matrix<F>, alpha: number): Matrix<F> {
  return scaleInto(prepare("scale", null, a, a), a, alpha);
}

/** y += α · x (BLAS axpy, in place on y). Returns y. */
export function axpyAccumulate<F extends FloatArray>(y: Matrix<F>, alpha: number, x: Matrix<F>): Matrix<F> {
  const o = prepare("axpyAccumulate", y, x, x).data;
  const d = x.data;
  for (let k = 0; k < o.length; k++) o[k] = (o[k] as number) + alpha * (d[k] as number);
  return y;
}
/** α · x + y → new (neither input changes). */
export function axpy<F extends FloatArray>(alpha: number, x: Matrix<F>, y: Matrix<F>): Matrix<F> {
  const out = prepare("axpy", null, x, y);
  out.data.set(y.data);
  return axpyAccumulate(out, alpha, x);
}

/** out = m + v broadcast over rows; m (R, C), v (1, C). The forward of a bias. */
export function addRowVectorInto<F extends FloatArray>(out: Matrix<F>, m: Matrix<F>, v: Matrix<F>): Matrix<F> {
  assertShape("addRowVectorInto", "v", v, [1, m.cols], "(1, C)");
  assertSameDType("addRowVectorInto", "m", m, "v", v);
  prepare("addRowVectorInto", out, m, m);
  const C = m.cols;
  const o = out.data;
  const x = m.data;
  const b = v.data;
  for (let i = 0; i < m.rows; i++) {
    const r = i * C;
    for (let j = 0; j < C; j++) o[r + j] = (x[r + j] as number) + (b[j] as number);
  }
  return out;
}
/** m + v broadcast over rows → new; m (R, C), v (1, C). */
export function addRowVector<F extends FloatArray>(m: Matrix<F>, v: Matrix<F>): Matrix<F> {
  return addRowVectorInto(prepare("addRowVector", null, m, m), m, v);
}

/** out (1, C) += Σ_i m[i, :]; m (R, C). The backward of a bias: db += Σ_b da. */
export function sumRowsAccumulate<F extends FloatArray>(out: Matrix<F>, m: Matrix<F>): Matrix<F> {
  assertShape("sumRowsAccumulate", "out", out, [1, m.cols], "(1, C)");
  assertSameDType("sumRowsAccumulate", "m", m, "out", out);
  const C = m.cols;
  const o = out.data;
  const x = m.data;
  for (let i = 0; i < m.rows; i++) {
    const r = i * C;
    for (let j = 0; j < C; j++) o[j] = (o[j] as number) + (x[r + j] as number);
  }
  return out;
}
/** Σ_i m[i, :] → new (1, C). */
export function sumRows<F extends FloatArray>(m: Matrix<F>): Matrix<F> {
  return sumRowsAccumulate(new Matrix(1, m.cols, allocLike(m.data, m.cols)), m);
}

/** Σ of every element. */
export function sumAll(m: Matrix<FloatArray>): number {
  let s = 0;
  const x = m.data;
  for (let k = 0; k < x.length; k++) s += x[k] as number;
  return s;
}
