/**
 * One interface over the three recurrences, so the model (stacks, directions, head) is written once:
 * each cell kind runs a whole sequence forward and backward over the buffers of shared/sequence.ts.
 * Only the LSTM also carries a cell state c.
 */
import type { FloatArray, Matrix } from "@unrolled/linalg";
import type { CellKind, Nonlinearity } from "../config.js";
import { gruBackward, gruForward } from "../gru/gru.js";
import { lstmBackward, lstmForward } from "../lstm/lstm.js";
import type { CellParams } from "../params/params.js";
import { rnnBackward, rnnForward } from "../rnn/rnn.js";
import type { Sequence } from "../shared/sequence.js";

export interface SequenceKernel {
  forward(p: CellParams, phi: Nonlinearity, s: Sequence): void;
  backward(
    p: CellParams,
    phi: Nonlinearity,
    s: Sequence,
    dhs: Matrix<FloatArray>,
    grads: CellParams,
    dx: Matrix<FloatArray> | null,
    truncate: number,
  ): void;
}

export const SEQUENCES: Readonly<Record<CellKind, SequenceKernel>> = {
  rnn: { forward: rnnForward, backward: rnnBackward },
  lstm: {
    forward: (p, _phi, s) => lstmForward(p, s),
    backward: (p, _phi, s, dhs, grads, dx, k) => lstmBackward(p, s, dhs, grads, dx, k),
  },
  gru: {
    forward: (p, _phi, s) => gruForward(p, s),
    backward: (p, _phi, s, dhs, grads, dx, k) => gruBackward(p, s, dhs, grads, dx, k),
  },
};
