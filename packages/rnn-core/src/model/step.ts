/**
 * Streaming inference, one time step at a time, carrying the hidden state: what text generation and
 * autoregressive forecasting need. Unidirectional models only (a reverse direction needs the future).
 */
import { allocLike, ConfigError, type FloatArray, Matrix, zerosLike } from "@unrolled/linalg";
import type { ModelParams } from "../params/params.js";
import { cellAt } from "../params/params.js";
import { rnnCellForward } from "../rnn/rnn-cell.js";
import { headForward } from "./head.js";

/** One (B, H) state per layer. */
export interface StepState {
  readonly h: readonly Matrix<FloatArray>[];
}

/** Zero initial state for a batch of B streams. */
export function initialState(p: ModelParams, B: number): StepState {
  const H = p.config.hiddenSize;
  return { h: Array.from({ length: p.config.numLayers }, () => new Matrix(B, H, allocLike(p.flat, B * H))) };
}

/** Feeds x (B, D) through every layer; returns the head's logits (B, O) and the next state. */
export function modelStep(
  p: ModelParams,
  x: Matrix<FloatArray>,
  state: StepState,
): { y: Matrix<FloatArray>; state: StepState } {
  if (p.config.bidirectional) throw new ConfigError("modelStep: a bidirectional model cannot run one step at a time");
  let input = x;
  const next: Matrix<FloatArray>[] = [];
  for (let k = 0; k < p.config.numLayers; k++) {
    const hPrev = state.h[k] as Matrix<FloatArray>;
    const h = zerosLike(hPrev);
    rnnCellForward(cellAt(p, k, 0), p.config.nonlinearity, input, hPrev, h); // hₜ = φ(xₜW_ihᵀ + b_ih + hₜ₋₁W_hhᵀ + b_hh)
    next.push(h);
    input = h;
  }
  return { y: headForward(p.head, input), state: { h: next } };
}
