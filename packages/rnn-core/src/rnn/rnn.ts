/**
 * The Elman RNN over a whole sequence, forward and backward side by side.
 *
 *   aₜ = xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh        (B, H)
 *   hₜ = φ(aₜ)                                       (B, H)
 *
 * The forward walks t = 0 … T−1 carrying hₜ; the backward walks t = T−1 … 0 carrying
 * dhNext = ∂L/∂hₜ arriving from step t+1, like min-char-rnn's lossFun. Only the hₜ₋₁·W_hhᵀ term and
 * its backward depend on the previous step; everything else is done for all steps at once, as one
 * product over (T·B) rows, before the forward loop and after the backward loop. Derivation with these
 * names: docs/bptt.md. Buffers: shared/sequence.ts. Shapes: B batch, D input size, H hidden size;
 * Bₜ = s.batchSizes[t] rows still running at step t (all B unless the sequences' lengths differ).
 * The backward accumulates (+=) into the caller's gradient buffers and into dx.
 */
import {
  elmanBackward,
  elmanForward,
  type FloatArray,
  gemmPacked,
  gemmTN,
  type Matrix,
  packRight,
} from "@unrolled/linalg";
import type { Nonlinearity } from "../config.js";
import type { CellParams } from "../params/params.js";
import { addBiases, addBiasGradients, projectInputs, projectInputsBackward } from "../shared/projection.js";
import { type RnnSequence, type SequenceInput, zeroTail } from "../shared/sequence.js";
import { phiBackward, phiRange } from "./nonlinearity.js";

/** Runs the recurrence from h₀ (rows [0, B) of s.hs, set by the caller), writing every hₜ into s.hs. */
export function rnnForward(p: CellParams, phi: Nonlinearity, s: RnnSequence, input: SequenceInput): void {
  const { B, T, batchSizes } = s;
  const H = p.W_hh.cols;
  const n = B * H;
  const a = s.a.data; // (T·B, H) aₜ for every step
  const hs = s.hs.data; // ((T+1)·B, H)
  // the input's share for every step at once:  A = X·W_ihᵀ + b_ih + b_hh
  projectInputs(input, p.W_ih, s.a);
  if (p.b_ih !== null && p.b_hh !== null) addBiases(a, T * B, H, p.b_ih.data, p.b_hh.data);
  packRight(s.W_hhP, H, H, p.W_hh.data, 0, true, B); // W_hhᵀ, laid out once for the T products below
  // a small layer with every sequence running all T steps: the loop below in one float32 WebAssembly call
  if (batchSizes[T - 1] === B && elmanForward(T, B, H, phi, a, hs, s.W_hhP)) return;
  for (let t = 0; t < T; t++) {
    const Bt = batchSizes[t] as number;
    gemmPacked(Bt, hs, t * n, s.W_hhP, a, t * n, true); // aₜ += hₜ₋₁·W_hhᵀ   (hₜ₋₁ is row block t of hs)
    phiRange(phi, a, t * n, hs, (t + 1) * n, Bt * H); //              hₜ = φ(aₜ)        (hₜ is row block t+1)
    zeroTail(hs, (t + 1) * n, Bt, B, H); // the sequences that have ended output zeros
  }
}

/**
 * BPTT. Reads the forward's `input` and buffers; dhs (T·B, H) is ∂L/∂hₜ arriving from above at each
 * step (the head, or the layer above); s.dhNext must be zero (nothing after the last step uses it).
 * Accumulates into grads and into dx (T·B, D) (null: skip ∂L/∂x). Leaves ∂L/∂h₀ in s.dhNext and
 * ‖∂L/∂hₜ‖ in s.norms. truncate > 0 cuts the gradient every `truncate` steps.
 */
export function rnnBackward(
  p: CellParams,
  phi: Nonlinearity,
  s: RnnSequence,
  input: SequenceInput,
  dhs: Matrix<FloatArray>,
  grads: CellParams,
  dx: Matrix<FloatArray> | null,
  truncate: number,
): void {
  const { B, T, batchSizes, dhNext } = s;
  const H = p.W_hh.cols;
  const n = B * H;
  const hs = s.hs.data;
  const da = s.da.data; // (T·B, H) ∂L/∂aₜ for every step
  const up = dhs.data;
  packRight(s.W_hhP, H, H, p.W_hh.data, 0, false, B); // W_hh, laid out once for the T products below
  // a small layer with every sequence running all T steps: the loop below in one float32 WebAssembly call
  const fused =
    batchSizes[T - 1] === B && elmanBackward(T, B, H, phi, [da, up, dhNext, hs], s.W_hhP, s.norms, truncate);
  for (let t = T - 1; t >= 0 && !fused; t--) {
    const [o, Bt] = [t * n, batchSizes[t] as number];
    // ∂L/∂hₜ = from above at t + from t+1, then through  hₜ = φ(aₜ)  ⇒  daₜ = dh ⊙ φ'(aₜ)
    s.norms[t] = Math.sqrt(phiBackward(phi, da, up, dhNext, hs, o, Bt * H, n));
    zeroTail(da, o, Bt, B, H); // ended sequences: no gradient at this step
    // forward: aₜ = … + hₜ₋₁·W_hhᵀ              ⇒ dhₜ₋₁ = daₜ·W_hh, carried to the next iteration
    gemmPacked(Bt, da, o, s.W_hhP, dhNext, 0, false);
    if (truncate > 0 && t % truncate === 0) dhNext.fill(0); // truncation: hₜ₋₁ is a detached chunk boundary
  }
  // the shares summed over all steps at once (W_ih, W_hh and the biases are the same at every step):
  // forward: aₜ = xₜ·W_ihᵀ + …                   ⇒ dW_ih += daᵀ·X,  dX += da·W_ih
  projectInputsBackward(input, s.da, p.W_ih, grads.W_ih, dx);
  // forward: aₜ = … + hₜ₋₁·W_hhᵀ                 ⇒ dW_hh += Σₜ daₜᵀ·hₜ₋₁
  gemmTN(H, H, T * B, da, 0, hs, 0, grads.W_hh.data, 0, true);
  // forward: aₜ = … + b_ih + b_hh (broadcast)     ⇒ db_ih += Σ rows da,  db_hh += Σ rows da
  if (grads.b_ih !== null && grads.b_hh !== null) addBiasGradients(da, T * B, H, grads.b_ih.data, grads.b_hh.data);
}
