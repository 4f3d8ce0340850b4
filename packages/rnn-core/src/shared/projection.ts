/**
 * The input's share of every cell's pre-activation, for all T steps at once: it does not depend on
 * the recurrence, so it is one big product instead of T small ones (as cuDNN does it). The buffers
 * come from the model's workspace, laid out to match, so the kernels are called unchecked.
 *
 *   forward:   Z = X·W_ihᵀ                       (T·B, G·H)   a gather of W_ih's columns for token ids
 *   backward:  dW_ih += dZᵀ·X,   dX += dZ·W_ih                 a scatter into the columns for token ids
 */
import {
  addRowVectorAccumulate,
  type FloatArray,
  gatherColumnsInto,
  gemmNN,
  gemmNT,
  gemmTN,
  type Matrix,
  scatterColumnsAccumulate,
  sumRowsAccumulate,
} from "@unrolled/linalg";
import type { SequenceInput } from "./sequence.js";

/** z (R, G·H) = x·W_ihᵀ over every row of the sequence. */
export function projectInputs(input: SequenceInput, W_ih: Matrix<FloatArray>, z: Matrix<FloatArray>): void {
  if (input.kind === "tokens") gatherColumnsInto(z, W_ih, input.ids);
  else gemmNT(z.rows, W_ih.rows, W_ih.cols, input.x.data, 0, W_ih.data, 0, z.data, 0, false);
}

// backward of z = x·W_ihᵀ:  dW_ih += dzᵀ·x,  dx += dz·W_ih (dx null: not wanted, or token ids)
export function projectInputsBackward(
  input: SequenceInput,
  dz: Matrix<FloatArray>,
  W_ih: Matrix<FloatArray>,
  dW_ih: Matrix<FloatArray>,
  dx: Matrix<FloatArray> | null,
): void {
  const [R, G, D] = [dz.rows, W_ih.rows, W_ih.cols];
  if (input.kind === "tokens") scatterColumnsAccumulate(dW_ih, dz, input.ids);
  else gemmTN(G, D, R, dz.data, 0, input.x.data, 0, dW_ih.data, 0, true);
  if (dx !== null) gemmNN(R, D, G, dz.data, 0, W_ih.data, 0, dx.data, 0, true);
}

/** z (R, C) += b_ih, then += b_hh, on every row (the biases are broadcast over the rows). */
export function addBiases(z: FloatArray, R: number, C: number, bih: FloatArray, bhh: FloatArray): void {
  addRowVectorAccumulate(z, 0, R, C, bih, 0);
  addRowVectorAccumulate(z, 0, R, C, bhh, 0);
}

// backward of the broadcast z += b_ih + b_hh:  db_ih += Σ rows dz,  db_hh += Σ rows dz (the same sums)
export function addBiasGradients(dz: FloatArray, R: number, C: number, dbih: FloatArray, dbhh: FloatArray): void {
  sumRowsAccumulate(dbih, 0, dz, 0, R, C);
  sumRowsAccumulate(dbhh, 0, dz, 0, R, C);
}
