/**
 * The input's share of every cell's pre-activation, for all T steps at once: it does not depend on
 * the recurrence, so it is one big product instead of T small ones (as cuDNN does it). The buffers
 * come from the model's workspace, laid out to match, so the products are called unchecked.
 *
 *   forward:   Z = X·W_ihᵀ                       (T·B, G·H)   a gather of W_ih's columns when X is one-hot
 *   backward:  dW_ih += dZᵀ·X,   dX += dZ·W_ih                 a scatter into the columns when X is one-hot
 */
import {
  addToRows,
  type FloatArray,
  gatherColumns,
  gemmNN,
  gemmNT,
  gemmTN,
  type Matrix,
  oneHotRows,
  scatterColumnsAccumulate,
  sumRowsInto,
} from "@unrolled/linalg";
import type { Sequence } from "./sequence.js";

/** z = x·W_ihᵀ over every row of the sequence; records whether x was one-hot. */
export function projectInputs(s: Sequence, W_ih: Matrix<FloatArray>): void {
  const [R, G, D] = [s.x.rows, W_ih.rows, W_ih.cols]; // (T·B) rows, G·H pre-activations, D inputs
  s.oneHot = oneHotRows(s.x, s.ids) !== null;
  if (s.oneHot) gatherColumns(s.z, W_ih, s.ids);
  else gemmNT(R, G, D, s.x.data, 0, W_ih.data, 0, s.z.data, 0, false);
}

// backward of z = x·W_ihᵀ:  dW_ih += dzᵀ·x,  dx += dz·W_ih (skipped when dx is null)
export function projectInputsBackward(
  s: Sequence,
  dz: Matrix<FloatArray>,
  W_ih: Matrix<FloatArray>,
  dW_ih: Matrix<FloatArray>,
  dx: Matrix<FloatArray> | null,
): void {
  const [R, G, D] = [s.x.rows, W_ih.rows, W_ih.cols];
  if (s.oneHot) scatterColumnsAccumulate(dW_ih, dz, s.ids);
  else gemmTN(G, D, R, dz.data, 0, s.x.data, 0, dW_ih.data, 0, true);
  if (dx !== null) gemmNN(R, D, G, dz.data, 0, W_ih.data, 0, dx.data, 0, true);
}

/** z (R, C) += b_ih, then += b_hh, on every row (the biases are broadcast over the rows). */
export function addBiases(z: FloatArray, R: number, C: number, bih: FloatArray, bhh: FloatArray): void {
  addToRows(z, 0, R, C, bih, 0);
  addToRows(z, 0, R, C, bhh, 0);
}

// backward of the broadcast z += b_ih + b_hh:  db_ih += Σ rows dz,  db_hh += Σ rows dz (the same sums)
export function addBiasGradients(dz: FloatArray, R: number, C: number, dbih: FloatArray, dbhh: FloatArray): void {
  sumRowsInto(dbih, 0, dz, 0, R, C);
  sumRowsInto(dbhh, 0, dz, 0, R, C);
}
