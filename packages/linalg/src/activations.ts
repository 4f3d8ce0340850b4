/**
 * The three nonlinearities of an Elman RNN and their backward passes, side by side.
 *
 * Each backward takes the forward's *output* y (which the cache already holds) rather than its input:
 *   tanh:    y = tanh(x)           ⇒ dx = dy ⊙ (1 − y²)
 *   sigmoid: y = 1 / (1 + e^(−x))  ⇒ dx = dy ⊙ y ⊙ (1 − y)
 *   relu:    y = max(0, x)         ⇒ dx = dy ⊙ [y > 0]     (0 at x = 0, as PyTorch)
 * `out` / `dx` may alias an input.
 */
import { allocLike, assertSameDType, assertSameShape, type FloatArray, Matrix } from "./matrix.js";

function outFor<F extends FloatArray>(fn: string, out: Matrix<F> | null, x: Matrix<F>): Matrix<F> {
  if (out === null) return new Matrix(x.rows, x.cols, allocLike(x.data, x.data.length));
  assertSameShape(fn, "x", x, "out", out);
  assertSameDType(fn, "x", x, "out", out);
  return out;
}

function checkBackward(fn: string, dx: Matrix<FloatArray>, dy: Matrix<FloatArray>, y: Matrix<FloatArray>): void {
  assertSameShape(fn, "y", y, "dy", dy);
  assertSameShape(fn, "y", y, "dx", dx);
  assertSameDType(fn, "y", y, "dy", dy);
  assertSameDType(fn, "y", y, "dx", dx);
}

/** A numerically stable logistic function (no overflow for large |x|). */
export function sigmoidScalar(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// forward: y = tanh(x)
export function tanhInto<F extends FloatArray>(out: Matrix<F>, x: Matrix<F>): Matrix<F> {
  const o = outFor("tanhInto", out, x).data;
  const d = x.data;
  for (let k = 0; k < o.length; k++) o[k] = Math.tanh(d[k] as number);
  return out;
}
export function tanh<F extends FloatArray>(x: Matrix<F>): Matrix<F> {
  return tanhInto(outFor("tanh", null, x), x);
}
// backward of y = tanh(x): dx = dy ⊙ (1 − y²)
export function tanhBackwardInto<F extends FloatArray>(dx: Matrix<F>, dy: Matrix<F>, y: Matrix<F>): Matrix<F> {
  checkBackward("tanhBackwardInto", dx, dy, y);
  const o = dx.data;
  const g = dy.data;
  const v = y.data;
  for (let k = 0; k < o.length; k++) {
    const yk = v[k] as number;
    o[k] = (g[k] as number) * (1 - yk * yk);
  }
  return dx;
}
export function tanhBackward<F extends FloatArray>(dy: Matrix<F>, y: Matrix<F>): Matrix<F> {
  return tanhBackwardInto(outFor("tanhBackward", null, y), dy, y);
}

// forward: y = σ(x)
export function sigmoidInto<F extends FloatArray>(out: Matrix<F>, x: Matrix<F>): Matrix<F> {
  const o = outFor("sigmoidInto", out, x).data;
  const d = x.data;
  for (let k = 0; k < o.length; k++) o[k] = sigmoidScalar(d[k] as number);
  return out;
}
export function sigmoid<F extends FloatArray>(x: Matrix<F>): Matrix<F> {
  return sigmoidInto(outFor("sigmoid", null, x), x);
}
// backward of y = σ(x): dx = dy ⊙ y ⊙ (1 − y)
export function sigmoidBackwardInto<F extends FloatArray>(dx: Matrix<F>, dy: Matrix<F>, y: Matrix<F>): Matrix<F> {
  checkBackward("sigmoidBackwardInto", dx, dy, y);
  const o = dx.data;
  const g = dy.data;
  const v = y.data;
  for (let k = 0; k < o.length; k++) {
    const yk = v[k] as number;
    o[k] = (g[k] as number) * yk * (1 - yk);
  }
  return dx;
}
export function sigmoidBackward<F extends FloatArray>(dy: Matrix<F>, y: Matrix<F>): Matrix<F> {
  return sigmoidBackwardInto(outFor("sigmoidBackward", null, y), dy, y);
}

// forward: y = max(0, x)
export function reluInto<F extends FloatArray>(out: Matrix<F>, x: Matrix<F>): Matrix<F> {
  const o = outFor("reluInto", out, x).data;
  const d = x.data;
  for (let k = 0; k < o.length; k++) o[k] = Math.max(0, d[k] as number); // NaN stays NaN, as PyTorch
  return out;
}
export function relu<F extends FloatArray>(x: Matrix<F>): Matrix<F> {
  return reluInto(outFor("relu", null, x), x);
}
// backward of y = max(0, x): dx = dy ⊙ [y > 0]
export function reluBackwardInto<F extends FloatArray>(dx: Matrix<F>, dy: Matrix<F>, y: Matrix<F>): Matrix<F> {
  checkBackward("reluBackwardInto", dx, dy, y);
  const o = dx.data;
  const g = dy.data;
  const v = y.data;
  for (let k = 0; k < o.length; k++) o[k] = (v[k] as number) > 0 ? (g[k] as number) : 0;
  return dx;
}
export function reluBackward<F extends FloatArray>(dy: Matrix<F>, y: Matrix<F>): Matrix<F> {
  return reluBackwardInto(outFor("reluBackward", null, y), dy, y);
}
