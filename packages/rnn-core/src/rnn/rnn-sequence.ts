/**
 * The Elman RNN over a whole sequence, and backpropagation through time: the forward walks
 * t = 0 … T−1 carrying hₜ, the backward walks t = T−1 … 0 carrying dhNext = ∂L/∂hₜ arriving from
 * step t+1. It reads like min-char-rnn's lossFun.
 *
 * Sequences here are time-major: xs is (T·B, D) with step t in rows [t·B, (t+1)·B), so every step is a
 * contiguous (B, D) view. hs is ((T+1)·B, H): rows [0, B) hold h₀ (the initial state, "h₋₁" in the
 * equations' indexing) and rows [(t+1)·B, (t+2)·B) hold hₜ.
 */
import { addInto, allocLike, assertShape, type FloatArray, frobeniusNorm, Matrix, zerosLike } from "@unrolled/linalg";
import type { Nonlinearity } from "../config.js";
import type { CellParams } from "../params/params.js";
import { stepRows, timeSteps, truncation } from "../shared/sequence.js";
import { type RnnStepCache, rnnCellBackward, rnnCellForward } from "./rnn-cell.js";

export interface RnnSequenceCache {
  readonly steps: readonly RnnStepCache[];
  readonly B: number;
}

export interface BackwardOptions {
  /**
   * Truncated BPTT: cut the gradient flowing back through time every `truncate` steps, at the
   * boundaries of chunks [0, k), [k, 2k), …, as if each chunk started from a state carried over from
   * the previous chunk with its gradient stopped (PyTorch's `h.detach()`). dh₀ is then 0.
   */
  readonly truncate?: number;
  /** Compute ∂L/∂x for the model's input (default true; training does not need it). */
  readonly inputGradient?: boolean;
}

/** Runs the recurrence over all T steps from h0 (B, H). Returns hs ((T+1)·B, H) and the cache. */
export function rnnSequenceForward(
  p: CellParams,
  phi: Nonlinearity,
  xs: Matrix<FloatArray>,
  h0: Matrix<FloatArray>,
): { hs: Matrix<FloatArray>; cache: RnnSequenceCache } {
  const B = h0.rows;
  const H = p.W_hh.cols;
  assertShape("rnnSequenceForward", "h0", h0, [null, H], "(B, H)");
  const T = timeSteps("rnnSequenceForward", xs, B);
  const hs = new Matrix((T + 1) * B, H, allocLike(h0.data, (T + 1) * B * H)); // ((T+1)·B, H)
  hs.data.set(h0.data);
  const steps: RnnStepCache[] = [];
  for (let t = 0; t < T; t++) {
    // xₜ, hₜ₋₁, hₜ: (B, ·) views; hs holds h₀ first, so hₜ₋₁ is row block t and hₜ block t+1
    steps.push(rnnCellForward(p, phi, stepRows(xs, t, B), stepRows(hs, t, B), stepRows(hs, t + 1, B)));
  }
  return { hs, cache: { steps, B } };
}

/**
 * BPTT. dhs (T·B, H) is ∂L/∂hₜ arriving from above at each step (the head, or the layer above).
 * Accumulates into grads and into dxs (T·B, D) (null: skip ∂L/∂x). Returns dh0 = ∂L/∂h₀ (B, H) and, per step,
 * ‖∂L/∂hₜ‖ (the Frobenius norm over the batch): the numbers that show vanishing or exploding gradients.
 */
export function rnnSequenceBackward(
  p: CellParams,
  phi: Nonlinearity,
  cache: RnnSequenceCache,
  dhs: Matrix<FloatArray>,
  grads: CellParams,
  dxs: Matrix<FloatArray> | null,
  opts: BackwardOptions = {},
): { dh0: Matrix<FloatArray>; dhNorms: Float64Array } {
  const { steps, B } = cache;
  const T = steps.length;
  const H = p.W_hh.cols;
  assertShape("rnnSequenceBackward", "dhs", dhs, [T * B, H], "(T·B, H)");
  const k = truncation("rnnSequenceBackward", opts);
  const dhNorms = new Float64Array(T);
  let dhNext = new Matrix(B, H, allocLike(dhs.data, B * H)); // (B, H) from step t+1
  let dhPrev = zerosLike(dhNext); // (B, H)
  const dh = zerosLike(dhNext); // (B, H)
  const da = zerosLike(dhNext); // (B, H) scratch
  for (let t = T - 1; t >= 0; t--) {
    const step = steps[t] as RnnStepCache;
    addInto(dh, stepRows(dhs, t, B), dhNext); // ∂L/∂hₜ: from above at t, and from t+1
    dhNorms[t] = frobeniusNorm(dh);
    rnnCellBackward(p, phi, step, dh, grads, dxs && stepRows(dxs, t, B), dhPrev, da);

    [dhNext, dhPrev] = [dhPrev, dhNext]; // carry ∂L/∂hₜ₋₁ to the next iteration
    if (k > 0 && t % k === 0) dhNext.data.fill(0); // truncation: hₜ₋₁ is a detached chunk boundary
  }
  return { dh0: dhNext, dhNorms };
}
