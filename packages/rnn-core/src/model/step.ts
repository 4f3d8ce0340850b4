/**
 * Streaming inference, one time step at a time, carrying the state: what text generation and
 * autoregressive forecasting need. Unidirectional models only (a reverse direction needs the future).
 * Each step is a one-step sequence through modelForward, with the state as h₀ (and c₀).
 */
import { allocLike, ConfigError, type FloatArray, Matrix, slice2d, tensor3 } from "@unrolled/linalg";
import type { ModelParams } from "../params/params.js";
import { modelForward } from "./model.js";

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

/** (L, B, H) from one (B, H) matrix per layer. */
function stack(ms: readonly Matrix<FloatArray>[], B: number, H: number, like: FloatArray) {
  const t = tensor3(ms.length, B, H, allocLike(like, ms.length * B * H));
  for (const [k, m] of ms.entries()) slice2d(t, k).data.set(m.data);
  return t;
}

/**
 * Feeds one step through every layer — x (B, D), or B token ids — and returns the head's logits
 * (B, O) and the next state.
 */
export function modelStep(
  p: ModelParams,
  x: Matrix<FloatArray> | Int32Array,
  state: StepState,
): { y: Matrix<FloatArray>; state: StepState } {
  const c = p.config;
  if (c.bidirectional) throw new ConfigError("modelStep: a bidirectional model cannot run one step at a time");
  const [B, H, L] = [x instanceof Int32Array ? x.length : x.rows, c.hiddenSize, c.numLayers];
  const input = x instanceof Int32Array ? { ids: x, dims: [B, 1] as const } : tensor3(B, 1, x.cols, x.data);
  const { y, hN, cN } = modelForward(p, input, {
    h0: stack(state.h, B, H, p.flat),
    ...(state.c ? { c0: stack(state.c, B, H, p.flat) } : {}),
  });
  const unstack = (t: typeof hN) => Array.from({ length: L }, (_, k) => slice2d(t, k));
  return { y, state: { h: unstack(hN), c: cN ? unstack(cN) : null } };
}
