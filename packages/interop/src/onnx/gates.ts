/**
 * PyTorch and ONNX stack a cell's gates in different orders along the rows of W (G·H, ·), R and B:
 *
 *   cell   PyTorch (weight_ih_l{k})   ONNX (W, R, B)
 *   rnn    h                           h
 *   lstm   i, f, g, o                  i, o, f, c      (c is PyTorch's g)
 *   gru    r, z, n                     z, r, h         (h is PyTorch's n; linear_before_reset = 1)
 *
 * ONNX_FROM_TORCH[cell][j] is the PyTorch block that becomes ONNX block j.
 */
import type { CellKind } from "@unrolled/rnn-core";

/** The ONNX operator of each cell, and the ONNX name of each Elman nonlinearity. */
export const ONNX_OP = { rnn: "RNN", lstm: "LSTM", gru: "GRU" } as const;
export const ONNX_ACTIVATION = { tanh: "Tanh", relu: "Relu", sigmoid: "Sigmoid" } as const;

export const ONNX_FROM_TORCH: Record<CellKind, readonly number[]> = {
  rnn: [0],
  lstm: [0, 3, 1, 2],
  gru: [1, 0, 2],
};

/**
 * Copies the (G·H, cols) row blocks of `src` into `dst` reordered: dst block j ← src block order[j]
 * (`inverse`: dst block order[j] ← src block j, the way back).
 */
export function permuteGates(
  src: ArrayLike<number>,
  dst: { [i: number]: number },
  dstOff: number,
  H: number,
  cols: number,
  order: readonly number[],
  inverse = false,
): void {
  const block = H * cols;
  order.forEach((from, j) => {
    const [s, d] = inverse ? [j, from] : [from, j];
    for (let i = 0; i < block; i++) dst[dstOff + d * block + i] = src[s * block + i] as number;
  });
}
