/**
 * One step of the GRU, forward and backward side by side, in PyTorch's gate order r, z, n and with
 * PyTorch's variant of the candidate (the reset gate multiplies W_hn·h + b_hn, after the product):
 *
 *   aᵢ = xₜ·W_ihᵀ + b_ih    (B, 3H): a_ir | a_iz | a_in         the input's share of each gate
 *   aₕ = hₜ₋₁·W_hhᵀ + b_hh  (B, 3H): a_hr | a_hz | a_hn         the state's share
 *   r = σ(a_ir + a_hr)      z = σ(a_iz + a_hz)                   reset and update gates
 *   n = tanh(a_in + r ⊙ a_hn)                                    the candidate state
 *   hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁
 *
 * Differs from Cho et al. 2014, whose candidate is tanh(W x + U (r ⊙ hₜ₋₁)): the reset gate is applied
 * to hₜ₋₁ before the product there, to the product here. Matches PyTorch (and cuDNN). docs/gru.md
 * derives the backward with these names.
 */
import {
  addRowVectorInto,
  allocLike,
  assertShape,
  type FloatArray,
  Matrix,
  matmulAccumulate,
  matmulTransAAccumulate,
  matmulTransBInto,
  sigmoidScalar,
  sumRowsAccumulate,
} from "@unrolled/linalg";
import type { CellParams } from "../params/params.js";
import { inputProjectionBackward, inputProjectionInto } from "../shared/projection.js";

/** Everything gruCellBackward needs; nothing else. */
export interface GruStepCache {
  readonly x: Matrix<FloatArray>; // (B, D)
  readonly hPrev: Matrix<FloatArray>; // (B, H)
  readonly gates: Matrix<FloatArray>; // (B, 3H) r | z | n after their nonlinearities
  readonly ahn: Matrix<FloatArray>; // (B, H) a_hn = hₜ₋₁·W_hnᵀ + b_hn, which r multiplies
  readonly ids: Int32Array | null;
}

/** Writes hₜ into `h` (B, H); returns the step's cache. */
export function gruCellForward(
  p: CellParams,
  x: Matrix<FloatArray>,
  hPrev: Matrix<FloatArray>,
  h: Matrix<FloatArray>,
): GruStepCache {
  const [B, H] = [hPrev.rows, p.W_hh.cols];
  assertShape("gruCellForward", "x", x, [B, p.W_ih.cols], "(B, D)");
  assertShape("gruCellForward", "hPrev", hPrev, [B, H], "(B, H)");
  const ai = new Matrix(B, 3 * H, allocLike(x.data, B * 3 * H)); // (B, 3H)
  const ah = new Matrix(B, 3 * H, allocLike(x.data, B * 3 * H)); // (B, 3H)
  const ids = inputProjectionInto(ai, x, p.W_ih); // aᵢ = xₜ·W_ihᵀ
  matmulTransBInto(ah, hPrev, p.W_hh); // aₕ = hₜ₋₁·W_hhᵀ
  if (p.b_ih !== null && p.b_hh !== null) {
    addRowVectorInto(ai, ai, p.b_ih); // aᵢ += b_ih
    addRowVectorInto(ah, ah, p.b_hh); // aₕ += b_hh
  }
  const ahn = new Matrix(B, H, allocLike(x.data, B * H)); // (B, H)
  const A = ai.data; // becomes the gates r | z | n in place
  for (let b = 0; b < B; b++) {
    const q = b * 3 * H;
    for (let j = 0; j < H; j++) {
      const r = sigmoidScalar((A[q + j] as number) + (ah.data[q + j] as number)); // r = σ(a_ir + a_hr)
      const z = sigmoidScalar((A[q + H + j] as number) + (ah.data[q + H + j] as number)); // z = σ(a_iz + a_hz)
      const hn = ah.data[q + 2 * H + j] as number;
      const n = Math.tanh((A[q + 2 * H + j] as number) + r * hn); // n = tanh(a_in + r ⊙ a_hn)
      A[q + j] = r;
      A[q + H + j] = z;
      A[q + 2 * H + j] = n;
      ahn.data[b * H + j] = hn;
      h.data[b * H + j] = (1 - z) * n + z * (hPrev.data[b * H + j] as number); // hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁
    }
  }
  return { x, hPrev, gates: ai, ahn, ids };
}

/**
 * Given dh = ∂L/∂hₜ (B, H), adds this step's share to grads and dx (null: skip) and writes ∂L/∂hₜ₋₁
 * into dhPrev. `dai`, `dah` (B, 3H) are scratch space.
 */
export function gruCellBackward(
  p: CellParams,
  cache: GruStepCache,
  dh: Matrix<FloatArray>,
  grads: CellParams,
  dx: Matrix<FloatArray> | null,
  dhPrev: Matrix<FloatArray>,
  dai: Matrix<FloatArray> = new Matrix(dh.rows, 3 * dh.cols, allocLike(dh.data, dh.rows * 3 * dh.cols)),
  dah: Matrix<FloatArray> = new Matrix(dh.rows, 3 * dh.cols, allocLike(dh.data, dh.rows * 3 * dh.cols)),
): void {
  const { x, hPrev, gates, ahn } = cache;
  const [B, H] = [dh.rows, dh.cols];
  assertShape("gruCellBackward", "dh", dh, [hPrev.rows, hPrev.cols], "(B, H)");
  const G = gates.data;
  for (let b = 0; b < B; b++) {
    const q = b * 3 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const [r, z, n] = [G[q + j] as number, G[q + H + j] as number, G[q + 2 * H + j] as number];
      const dhk = dh.data[k] as number;
      // forward: hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁   ⇒ dn = dh ⊙ (1 − z),  dz = dh ⊙ (hₜ₋₁ − n),  dhₜ₋₁ = dh ⊙ z (+ below)
      const dn = dhk * (1 - z);
      const dz = dhk * ((hPrev.data[k] as number) - n);
      dhPrev.data[k] = dhk * z;
      // forward: n = tanh(a_in + r ⊙ a_hn)      ⇒ da_in = dn ⊙ (1 − n²),  da_hn = da_in ⊙ r,  dr = da_in ⊙ a_hn
      const dan = dn * (1 - n * n);
      const dr = dan * (ahn.data[k] as number);
      // forward: r = σ(a_ir + a_hr), z = σ(a_iz + a_hz) ⇒ both shares get d(gate) ⊙ gate(1 − gate)
      const dar = dr * r * (1 - r);
      const daz = dz * z * (1 - z);
      dai.data[q + j] = dar;
      dai.data[q + H + j] = daz;
      dai.data[q + 2 * H + j] = dan;
      dah.data[q + j] = dar;
      dah.data[q + H + j] = daz;
      dah.data[q + 2 * H + j] = dan * r;
    }
  }
  // forward: aᵢ = xₜ·W_ihᵀ + b_ih           ⇒ dW_ih += daᵢᵀ·xₜ,  dxₜ += daᵢ·W_ih,  db_ih += Σ_b daᵢ
  inputProjectionBackward(dai, x, cache.ids, p.W_ih, grads.W_ih, dx);
  // forward: aₕ = hₜ₋₁·W_hhᵀ + b_hh         ⇒ dW_hh += daₕᵀ·hₜ₋₁, dhₜ₋₁ += daₕ·W_hh, db_hh += Σ_b daₕ
  matmulTransAAccumulate(grads.W_hh, dah, hPrev);
  matmulAccumulate(dhPrev, dah, p.W_hh);
  if (grads.b_ih !== null && grads.b_hh !== null) {
    sumRowsAccumulate(grads.b_ih, dai);
    sumRowsAccumulate(grads.b_hh, dah);
  }
}
