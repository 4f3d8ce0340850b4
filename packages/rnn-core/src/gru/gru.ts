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
 * Differs from Cho et al. 2014, whose candidate is tanh(W x + U (r ⊙ hₜ₋₁)): the reset gate is applied
 * to hₜ₋₁ before the product there, to the product here. Matches PyTorch (and cuDNN). docs/gru.md
 * derives the backward with these names. As in rnn/rnn.ts, aᵢ for every step and every weight
 * gradient are one product over all T·B rows; only aₕ and its backward run step by step.
 */
import {
  addToRows,
  type FloatArray,
  gemmNN,
  gemmTN,
  type Matrix,
  sigmoidRange,
  sumRowsInto,
  tanhRange,
  transposeInto,
} from "@unrolled/linalg";
import type { CellParams } from "../params/params.js";
import { projectInputs, projectInputsBackward } from "../shared/projection.js";
import { gatherDh, type Sequence } from "../shared/sequence.js";

/** Runs the GRU from h₀ (rows [0, B) of s.hs, set by the caller). */
export function gruForward(p: CellParams, s: Sequence): void {
  const { B, T } = s;
  const H = p.W_hh.cols;
  const n = B * H;
  const A = s.z.data; // (T·B, 3H) aᵢ for every step, then the gates r | z | n
  const ah = s.ah as FloatArray; // (B, 3H) aₕ of one step
  const ahn = (s.aux as Matrix<FloatArray>).data; // (T·B, H) a_hn, kept for the backward
  const hs = s.hs.data;
  const bhh = p.b_hh?.data ?? null;
  // the input's share for every step at once:  Aᵢ = X·W_ihᵀ + b_ih
  projectInputs(s, p.W_ih);
  if (p.b_ih !== null) addToRows(A, 0, T * B, 3 * H, p.b_ih.data, 0);
  const Wt = transposeInto(s.W_hhT, p.W_hh).data;
  for (let t = 0; t < T; t++) {
    gemmNN(B, 3 * H, H, hs, t * n, Wt, 0, ah, 0, false); // aₕ = hₜ₋₁·W_hhᵀ
    if (bhh !== null) addToRows(ah, 0, B, 3 * H, bhh, 0); // aₕ += b_hh
    for (let b = 0; b < B; b++) {
      const r = t * 3 * n + b * 3 * H; // row b of step t in A
      const q = b * 3 * H; // row b in aₕ
      for (let j = 0; j < 2 * H; j++) A[r + j] = (A[r + j] as number) + (ah[q + j] as number); // a_ir + a_hr | a_iz + a_hz
      sigmoidRange(A, r, A, r, 2 * H); // r = σ(a_ir + a_hr),  z = σ(a_iz + a_hz)
      for (let j = 0; j < H; j++) {
        const hn = ah[q + 2 * H + j] as number;
        ahn[t * n + b * H + j] = hn;
        A[r + 2 * H + j] = (A[r + 2 * H + j] as number) + (A[r + j] as number) * hn; // a_in + r ⊙ a_hn
      }
      tanhRange(A, r + 2 * H, A, r + 2 * H, H); // n = tanh(a_in + r ⊙ a_hn)
      for (let j = 0; j < H; j++) {
        const [z, cand] = [A[r + H + j] as number, A[r + 2 * H + j] as number];
        const k = t * n + b * H + j;
        hs[n + k] = (1 - z) * cand + z * (hs[k] as number); // hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁
      }
    }
  }
}

/**
 * BPTT. dhs (T·B, H) is ∂L/∂hₜ from above at each step; s.dhNext must be zero. Accumulates into
 * grads and dx (null: skip); leaves ∂L/∂h₀ in s.dhNext and ‖∂L/∂hₜ‖ in s.norms. k > 0 truncates.
 */
export function gruBackward(
  p: CellParams,
  s: Sequence,
  dhs: Matrix<FloatArray>,
  grads: CellParams,
  dx: Matrix<FloatArray> | null,
  k: number,
): void {
  const { B, T, dh, dhNext } = s;
  const H = p.W_hh.cols;
  const n = B * H;
  const A = s.z.data; // the gates r | z | n
  const ahn = (s.aux as Matrix<FloatArray>).data;
  const hs = s.hs.data;
  const dai = s.dz.data; // (T·B, 3H) ∂L/∂aᵢ
  const dzh = s.dzh as Matrix<FloatArray>;
  const dah = dzh.data; // (T·B, 3H) ∂L/∂aₕ
  for (let t = T - 1; t >= 0; t--) {
    s.norms[t] = Math.sqrt(gatherDh(dh, dhs.data, t * n, dhNext)); // ∂L/∂hₜ from above and from t+1
    for (let b = 0; b < B; b++) {
      const r = t * 3 * n + b * 3 * H;
      for (let j = 0; j < H; j++) {
        const q = b * H + j;
        const [rg, z, cand] = [A[r + j] as number, A[r + H + j] as number, A[r + 2 * H + j] as number];
        const dhq = dh[q] as number;
        // forward: hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁   ⇒ dn = dh ⊙ (1 − z),  dz = dh ⊙ (hₜ₋₁ − n),  dhₜ₋₁ = dh ⊙ z (+ below)
        const dn = dhq * (1 - z);
        const dZ = dhq * ((hs[t * n + q] as number) - cand);
        dhNext[q] = dhq * z;
        // forward: n = tanh(a_in + r ⊙ a_hn)      ⇒ da_in = dn ⊙ (1 − n²),  da_hn = da_in ⊙ r,  dr = da_in ⊙ a_hn
        const dan = dn * (1 - cand * cand);
        const dr = dan * (ahn[t * n + q] as number);
        // forward: r = σ(a_ir + a_hr), z = σ(a_iz + a_hz) ⇒ both shares get d(gate) ⊙ gate(1 − gate)
        const dar = dr * rg * (1 - rg);
        const daz = dZ * z * (1 - z);
        dai[r + j] = dar;
        dai[r + H + j] = daz;
        dai[r + 2 * H + j] = dan;
        dah[r + j] = dar;
        dah[r + H + j] = daz;
        dah[r + 2 * H + j] = dan * rg;
      }
    }
    // forward: aₕ = hₜ₋₁·W_hhᵀ + b_hh         ⇒ dhₜ₋₁ += daₕ·W_hh, carried to the next iteration
    gemmNN(B, H, 3 * H, dah, t * 3 * n, p.W_hh.data, 0, dhNext, 0, true);
    if (k > 0 && t % k === 0) dhNext.fill(0); // truncation: hₜ₋₁ is a detached chunk boundary
  }
  // forward: aᵢ = xₜ·W_ihᵀ + b_ih           ⇒ dW_ih += daᵢᵀ·X,  dX += daᵢ·W_ih,  db_ih += Σ rows daᵢ
  projectInputsBackward(s, s.dz, p.W_ih, grads.W_ih, dx);
  // forward: aₕ = hₜ₋₁·W_hhᵀ + b_hh         ⇒ dW_hh += Σₜ daₕᵀ·hₜ₋₁,  db_hh += Σ rows daₕ
  gemmTN(3 * H, H, T * B, dzh.data, 0, s.hs.data, 0, grads.W_hh.data, 0, true);
  if (grads.b_ih !== null && grads.b_hh !== null) {
    sumRowsInto(grads.b_ih.data, 0, dai, 0, T * B, 3 * H);
    sumRowsInto(grads.b_hh.data, 0, dah, 0, T * B, 3 * H);
  }
}
