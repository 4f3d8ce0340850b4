/**
 * The GRU over a whole sequence, forward and backward side by side, in PyTorch's gate order r, z, n
 * and with PyTorch's variant of the candidate (the reset gate multiplies W_hn·h + b_hn, after the
 * product):
 *
 *   aᵢ = xₜ·W_ihᵀ + b_ih    (B, 3H): a_ir | a_iz | a_in         the input's share of each gate
 *   aₕ = hₜ₋₁·W_hhᵀ + b_hh  (B, 3H): a_hr | a_hz | a_hn         the state's share
 *   r = σ(a_ir + a_hr)      z = σ(a_iz + a_hz)                   reset and update gates
 *   n = tanh(a_in + r ⊙ a_hn)                                    the candidate state
 *   hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁
 *
 * Glossary (docs/glossary.md): B batch, T steps, D inputs, H hidden units; Bₜ the rows still running
 * at step t; aᵢ, aₕ (`ai`, `ah`) the input's and the state's shares; r z n the gates; dai, dah their
 * gradients; dhNext the gradient arriving at hₜ from step t+1.
 *
 * Differs from Cho et al. 2014, whose candidate is tanh(W x + U (r ⊙ hₜ₋₁)): the reset gate is applied
 * to hₜ₋₁ before the product there, to the product here. Matches PyTorch (and cuDNN). docs/gru.md
 * derives the backward with these names. As in rnn/rnn.ts, aᵢ for every step and every weight
 * gradient are one product over all T·B rows; only aₕ and its backward run step by step.
 */
import {
  addRowVectorAccumulate,
  type FloatArray,
  type GruStepBuffers,
  gemmPacked,
  gemmTN,
  gruStepBackward,
  gruStepForward,
  type Matrix,
  packRight,
  sigmoidRange,
  sumRowsAccumulate,
  tanhRange,
} from "@unrolled/linalg";
import type { CellParams } from "../params/params.js";
import { projectInputs, projectInputsBackward } from "../shared/projection.js";
import { type GruSequence, gatherDh, type SequenceInput, zeroTail } from "../shared/sequence.js";

/** Runs the GRU from h₀ (rows [0, B) of s.hs, set by the caller). */
export function gruForward(p: CellParams, s: GruSequence, input: SequenceInput): void {
  const { B, T, batchSizes, ah } = s;
  const H = p.W_hh.cols;
  const BH = B * H; // one step block of (B, H)
  const A = s.gates.data; // (T·B, 3H) aᵢ for every step, then the gates r | z | n
  const [ahn, hs] = [s.ahn.data, s.hs.data];
  const bhh = p.b_hh?.data ?? null;
  // the input's share for every step at once:  Aᵢ = X·W_ihᵀ + b_ih
  projectInputs(input, p.W_ih, s.gates);
  if (p.b_ih !== null) addRowVectorAccumulate(A, 0, T * B, 3 * H, p.b_ih.data, 0);
  packRight(s.W_hhP, H, 3 * H, p.W_hh.data, 0, true, B); // W_hhᵀ, laid out once for the T products below
  const fused = { ...stepBuffers(s, H), W: s.W_hhP, b_hh: bhh };
  for (let t = 0; t < T; t++) {
    const Bt = batchSizes[t] as number;
    // the product, the gates and hₜ: fused in float32 WebAssembly (threads share the rows), else:
    if (!gruStepForward(fused, t, Bt)) {
      gemmPacked(Bt, hs, t * BH, s.W_hhP, ah, 0, false); // aₕ = hₜ₋₁·W_hhᵀ
      if (bhh !== null) addRowVectorAccumulate(ah, 0, Bt, 3 * H, bhh, 0); // aₕ += b_hh
      gatesForward([A, ah, ahn, hs], t, BH, Bt, H);
    }
    zeroTail(hs, (t + 1) * BH, Bt, B, H); // the sequences that have ended output zeros
  }
}

/**
 * BPTT. Reads the forward's `input` and buffers; dhs (T·B, H) is ∂L/∂hₜ from above at each step;
 * s.dhNext must be zero. Accumulates into grads and dx (null: skip); leaves ∂L/∂h₀ in s.dhNext and
 * ‖∂L/∂hₜ‖ in s.norms. truncate > 0 cuts the gradient every `truncate` steps.
 */
export function gruBackward(
  p: CellParams,
  s: GruSequence,
  input: SequenceInput,
  dhs: Matrix<FloatArray>,
  grads: CellParams,
  dx: Matrix<FloatArray> | null,
  truncate: number,
): void {
  const { B, T, batchSizes, dh, dhNext } = s;
  const H = p.W_hh.cols;
  const BH = B * H; // one step block of (B, H)
  const A = s.gates.data; // the gates r | z | n
  const [ahn, hs] = [s.ahn.data, s.hs.data];
  const [dai, dah] = [s.dai.data, s.dah.data]; // (T·B, 3H) ∂L/∂aᵢ and ∂L/∂aₕ
  packRight(s.W_hhP, 3 * H, H, p.W_hh.data, 0, false, B); // W_hh, laid out once for the T products below
  const fused = { ...stepBuffers(s, H), W: s.W_hhP, b_hh: null };
  for (let t = T - 1; t >= 0; t--) {
    const Bt = batchSizes[t] as number;
    s.norms[t] = Math.sqrt(gatherDh(dh, dhs.data, t * BH, dhNext, Bt * H)); // ∂L/∂hₜ from above and from t+1
    // back through the gates and hₜ, then the product: fused in float32 WebAssembly, else:
    if (!gruStepBackward(fused, t, Bt)) {
      gatesBackward([A, ahn, hs], [dh, dhNext, dai, dah], t, BH, Bt, H);
      // forward: aₕ = hₜ₋₁·W_hhᵀ + b_hh     ⇒ dhₜ₋₁ += daₕ·W_hh, carried to the next iteration
      gemmPacked(Bt, dah, t * 3 * BH, s.W_hhP, dhNext, 0, true);
    }
    zeroTail(dai, t * 3 * BH, Bt, B, 3 * H); // ended sequences: no gradient at this step
    zeroTail(dah, t * 3 * BH, Bt, B, 3 * H);
    if (truncate > 0 && t % truncate === 0) dhNext.fill(0); // truncation: hₜ₋₁ is a detached chunk boundary
  }
  // forward: aᵢ = xₜ·W_ihᵀ + b_ih           ⇒ dW_ih += daᵢᵀ·X,  dX += daᵢ·W_ih,  db_ih += Σ rows daᵢ
  projectInputsBackward(input, s.dai, p.W_ih, grads.W_ih, dx);
  // forward: aₕ = hₜ₋₁·W_hhᵀ + b_hh         ⇒ dW_hh += Σₜ daₕᵀ·hₜ₋₁,  db_hh += Σ rows daₕ
  gemmTN(3 * H, H, T * B, dah, 0, hs, 0, grads.W_hh.data, 0, true);
  if (grads.b_ih !== null && grads.b_hh !== null) {
    sumRowsAccumulate(grads.b_ih.data, 0, dai, 0, T * B, 3 * H);
    sumRowsAccumulate(grads.b_hh.data, 0, dah, 0, T * B, 3 * H);
  }
}

/** The sequence's buffers as linalg's fused step reads them (W and b_hh are set by each direction). */
function stepBuffers(s: GruSequence, H: number): Omit<GruStepBuffers, "W" | "b_hh"> {
  const [gates, ahn, hs, dai, dah] = [s.gates.data, s.ahn.data, s.hs.data, s.dai.data, s.dah.data];
  return { B: s.B, H, gates, ah: s.ah, ahn, hs, dai, dah, dh: s.dh, dhNext: s.dhNext };
}

/**
 * Step t's gates and hₜ over its Bt running rows, the reference for linalg's fused pass: aᵢ (A's
 * step-t block) becomes r | z | n from aₕ (ah); BH = B·H, one (B, H) block.
 */
function gatesForward(
  [A, ah, ahn, hs]: [FloatArray, FloatArray, FloatArray, FloatArray],
  t: number,
  BH: number,
  Bt: number,
  H: number,
): void {
  for (let b = 0; b < Bt; b++) {
    const row = t * 3 * BH + b * 3 * H; // row b of step t in A
    const q = b * 3 * H; // row b in aₕ
    for (let j = 0; j < 2 * H; j++) A[row + j] = (A[row + j] as number) + (ah[q + j] as number); // a_ir + a_hr | a_iz + a_hz
    sigmoidRange(A, row, A, row, 2 * H); // r = σ(a_ir + a_hr),  z = σ(a_iz + a_hz)
    for (let j = 0; j < H; j++) {
      const a_hn = ah[q + 2 * H + j] as number;
      ahn[t * BH + b * H + j] = a_hn;
      A[row + 2 * H + j] = (A[row + 2 * H + j] as number) + (A[row + j] as number) * a_hn; // a_in + r ⊙ a_hn
    }
    tanhRange(A, row + 2 * H, A, row + 2 * H, H); // n = tanh(a_in + r ⊙ a_hn)
    for (let j = 0; j < H; j++) {
      const [z, n] = [A[row + H + j] as number, A[row + 2 * H + j] as number];
      const k = t * BH + b * H + j;
      hs[BH + k] = (1 - z) * n + z * (hs[k] as number); // hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁
    }
  }
}

/**
 * Back through step t's gates and hₜ over its Bt running rows, the reference for linalg's fused
 * pass: ∂L/∂aᵢ and ∂L/∂aₕ at step t's block of dai and dah, dhNext = dh ⊙ z.
 */
function gatesBackward(
  [A, ahn, hs]: [FloatArray, FloatArray, FloatArray],
  [dh, dhNext, dai, dah]: [FloatArray, FloatArray, FloatArray, FloatArray],
  t: number,
  BH: number,
  Bt: number,
  H: number,
): void {
  for (let b = 0; b < Bt; b++) {
    const row = t * 3 * BH + b * 3 * H;
    for (let j = 0; j < H; j++) {
      const q = b * H + j;
      const [r, z, n] = [A[row + j] as number, A[row + H + j] as number, A[row + 2 * H + j] as number];
      const dhq = dh[q] as number;
      // forward: hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁   ⇒ dn = dh ⊙ (1 − z),  dz = dh ⊙ (hₜ₋₁ − n),  dhₜ₋₁ = dh ⊙ z (+ below)
      const dn = dhq * (1 - z);
      const dz = dhq * ((hs[t * BH + q] as number) - n);
      dhNext[q] = dhq * z;
      // forward: n = tanh(a_in + r ⊙ a_hn)      ⇒ da_in = dn ⊙ (1 − n²),  da_hn = da_in ⊙ r,  dr = da_in ⊙ a_hn
      const da_in = dn * (1 - n * n);
      const dr = da_in * (ahn[t * BH + q] as number);
      // forward: r = σ(a_ir + a_hr), z = σ(a_iz + a_hz) ⇒ both shares get d(gate) ⊙ gate(1 − gate)
      const da_r = dr * r * (1 - r);
      const da_z = dz * z * (1 - z);
      dai[row + j] = da_r;
      dai[row + H + j] = da_z;
      dai[row + 2 * H + j] = da_in;
      dah[row + j] = da_r;
      dah[row + H + j] = da_z;
      dah[row + 2 * H + j] = da_in * r; // da_hn
    }
  }
}
