/**
 * Binary cross-entropy from logits, as torch.nn.BCEWithLogitsLoss, fused with the sigmoid so that it
 * never takes log(0):
 *
 *   forward:  ℓ(x, y) = −[y log σ(x) + (1 − y) log(1 − σ(x))]
 *                     = max(x, 0) − x·y + log(1 + e^(−|x|))          (the stable form computed)
 *   backward: ∂ℓ/∂x = σ(x) − y
 *
 * Shapes: logits, target (N, O); targets in [0, 1] (soft labels allowed).
 */
import { assertSameDType, assertSameShape, DataError, type FloatArray, Matrix, sigmoidScalar } from "@unrolled/linalg";
import type { LossResult } from "./elementwise-loss.js";
import { assertFiniteTarget, type LossOptions, type Reduced, reduce } from "./reduction.js";

export interface BceCache extends Reduced {
  readonly p: Matrix<Float64Array>; // (N, O) σ(x)
  readonly y: Matrix<FloatArray>; // (N, O) targets
}

export function bceWithLogitsForward(
  logits: Matrix<FloatArray>,
  target: Matrix<FloatArray>,
  opts?: LossOptions,
): LossResult<BceCache> {
  const fn = "bceWithLogitsForward";
  assertSameShape(fn, "logits", logits, "target", target);
  assertSameDType(fn, "logits", logits, "target", target);
  assertFiniteTarget(fn, target);
  const red = reduce(fn, logits.rows, logits.cols, opts);
  const O = logits.cols;
  const p = new Float64Array(logits.data.length);
  let total = 0;
  for (let n = 0; n < logits.rows; n++) {
    let row = 0;
    for (let o = 0; o < O; o++) {
      const k = n * O + o;
      const x = logits.data[k] as number;
      const y = target.data[k] as number;
      if (y < 0 || y > 1) throw new DataError(`${fn}: target[${n}, ${o}] is ${y}, expected a value in [0, 1]`);
      row += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x))); // ℓ = max(x,0) − xy + log(1 + e^−|x|)
      p[k] = sigmoidScalar(x);
    }
    total += red.w === null ? row : (red.w[n] as number) * row;
  }
  return { loss: total * red.invZ, cache: { p: new Matrix(logits.rows, O, p), y: target, ...red } };
}

/** dLogits (N, O) += dLoss · (w_n / Z) · (σ(x) − y). Returns dLogits. */
export function bceWithLogitsBackward<M extends Matrix<FloatArray>>(cache: BceCache, dLogits: M, dLoss = 1): M {
  assertSameShape("bceWithLogitsBackward", "p", cache.p, "dLogits", dLogits);
  const { p, y, w, invZ } = cache;
  const O = p.cols;
  for (let n = 0; n < p.rows; n++) {
    const s = dLoss * invZ * (w === null ? 1 : (w[n] as number));
    for (let o = 0; o < O; o++) {
      const k = n * O + o;
      // forward: ℓ = max(x,0) − x·y + log(1 + e^−|x|)  ⇒  ∂ℓ/∂x = σ(x) − y
      dLogits.data[k] = (dLogits.data[k] as number) + s * ((p.data[k] as number) - (y.data[k] as number));
    }
  }
  return dLogits;
}
