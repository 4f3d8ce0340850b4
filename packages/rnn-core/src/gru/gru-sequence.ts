/**
 * The GRU over a whole sequence, and its backpropagation through time (dhNext carried back from
 * step t+1). Layouts as rnn-sequence.ts.
 */
import { addInto, allocLike, assertShape, type FloatArray, frobeniusNorm, Matrix, zerosLike } from "@unrolled/linalg";
import type { CellParams } from "../params/params.js";
import type { BackwardOptions } from "../rnn/rnn-sequence.js";
import { stepRows, timeSteps, truncation } from "../shared/sequence.js";
import { type GruStepCache, gruCellBackward, gruCellForward } from "./gru-cell.js";

export interface GruSequenceCache {
  readonly steps: readonly GruStepCache[];
  readonly B: number;
}

/** Runs the GRU over all T steps from h0; returns hs ((T+1)·B, H) and the cache. */
export function gruSequenceForward(
  p: CellParams,
  xs: Matrix<FloatArray>,
  h0: Matrix<FloatArray>,
): { hs: Matrix<FloatArray>; cache: GruSequenceCache } {
  const [B, H] = [h0.rows, p.W_hh.cols];
  assertShape("gruSequenceForward", "h0", h0, [null, H], "(B, H)");
  const T = timeSteps("gruSequenceForward", xs, B);
  const hs = new Matrix((T + 1) * B, H, allocLike(h0.data, (T + 1) * B * H)); // ((T+1)·B, H)
  hs.data.set(h0.data);
  const steps: GruStepCache[] = [];
  for (let t = 0; t < T; t++) {
    const at = (m: Matrix<FloatArray>, s: number) => stepRows(m, s, B); // hs, cs hold the initial states first
    steps.push(gruCellForward(p, at(xs, t), at(hs, t), at(hs, t + 1)));
  }
  return { hs, cache: { steps, B } };
}

/** BPTT: accumulates into grads and dxs (null: skip); returns ∂L/∂h₀ and the per-step ‖∂L/∂hₜ‖. */
export function gruSequenceBackward(
  p: CellParams,
  cache: GruSequenceCache,
  dhs: Matrix<FloatArray>,
  grads: CellParams,
  dxs: Matrix<FloatArray> | null,
  opts: BackwardOptions = {},
): { dh0: Matrix<FloatArray>; dhNorms: Float64Array } {
  const { steps, B } = cache;
  const T = steps.length;
  const H = p.W_hh.cols;
  assertShape("gruSequenceBackward", "dhs", dhs, [T * B, H], "(T·B, H)");
  const k = truncation("gruSequenceBackward", opts);
  const dhNorms = new Float64Array(T);
  let dhNext = new Matrix(B, H, allocLike(dhs.data, B * H)); // (B, H) ∂L/∂hₜ from step t+1
  let dhPrev = zerosLike(dhNext);
  const dh = zerosLike(dhNext);
  const dai = new Matrix(B, 3 * H, allocLike(dhs.data, B * 3 * H)); // (B, 3H) scratch
  const dah = zerosLike(dai);
  for (let t = T - 1; t >= 0; t--) {
    addInto(dh, stepRows(dhs, t, B), dhNext); // ∂L/∂hₜ: from above at t, and from t+1
    dhNorms[t] = frobeniusNorm(dh);
    gruCellBackward(p, steps[t] as GruStepCache, dh, grads, dxs && stepRows(dxs, t, B), dhPrev, dai, dah);
    [dhNext, dhPrev] = [dhPrev, dhNext];
    if (k > 0 && t % k === 0) dhNext.data.fill(0); // truncation: hₜ₋₁ is a detached chunk boundary
  }
  return { dh0: dhNext, dhNorms };
}
