/**
 * The head: a linear readout of the top layer's output, yₜ = hₜ·W_hyᵀ + b_y, forward and backward.
 * Its activation (identity, softmax, sigmoid) is applied by predict(); losses work on the logits y.
 * Shapes: N rows (B·T for many-to-many, B for many-to-one), Hd = H·dirs, O outputs.
 */
import {
  addRowVectorInto,
  type FloatArray,
  type Matrix,
  matmulAccumulate,
  matmulTransAAccumulate,
  matmulTransB,
  sigmoidInto,
  softmaxRowsInto,
  sumRowsAccumulate,
} from "@unrolled/linalg";
import type { HeadActivation } from "../config.js";
import type { HeadParams } from "../params/params.js";

/** y = h·W_hyᵀ + b_y; h (N, Hd) → y (N, O). */
export function headForward(p: HeadParams, h: Matrix<FloatArray>): Matrix<FloatArray> {
  const y = matmulTransB(h, p.W_hy); // (N, O)
  return addRowVectorInto(y, y, p.b_y);
}

/** Given dy (N, O): dW_hy += dyᵀ·h, db_y += Σ_n dy, dh (N, Hd) += dy·W_hy. */
export function headBackward(
  p: HeadParams,
  h: Matrix<FloatArray>,
  dy: Matrix<FloatArray>,
  grads: HeadParams,
  dh: Matrix<FloatArray>,
): void {
  // forward: y = h·W_hyᵀ + b_y  ⇒  dW_hy += dyᵀ·h,  db_y += Σ_n dy,  dh += dy·W_hy
  matmulTransAAccumulate(grads.W_hy, dy, h);
  sumRowsAccumulate(grads.b_y, dy);
  matmulAccumulate(dh, dy, p.W_hy);
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
