/**
 * The input half of every cell's pre-activation, zₜ = xₜ·W_ihᵀ, and its backward, shared by the RNN,
 * LSTM and GRU cells. A one-hot xₜ (a character model's input) is a gather of W_ih's columns, and its
 * weight gradient a scatter into them; anything else is a matrix product.
 */
import {
  type FloatArray,
  gatherColumns,
  type Matrix,
  matmulAccumulate,
  matmulTransAAccumulate,
  matmulTransBInto,
  oneHotRows,
  scatterColumnsAccumulate,
} from "@unrolled/linalg";

/** z (B, G·H) = x (B, D)·W_ihᵀ. Returns the one-hot column of each row of x, or null if x is dense. */
export function inputProjectionInto(
  z: Matrix<FloatArray>,
  x: Matrix<FloatArray>,
  W_ih: Matrix<FloatArray>,
): Int32Array | null {
  const ids = oneHotRows(x);
  if (ids) gatherColumns(z, W_ih, ids);
  else matmulTransBInto(z, x, W_ih);
  return ids;
}

// backward of z = x·W_ihᵀ:  dW_ih += dzᵀ·x,  dx += dz·W_ih (skipped when dx is null)
export function inputProjectionBackward(
  dz: Matrix<FloatArray>,
  x: Matrix<FloatArray>,
  ids: Int32Array | null,
  W_ih: Matrix<FloatArray>,
  dW_ih: Matrix<FloatArray>,
  dx: Matrix<FloatArray> | null,
): void {
  if (ids) scatterColumnsAccumulate(dW_ih, dz, ids);
  else matmulTransAAccumulate(dW_ih, dz, x);
  if (dx !== null) matmulAccumulate(dx, dz, W_ih);
}
