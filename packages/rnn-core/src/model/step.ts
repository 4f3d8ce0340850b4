/**
 * Streaming inference, one time step at a time, carrying the state: what text generation and
 * autoregressive forecasting need. Unidirectional models only (a reverse direction needs the future).
 */
import { allocLike, ConfigError, type FloatArray, Matrix, zerosLike } from "@unrolled/linalg";
import { gruCellForward } from "../gru/gru-cell.js";
import { lstmCellForward } from "../lstm/lstm-cell.js";
import { cellAt, type ModelParams } from "../params/params.js";
import { rnnCellForward } from "../rnn/rnn-cell.js";
import { headForward } from "./head.js";

/** One (B, H) state per layer, and for an LSTM one cell state per layer. */
export interface StepState {
  readonly h: readonly Matrix<FloatArray>[];
  readonly c: readonly Matrix<FloatArray>[] | null;
}

/** Zero initial state for a batch of B streams. */
export function initialState(p: ModelParams, B: number): StepState {
  const H = p.config.hiddenSize;
  const zeros = () => Array.from({ length: p.config.numLayers }, () => new Matrix(B, H, allocLike(p.flat, B * H)));
  return { h: zeros(), c: p.config.cell === "lstm" ? zeros() : null };
}

/** Feeds x (B, D) through every layer; returns the head's logits (B, O) and the next state. */
export function modelStep(
  p: ModelParams,
  x: Matrix<FloatArray>,
  state: StepState,
): { y: Matrix<FloatArray>; state: StepState } {
  const c = p.config;
  if (c.bidirectional) throw new ConfigError("modelStep: a bidirectional model cannot run one step at a time");
  let input = x;
  const hs: Matrix<FloatArray>[] = [];
  const cs: Matrix<FloatArray>[] = [];
  for (let k = 0; k < c.numLayers; k++) {
    const hPrev = state.h[k] as Matrix<FloatArray>;
    const h = zerosLike(hPrev);
    const cell = cellAt(p, k, 0);
    if (c.cell === "lstm") {
      const cNext = zerosLike(hPrev);
      lstmCellForward(cell, input, hPrev, state.c?.[k] as Matrix<FloatArray>, h, cNext);
      cs.push(cNext);
    } else if (c.cell === "gru") gruCellForward(cell, input, hPrev, h);
    else rnnCellForward(cell, c.nonlinearity, input, hPrev, h);
    hs.push(h);
    input = h;
  }
  return { y: headForward(p.head, input), state: { h: hs, c: c.cell === "lstm" ? cs : null } };
}
