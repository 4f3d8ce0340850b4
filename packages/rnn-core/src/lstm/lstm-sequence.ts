/**
 * The LSTM over a whole sequence, and its backpropagation through time, which carries two gradients
 * back from step t+1: dhNext = ∂L/∂hₜ and dcNext = ∂L/∂cₜ. Layouts as rnn-sequence.ts: xs (T·B, D)
 * time-major; hs and cs ((T+1)·B, H) with the initial states in rows [0, B).
 */
import { addInto, allocLike, assertShape, type FloatArray, frobeniusNorm, Matrix, zerosLike } from "@unrolled/linalg";
import type { CellParams } from "../params/params.js";
import type { BackwardOptions } from "../rnn/rnn-sequence.js";
import { stepRows, timeSteps, truncation } from "../shared/sequence.js";
import { type LstmStepCache, lstmCellBackward, lstmCellForward } from "./lstm-cell.js";

export interface LstmSequenceCache {
  readonly steps: readonly LstmStepCache[];
  readonly B: number;
}

/** Runs the LSTM over all T steps from (h0, c0); returns hs, cs ((T+1)·B, H) and the cache. */
export function lstmSequenceForward(
  p: CellParams,
  xs: Matrix<FloatArray>,
  h0: Matrix<FloatArray>,
  c0: Matrix<FloatArray>,
): { hs: Matrix<FloatArray>; cs: Matrix<FloatArray>; cache: LstmSequenceCache } {
  const [B, H] = [h0.rows, p.W_hh.cols];
  assertShape("lstmSequenceForward", "h0", h0, [null, H], "(B, H)");
  assertShape("lstmSequenceForward", "c0", c0, [B, H], "(B, H)");
  const T = timeSteps("lstmSequenceForward", xs, B);
  const hs = new Matrix((T + 1) * B, H, allocLike(h0.data, (T + 1) * B * H)); // ((T+1)·B, H)
  const cs = new Matrix((T + 1) * B, H, allocLike(h0.data, (T + 1) * B * H)); // ((T+1)·B, H)
  hs.data.set(h0.data);
  cs.data.set(c0.data);
  const steps: LstmStepCache[] = [];
  for (let t = 0; t < T; t++) {
    const at = (m: Matrix<FloatArray>, s: number) => stepRows(m, s, B); // hs, cs hold the initial states first
    steps.push(lstmCellForward(p, at(xs, t), at(hs, t), at(cs, t), at(hs, t + 1), at(cs, t + 1)));
  }
  return { hs, cs, cache: { steps, B } };
}

/**
 * BPTT. dhs (T·B, H) is ∂L/∂hₜ from above at each step (nothing reads cₜ from above). Accumulates into
 * grads and dxs (null: skip); returns ∂L/∂h₀, ∂L/∂c₀ and the per-step ‖∂L/∂hₜ‖.
 */
export function lstmSequenceBackward(
  p: CellParams,
  cache: LstmSequenceCache,
  dhs: Matrix<FloatArray>,
  grads: CellParams,
  dxs: Matrix<FloatArray> | null,
  opts: BackwardOptions = {},
): { dh0: Matrix<FloatArray>; dc0: Matrix<FloatArray>; dhNorms: Float64Array } {
  const { steps, B } = cache;
  const T = steps.length;
  const H = p.W_hh.cols;
  assertShape("lstmSequenceBackward", "dhs", dhs, [T * B, H], "(T·B, H)");
  const k = truncation("lstmSequenceBackward", opts);
  const dhNorms = new Float64Array(T);
  let dhNext = new Matrix(B, H, allocLike(dhs.data, B * H)); // (B, H) ∂L/∂hₜ from step t+1
  let dcNext = zerosLike(dhNext); // (B, H) ∂L/∂cₜ from step t+1
  let dhPrev = zerosLike(dhNext);
  let dcPrev = zerosLike(dhNext);
  const dh = zerosLike(dhNext);
  const dz = new Matrix(B, 4 * H, allocLike(dhs.data, B * 4 * H)); // (B, 4H) scratch
  for (let t = T - 1; t >= 0; t--) {
    addInto(dh, stepRows(dhs, t, B), dhNext); // ∂L/∂hₜ: from above at t, and from t+1
    dhNorms[t] = frobeniusNorm(dh);
    lstmCellBackward(p, steps[t] as LstmStepCache, dh, dcNext, grads, dxs && stepRows(dxs, t, B), dhPrev, dcPrev, dz);
    [dhNext, dhPrev] = [dhPrev, dhNext];
    [dcNext, dcPrev] = [dcPrev, dcNext];
    if (k > 0 && t % k === 0) {
      dhNext.data.fill(0); // truncation: (hₜ₋₁, cₜ₋₁) is a detached chunk boundary
      dcNext.data.fill(0);
    }
  }
  return { dh0: dhNext, dc0: dcNext, dhNorms };
}
