/**
 * One interface over the three recurrences, so the model (stacks, directions, head) is written once:
 * each cell kind runs a whole sequence forward and backward. Only the LSTM has a cell state c.
 */
import type { FloatArray, Matrix } from "@unrolled/linalg";
import type { CellKind, Nonlinearity } from "../config.js";
import { type GruSequenceCache, gruSequenceBackward, gruSequenceForward } from "../gru/gru-sequence.js";
import { type LstmSequenceCache, lstmSequenceBackward, lstmSequenceForward } from "../lstm/lstm-sequence.js";
import type { CellParams } from "../params/params.js";
import {
  type BackwardOptions,
  type RnnSequenceCache,
  rnnSequenceBackward,
  rnnSequenceForward,
} from "../rnn/rnn-sequence.js";

export type SequenceCache = RnnSequenceCache | LstmSequenceCache | GruSequenceCache;

export interface SequenceKernel {
  /** hs, cs ((T+1)·B, H) with the initial states first; cs is null except for the LSTM. */
  forward(
    p: CellParams,
    phi: Nonlinearity,
    xs: Matrix<FloatArray>,
    h0: Matrix<FloatArray>,
    c0: Matrix<FloatArray> | null,
  ): { hs: Matrix<FloatArray>; cs: Matrix<FloatArray> | null; cache: SequenceCache };
  backward(
    p: CellParams,
    phi: Nonlinearity,
    cache: SequenceCache,
    dhs: Matrix<FloatArray>,
    grads: CellParams,
    dxs: Matrix<FloatArray> | null,
    opts: BackwardOptions,
  ): { dh0: Matrix<FloatArray>; dc0: Matrix<FloatArray> | null; dhNorms: Float64Array };
}

export const SEQUENCES: Readonly<Record<CellKind, SequenceKernel>> = {
  rnn: {
    forward: (p, phi, xs, h0) => ({ ...rnnSequenceForward(p, phi, xs, h0), cs: null }),
    backward: (p, phi, cache, dhs, grads, dxs, opts) => ({
      ...rnnSequenceBackward(p, phi, cache as RnnSequenceCache, dhs, grads, dxs, opts),
      dc0: null,
    }),
  },
  lstm: {
    forward: (p, _phi, xs, h0, c0) => lstmSequenceForward(p, xs, h0, c0 as Matrix<FloatArray>),
    backward: (p, _phi, cache, dhs, grads, dxs, opts) =>
      lstmSequenceBackward(p, cache as LstmSequenceCache, dhs, grads, dxs, opts),
  },
  gru: {
    forward: (p, _phi, xs, h0) => ({ ...gruSequenceForward(p, xs, h0), cs: null }),
    backward: (p, _phi, cache, dhs, grads, dxs, opts) => ({
      ...gruSequenceBackward(p, cache as GruSequenceCache, dhs, grads, dxs, opts),
      dc0: null,
    }),
  },
};
