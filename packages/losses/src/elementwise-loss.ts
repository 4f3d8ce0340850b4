/**
 * The regression losses, ℓ applied to each difference d = pred − target, forward and backward side by
 * side. Each backward differentiates the forward line above it:
 *
 *   MSE    ℓ(d) = d²                                    ℓ'(d) = 2d
 *   MAE    ℓ(d) = |d|                                   ℓ'(d) = sign(d)           (0 at d = 0, as PyTorch)
 *   Huber  ℓ(d) = ½d² if |d| < δ, else δ(|d| − ½δ)     ℓ'(d) = d if |d| < δ, else δ·sign(d)
 *
 * Shapes: pred, target (N, O) — for a many-to-many RNN N = B·T rows, one per (sequence, step).
 */
import { allocLike, assertSameDType, assertSameShape, ConfigError, type FloatArray, Matrix } from "@unrolled/linalg";
import { assertFiniteTarget, type LossOptions, type Reduced, reduce } from "./reduction.js";

export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1, as PyTorch). */
  readonly delta?: number;
}

/** Everything the backward needs; nothing else. */
export interface ElementwiseLossCache extends Reduced {
  readonly kind: "mse" | "mae" | "huber";
  readonly d: Matrix<FloatArray>; // (N, O) pred − target
  readonly delta: number;
}

export interface LossResult<C> {
  readonly loss: number;
  readonly cache: C;
}

function forward(
  fn: string,
  kind: ElementwiseLossCache["kind"],
  pred: Matrix<FloatArray>,
  target: Matrix<FloatArray>,
  opts: HuberOptions | undefined,
): LossResult<ElementwiseLossCache> {
  assertSameShape(fn, "pred", pred, "target", target);
  assertSameDType(fn, "pred", pred, "target", target);
  assertFiniteTarget(fn, target);
  const delta = opts?.delta ?? 1;
  if (kind === "huber" && !(delta > 0 && Number.isFinite(delta)))
    throw new ConfigError(`${fn}: delta must be > 0, got ${delta}`);
  const red = reduce(fn, pred.rows, pred.cols, opts);
  const O = pred.cols;
  const d = allocLike(pred.data, pred.data.length); // (N, O) in pred's dtype, as PyTorch keeps it
  let total = 0;
  for (let n = 0; n < pred.rows; n++) {
    let row = 0;
    for (let o = 0; o < O; o++) {
      const k = n * O + o;
      const dk = (pred.data[k] as number) - (target.data[k] as number); // d = pred − target
      d[k] = dk;
      const a = Math.abs(dk);
      if (kind === "mse")
        row += dk * dk; // ℓ = d²
      else if (kind === "mae")
        row += a; // ℓ = |d|
      else row += a < delta ? 0.5 * dk * dk : delta * (a - 0.5 * delta); // ℓ = Huber_δ(d)
    }
    total += red.w === null ? row : (red.w[n] as number) * row;
  }
  return { loss: total * red.invZ, cache: { kind, d: new Matrix(pred.rows, O, d), delta, ...red } };
}

/** dPred (N, O) += dLoss · ∂L/∂pred. Returns dPred. */
function backward(cache: ElementwiseLossCache, dPred: Matrix<FloatArray>, dLoss: number): Matrix<FloatArray> {
  assertSameShape(`${cache.kind}Backward`, "d", cache.d, "dPred", dPred);
  const { d, w, invZ, delta } = cache;
  const O = d.cols;
  for (let n = 0; n < d.rows; n++) {
    const s = dLoss * invZ * (w === null ? 1 : (w[n] as number)); // ∂L/∂ℓ(n, ·) = w_n / Z
    for (let o = 0; o < O; o++) {
      const k = n * O + o;
      const dk = d.data[k] as number;
      let g: number;
      if (cache.kind === "mse")
        g = 2 * dk; // ℓ = d²  ⇒  ℓ' = 2d
      else if (cache.kind === "mae")
        g = Math.sign(dk); // ℓ = |d|  ⇒  ℓ' = sign(d)
      else g = Math.abs(dk) < delta ? dk : delta * Math.sign(dk); // Huber  ⇒  d or δ·sign(d)
      dPred.data[k] = (dPred.data[k] as number) + s * g; // ∂d/∂pred = 1
    }
  }
  return dPred;
}

/** Mean (or summed) squared error, as torch.nn.MSELoss. */
export function mseForward(pred: Matrix<FloatArray>, target: Matrix<FloatArray>, opts?: LossOptions) {
  return forward("mseForward", "mse", pred, target, opts);
}
export function mseBackward<M extends Matrix<FloatArray>>(cache: ElementwiseLossCache, dPred: M, dLoss = 1): M {
  return backward(cache, dPred, dLoss) as M;
}

/** Mean (or summed) absolute error, as torch.nn.L1Loss. */
export function maeForward(pred: Matrix<FloatArray>, target: Matrix<FloatArray>, opts?: LossOptions) {
  return forward("maeForward", "mae", pred, target, opts);
}
export function maeBackward<M extends Matrix<FloatArray>>(cache: ElementwiseLossCache, dPred: M, dLoss = 1): M {
  return backward(cache, dPred, dLoss) as M;
}

/** Huber loss with threshold δ, as torch.nn.HuberLoss. */
export function huberForward(pred: Matrix<FloatArray>, target: Matrix<FloatArray>, opts?: HuberOptions) {
  return forward("huberForward", "huber", pred, target, opts);
}
export function huberBackward<M extends Matrix<FloatArray>>(cache: ElementwiseLossCache, dPred: M, dLoss = 1): M {
  return backward(cache, dPred, dLoss) as M;
}
