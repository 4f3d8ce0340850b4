/**
 * The head: a linear readout of the top layer's output, yₜ = hₜ·W_hyᵀ + b_y, forward and backward.
 * Its activation (identity, softmax, sigmoid) is applied by applyActivationInto (for predictions); losses
 * work on the logits y.
 * Shapes: N rows (B·T for many-to-many, B for many-to-one), Hd = H·dirs, O outputs.
 */
import {
  addRowVectorAccumulate,
  type FloatArray,
  gemmNN,
  gemmNT,
  gemmTN,
  type Matrix,
  sigmoidInto,
  softmaxRowsInto,
  sumRowsAccumulate,
} from "@unrolled/linalg";
import type { HeadActivation } from "../config.js";
import type { HeadParams } from "../params/params.js";

/** y (N, O) = h (N, Hd)·W_hyᵀ + b_y. Returns y. Shapes are the caller's to get right (the workspace's). */
export function headForwardInto(p: HeadParams, h: Matrix<FloatArray>, y: Matrix<FloatArray>): Matrix<FloatArray> {
  const [N, O, Hd] = [h.rows, p.W_hy.rows, p.W_hy.cols];
  gemmNT(N, O, Hd, h.data, 0, p.W_hy.data, 0, y.data, 0, false);
  addRowVectorAccumulate(y.data, 0, N, O, p.b_y.data, 0);
  return y;
}

/** Given dy (N, O): dW_hy += dyᵀ·h, db_y += Σ_n dy, dh (N, Hd) += dy·W_hy. */
export function headBackward(
  p: HeadParams,
  h: Matrix<FloatArray>,
  dy: Matrix<FloatArray>,
  grads: HeadParams,
  dh: Matrix<FloatArray>,
): void {
  const [N, O, Hd] = [h.rows, p.W_hy.rows, p.W_hy.cols];
  // forward: y = h·W_hyᵀ + b_y  ⇒  dW_hy += dyᵀ·h,  db_y += Σ_n dy,  dh += dy·W_hy
  gemmTN(O, Hd, N, dy.data, 0, h.data, 0, grads.W_hy.data, 0, true);
  sumRowsAccumulate(grads.b_y.data, 0, dy.data, 0, N, O);
  gemmNN(N, Hd, O, dy.data, 0, p.W_hy.data, 0, dh.data, 0, true);
}

/** The head activation, in place on a copy-free (N, O) matrix. */
export function applyActivationInto(
  act: HeadActivation,
  out: Matrix<FloatArray>,
  y: Matrix<FloatArray>,
): Matrix<FloatArray> {
  if (act === "softmax") return softmaxRowsInto(out, y);
  if (act === "sigmoid") return sigmoidInto(out, y);
  if (out !== y) out.data.set(y.data);
  return out;
}
