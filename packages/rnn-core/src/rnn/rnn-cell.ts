/**
 * One step of the Elman RNN, forward and backward side by side.
 *
 *   aₜ = xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh        (B, H)
 *   hₜ = φ(aₜ)                                       (B, H)
 *
 * Shapes: B batch, D input size (of this layer), H hidden size. See docs/glossary.md and docs/bptt.md.
 * The backward accumulates (+=) into the caller's gradient buffers and into dx; it overwrites dhPrev.
 */
import {
  addRowVectorInto,
  assertShape,
  type FloatArray,
  type Matrix,
  matmulInto,
  matmulTransAAccumulate,
  matmulTransBAccumulate,
  sumRowsAccumulate,
  zerosLike,
} from "@unrolled/linalg";
import type { Nonlinearity } from "../config.js";
import type { CellParams } from "../params/params.js";
import { inputProjectionBackward, inputProjectionInto } from "../shared/projection.js";
import { phiBackwardInto, phiInto } from "./nonlinearity.js";

/** Everything rnnCellBackward needs; nothing else. */
export interface RnnStepCache {
  readonly x: Matrix<FloatArray>; // (B, D)
  readonly hPrev: Matrix<FloatArray>; // (B, H)
  readonly h: Matrix<FloatArray>; // (B, H) = φ(aₜ), which is all φ' needs
  /** When every row of x is one-hot (a character model), the index of each row's 1; else null. */
  readonly ids: Int32Array | null;
}

/** Writes hₜ into `h` (B, H) and returns the step's cache. `h` must not alias x or hPrev. */
export function rnnCellForward(
  p: CellParams,
  phi: Nonlinearity,
  x: Matrix<FloatArray>,
  hPrev: Matrix<FloatArray>,
  h: Matrix<FloatArray>,
): RnnStepCache {
  const [B, H] = [hPrev.rows, p.W_hh.cols];
  assertShape("rnnCellForward", "x", x, [B, p.W_ih.cols], "(B, D)");
  assertShape("rnnCellForward", "hPrev", hPrev, [B, H], "(B, H)");
  assertShape("rnnCellForward", "h", h, [B, H], "(B, H)");
  const a = h; // aₜ is built in h's storage, then squashed in place
  const ids = inputProjectionInto(a, x, p.W_ih); // aₜ  = xₜ·W_ihᵀ (a gather when xₜ is one-hot)
  matmulTransBAccumulate(a, hPrev, p.W_hh); // aₜ += hₜ₋₁·W_hhᵀ
  if (p.b_ih !== null && p.b_hh !== null) {
    addRowVectorInto(a, a, p.b_ih); // aₜ += b_ih
    addRowVectorInto(a, a, p.b_hh); // aₜ += b_hh
  }
  phiInto(phi, h, a); // hₜ = φ(aₜ)
  return { x, hPrev, h, ids };
}

/**
 * Given dh = ∂L/∂hₜ (B, H), adds this step's share to grads.W_ih, W_hh, b_ih, b_hh and to dx (B, D)
 * (pass dx = null when ∂L/∂x is not needed, e.g. for the first layer while training), and writes
 * ∂L/∂hₜ₋₁ into dhPrev (B, H). `da` (B, H) is scratch space (allocated if not given).
 */
export function rnnCellBackward(
  p: CellParams,
  phi: Nonlinearity,
  cache: RnnStepCache,
  dh: Matrix<FloatArray>,
  grads: CellParams,
  dx: Matrix<FloatArray> | null,
  dhPrev: Matrix<FloatArray>,
  da: Matrix<FloatArray> = zerosLike(dh),
): void {
  const { x, hPrev, h } = cache;
  assertShape("rnnCellBackward", "dh", dh, [h.rows, h.cols], "(B, H)");
  // forward: hₜ = φ(aₜ)                         ⇒ daₜ = dh ⊙ φ'(aₜ)
  phiBackwardInto(phi, da, dh, h);
  // forward: aₜ = xₜ·W_ihᵀ + …                  ⇒ dW_ih += daₜᵀ·xₜ,   dxₜ += daₜ·W_ih
  inputProjectionBackward(da, x, cache.ids, p.W_ih, grads.W_ih, dx);
  // forward: aₜ = … + hₜ₋₁·W_hhᵀ                ⇒ dW_hh += daₜᵀ·hₜ₋₁, dhₜ₋₁ = daₜ·W_hh
  matmulTransAAccumulate(grads.W_hh, da, hPrev);
  matmulInto(dhPrev, da, p.W_hh);
  // forward: aₜ = … + b_ih + b_hh (broadcast over the batch) ⇒ db_ih += Σ_b daₜ, db_hh += Σ_b daₜ
  if (grads.b_ih !== null && grads.b_hh !== null) {
    sumRowsAccumulate(grads.b_ih, da);
    sumRowsAccumulate(grads.b_hh, da);
  }
}
