/**
 * Softmax cross-entropy from logits, as torch.nn.CrossEntropyLoss, fused and stable:
 *
 *   forward:  ℓ_n = −Σ_c y_nc · log softmax(z_n)_c = −Σ_c y_nc (z_nc − lse(z_n)),  lse = log Σ_c e^(z_nc)
 *             with class-index targets y_n = onehot(t_n), so ℓ_n = lse(z_n) − z_n,t_n
 *   backward: ∂ℓ_n/∂z_nc = (Σ_k y_nk) · p_nc − y_nc          = p − onehot(t) for class indices
 *
 * The fused gradient p − y is why the softmax never appears in the backward on its own. Shapes:
 * logits (N, C); targets either N class indices in [0, C) or an (N, C) matrix of probabilities
 * (one-hot or soft, as PyTorch accepts). The mean divides by Σ_n w_n (the number of rows by default).
 */
import {
  assertSameDType,
  assertSameShape,
  DataError,
  type FloatArray,
  Matrix,
  rowLogSumExp,
  ShapeError,
} from "@unrolled/linalg";
import type { LossResult } from "./elementwise-loss.js";
import { assertFiniteTarget, type LossOptions, type Reduced, reduce } from "./reduction.js";

/** Class indices (one per row) or a probability matrix (N, C). */
export type ClassTarget = ArrayLike<number> | Matrix<FloatArray>;

export interface SoftmaxCrossEntropyCache extends Reduced {
  readonly p: Matrix<Float64Array>; // (N, C) softmax(z)
  readonly target: Int32Array | Matrix<FloatArray>; // (N) indices or (N, C) probabilities
}

function checkTarget(fn: string, logits: Matrix<FloatArray>, target: ClassTarget): Int32Array | Matrix<FloatArray> {
  if (target instanceof Matrix) {
    assertSameShape(fn, "logits", logits, "target", target);
    assertSameDType(fn, "logits", logits, "target", target);
    assertFiniteTarget(fn, target);
    return target;
  }
  if (target.length !== logits.rows) throw new ShapeError(fn, "target", [target.length], [logits.rows], "(N)");
  const idx = new Int32Array(target.length);
  for (let n = 0; n < target.length; n++) {
    const t = target[n] as number;
    if (!Number.isInteger(t) || t < 0 || t >= logits.cols) {
      throw new DataError(`${fn}: target[${n}] is ${t}, expected a class index in [0, ${logits.cols})`);
    }
    idx[n] = t;
  }
  return idx;
}

export function softmaxCrossEntropyForward(
  logits: Matrix<FloatArray>,
  target: ClassTarget,
  opts?: LossOptions,
): LossResult<SoftmaxCrossEntropyCache> {
  const fn = "softmaxCrossEntropyForward";
  const t = checkTarget(fn, logits, target);
  const red = reduce(fn, logits.rows, 1, opts);
  const C = logits.cols;
  const z = logits.data;
  const p = new Float64Array(z.length);
  let total = 0;
  for (let n = 0; n < logits.rows; n++) {
    const r = n * C;
    const lse = rowLogSumExp(z, r, C);
    let row: number;
    if (t instanceof Int32Array) {
      row = lse - (z[r + (t[n] as number)] as number); // ℓ_n = lse(z_n) − z_n,t_n
    } else {
      row = 0;
      for (let c = 0; c < C; c++) row -= (t.data[r + c] as number) * ((z[r + c] as number) - lse); // −Σ y (z − lse)
    }
    for (let c = 0; c < C; c++) p[r + c] = Math.exp((z[r + c] as number) - lse); // p = softmax(z_n)
    total += red.w === null ? row : (red.w[n] as number) * row;
  }
  return { loss: total * red.invZ, cache: { p: new Matrix(logits.rows, C, p), target: t, ...red } };
}

/** dLogits (N, C) += dLoss · (w_n / Z) · ((Σ_k y_nk) p_n − y_n). Returns dLogits. */
export function softmaxCrossEntropyBackward<M extends Matrix<FloatArray>>(
  cache: SoftmaxCrossEntropyCache,
  dLogits: M,
  dLoss = 1,
): M {
  assertSameShape("softmaxCrossEntropyBackward", "p", cache.p, "dLogits", dLogits);
  const { p, target, w, invZ } = cache;
  const C = p.cols;
  const g = dLogits.data;
  for (let n = 0; n < p.rows; n++) {
    const r = n * C;
    const s = dLoss * invZ * (w === null ? 1 : (w[n] as number));
    if (target instanceof Int32Array) {
      // forward: ℓ_n = lse(z_n) − z_n,t  ⇒  ∂ℓ_n/∂z_nc = p_nc − [c = t]
      for (let c = 0; c < C; c++) g[r + c] = (g[r + c] as number) + s * (p.data[r + c] as number);
      const k = r + (target[n] as number);
      g[k] = (g[k] as number) - s;
    } else {
      // forward: ℓ_n = −Σ_c y_c (z_c − lse)  ⇒  ∂ℓ_n/∂z_c = (Σ_k y_k) p_c − y_c
      let ySum = 0;
      for (let c = 0; c < C; c++) ySum += target.data[r + c] as number;
      for (let c = 0; c < C; c++) {
        g[r + c] = (g[r + c] as number) + s * (ySum * (p.data[r + c] as number) - (target.data[r + c] as number));
      }
    }
  }
  return dLogits;
}
