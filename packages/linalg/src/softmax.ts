/**
 * Row-wise softmax and log-softmax, stable for any logits (the row maximum is subtracted first, so
 * e^z never overflows), and the softmax backward.
 *
 *   softmax:     p_j = e^(z_j − m) / Σ_k e^(z_k − m),   m = max_k z_k
 *   logSoftmax:  log p_j = z_j − m − log Σ_k e^(z_k − m)
 *   backward of p = softmax(z): dz = p ⊙ (dp − Σ_k dp_k p_k)
 */
import { allocLike, assertSameDType, assertSameShape, type FloatArray, Matrix } from "./matrix.js";

function outFor<F extends FloatArray>(fn: string, out: Matrix<F> | null, z: Matrix<F>): Matrix<F> {
  if (out === null) return new Matrix(z.rows, z.cols, allocLike(z.data, z.data.length));
  assertSameShape(fn, "z", z, "out", out);
  assertSameDType(fn, "z", z, "out", out);
  return out;
}

/** log Σ_j e^(z[r + j]) over one row of length C, computed stably (−∞ for an empty row). */
export function rowLogSumExp(z: FloatArray, r: number, C: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < C; j++) m = Math.max(m, z[r + j] as number);
  if (m === Number.NEGATIVE_INFINITY || Number.isNaN(m)) return m;
  let s = 0;
  for (let j = 0; j < C; j++) s += Math.exp((z[r + j] as number) - m);
  return m + Math.log(s);
}

/** out[i, :] = softmax(z[i, :]). `out` may alias `z`. */
export function softmaxRowsInto<F extends FloatArray>(out: Matrix<F>, z: Matrix<F>): Matrix<F> {
  outFor("softmaxRowsInto", out, z);
  const C = z.cols;
  const o = out.data;
  const x = z.data;
  for (let i = 0; i < z.rows; i++) {
    const r = i * C;
    const lse = rowLogSumExp(x, r, C);
    for (let j = 0; j < C; j++) o[r + j] = Math.exp((x[r + j] as number) - lse);
  }
  return out;
}
export function softmaxRows<F extends FloatArray>(z: Matrix<F>): Matrix<F> {
  return softmaxRowsInto(outFor("softmaxRows", null, z), z);
}

/** out[i, :] = log softmax(z[i, :]). `out` may alias `z`. */
export function logSoftmaxRowsInto<F extends FloatArray>(out: Matrix<F>, z: Matrix<F>): Matrix<F> {
  outFor("logSoftmaxRowsInto", out, z);
  const C = z.cols;
  const o = out.data;
  const x = z.data;
  for (let i = 0; i < z.rows; i++) {
    const r = i * C;
    const lse = rowLogSumExp(x, r, C);
    for (let j = 0; j < C; j++) o[r + j] = (x[r + j] as number) - lse;
  }
  return out;
}
export function logSoftmaxRows<F extends FloatArray>(z: Matrix<F>): Matrix<F> {
  return logSoftmaxRowsInto(outFor("logSoftmaxRows", null, z), z);
}

// backward of p = softmax(z): dz = p ⊙ (dp − Σ_k dp_k p_k), row by row. dz may alias dp.
export function softmaxRowsBackwardInto<F extends FloatArray>(dz: Matrix<F>, dp: Matrix<F>, p: Matrix<F>): Matrix<F> {
  assertSameShape("softmaxRowsBackwardInto", "p", p, "dp", dp);
  assertSameDType("softmaxRowsBackwardInto", "p", p, "dp", dp);
  outFor("softmaxRowsBackwardInto", dz, p);
  const C = p.cols;
  const o = dz.data;
  const g = dp.data;
  const y = p.data;
  for (let i = 0; i < p.rows; i++) {
    const r = i * C;
    let dot = 0;
    for (let j = 0; j < C; j++) dot += (g[r + j] as number) * (y[r + j] as number);
    for (let j = 0; j < C; j++) o[r + j] = (y[r + j] as number) * ((g[r + j] as number) - dot);
  }
  return dz;
}
export function softmaxRowsBackward<F extends FloatArray>(dp: Matrix<F>, p: Matrix<F>): Matrix<F> {
  return softmaxRowsBackwardInto(outFor("softmaxRowsBackward", null, p), dp, p);
}
