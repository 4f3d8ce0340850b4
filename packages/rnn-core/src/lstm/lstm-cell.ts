/**
 * One step of the LSTM, forward and backward side by side, in PyTorch's gate order i, f, g, o.
 *
 *   zₜ = xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh      (B, 4H): blocks z_i | z_f | z_g | z_o
 *   i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)      input, forget, cell candidate, output
 *   cₜ = f ⊙ cₜ₋₁ + i ⊙ g                          (B, H)   the cell state: a separate memory
 *   hₜ = o ⊙ tanh(cₜ)                              (B, H)
 *
 * Shapes: B batch, D input size, H hidden size; row b of a (B, 4H) gate matrix holds [i | f | g | o].
 * Derivation with these names: docs/lstm.md. The backward accumulates into grads and dx.
 */
import {
  addRowVectorInto,
  allocLike,
  assertShape,
  type FloatArray,
  Matrix,
  matmulInto,
  matmulTransAAccumulate,
  matmulTransBAccumulate,
  sigmoidScalar,
  sumRowsAccumulate,
} from "@unrolled/linalg";
import type { CellParams } from "../params/params.js";
import { inputProjectionBackward, inputProjectionInto } from "../shared/projection.js";

/** Everything lstmCellBackward needs; nothing else. */
export interface LstmStepCache {
  readonly x: Matrix<FloatArray>; // (B, D)
  readonly hPrev: Matrix<FloatArray>; // (B, H)
  readonly cPrev: Matrix<FloatArray>; // (B, H)
  readonly gates: Matrix<FloatArray>; // (B, 4H) i | f | g | o after their nonlinearities
  readonly tanhC: Matrix<FloatArray>; // (B, H) tanh(cₜ), kept so the backward need not recompute it
  readonly ids: Int32Array | null; // one-hot columns of x, or null
}

/** Writes hₜ into `h` and cₜ into `c` (both (B, H)); returns the step's cache. */
export function lstmCellForward(
  p: CellParams,
  x: Matrix<FloatArray>,
  hPrev: Matrix<FloatArray>,
  cPrev: Matrix<FloatArray>,
  h: Matrix<FloatArray>,
  c: Matrix<FloatArray>,
): LstmStepCache {
  const [B, H] = [hPrev.rows, p.W_hh.cols];
  assertShape("lstmCellForward", "x", x, [B, p.W_ih.cols], "(B, D)");
  assertShape("lstmCellForward", "hPrev", hPrev, [B, H], "(B, H)");
  assertShape("lstmCellForward", "cPrev", cPrev, [B, H], "(B, H)");
  const z = new Matrix(B, 4 * H, allocLike(x.data, B * 4 * H)); // (B, 4H)
  const ids = inputProjectionInto(z, x, p.W_ih); // zₜ  = xₜ·W_ihᵀ
  matmulTransBAccumulate(z, hPrev, p.W_hh); // zₜ += hₜ₋₁·W_hhᵀ
  if (p.b_ih !== null && p.b_hh !== null) {
    addRowVectorInto(z, z, p.b_ih); // zₜ += b_ih
    addRowVectorInto(z, z, p.b_hh); // zₜ += b_hh
  }
  const tanhC = new Matrix(B, H, allocLike(x.data, B * H)); // (B, H)
  const g4 = z.data; // becomes the gates in place
  for (let b = 0; b < B; b++) {
    const r = b * 4 * H;
    for (let j = 0; j < H; j++) {
      const i = sigmoidScalar(g4[r + j] as number); // i = σ(z_i)
      const f = sigmoidScalar(g4[r + H + j] as number); // f = σ(z_f)
      const g = Math.tanh(g4[r + 2 * H + j] as number); // g = tanh(z_g)
      const o = sigmoidScalar(g4[r + 3 * H + j] as number); // o = σ(z_o)
      g4[r + j] = i;
      g4[r + H + j] = f;
      g4[r + 2 * H + j] = g;
      g4[r + 3 * H + j] = o;
      const cj = f * (cPrev.data[b * H + j] as number) + i * g; // cₜ = f ⊙ cₜ₋₁ + i ⊙ g
      const tc = Math.tanh(cj);
      c.data[b * H + j] = cj;
      tanhC.data[b * H + j] = tc;
      h.data[b * H + j] = o * tc; // hₜ = o ⊙ tanh(cₜ)
    }
  }
  return { x, hPrev, cPrev, gates: z, tanhC, ids };
}

/**
 * Given dh = ∂L/∂hₜ and dc = ∂L/∂cₜ arriving from step t+1 (both (B, H)), adds this step's share to
 * grads and dx (null: skip), and writes ∂L/∂hₜ₋₁ into dhPrev and ∂L/∂cₜ₋₁ into dcPrev.
 * `dz` (B, 4H) is scratch space.
 */
export function lstmCellBackward(
  p: CellParams,
  cache: LstmStepCache,
  dh: Matrix<FloatArray>,
  dc: Matrix<FloatArray>,
  grads: CellParams,
  dx: Matrix<FloatArray> | null,
  dhPrev: Matrix<FloatArray>,
  dcPrev: Matrix<FloatArray>,
  dz: Matrix<FloatArray> = new Matrix(dh.rows, 4 * dh.cols, allocLike(dh.data, dh.rows * 4 * dh.cols)),
): void {
  const { x, hPrev, cPrev, gates, tanhC } = cache;
  const [B, H] = [dh.rows, dh.cols];
  assertShape("lstmCellBackward", "dh", dh, [hPrev.rows, hPrev.cols], "(B, H)");
  assertShape("lstmCellBackward", "dc", dc, [B, H], "(B, H)");
  const G = gates.data;
  const d = dz.data;
  for (let b = 0; b < B; b++) {
    const r = b * 4 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const [i, f, g, o] = [
        G[r + j] as number,
        G[r + H + j] as number,
        G[r + 2 * H + j] as number,
        G[r + 3 * H + j] as number,
      ];
      const tc = tanhC.data[k] as number;
      const dhk = dh.data[k] as number;
      // forward: hₜ = o ⊙ tanh(cₜ)          ⇒ do = dh ⊙ tanh(cₜ),  dcₜ += dh ⊙ o ⊙ (1 − tanh²(cₜ))
      const dO = dhk * tc;
      const dct = (dc.data[k] as number) + dhk * o * (1 - tc * tc);
      // forward: cₜ = f ⊙ cₜ₋₁ + i ⊙ g       ⇒ di = dcₜ ⊙ g,  df = dcₜ ⊙ cₜ₋₁,  dg = dcₜ ⊙ i,  dcₜ₋₁ = dcₜ ⊙ f
      const dI = dct * g;
      const dF = dct * (cPrev.data[k] as number);
      const dG = dct * i;
      dcPrev.data[k] = dct * f;
      // forward: i, f, o = σ(z), g = tanh(z) ⇒ dz = d(gate) ⊙ σ' (= gate(1 − gate)) or tanh' (= 1 − g²)
      d[r + j] = dI * i * (1 - i);
      d[r + H + j] = dF * f * (1 - f);
      d[r + 2 * H + j] = dG * (1 - g * g);
      d[r + 3 * H + j] = dO * o * (1 - o);
    }
  }
  // forward: zₜ = xₜ·W_ihᵀ + …               ⇒ dW_ih += dzᵀ·xₜ,   dxₜ += dz·W_ih
  inputProjectionBackward(dz, x, cache.ids, p.W_ih, grads.W_ih, dx);
  // forward: zₜ = … + hₜ₋₁·W_hhᵀ             ⇒ dW_hh += dzᵀ·hₜ₋₁, dhₜ₋₁ = dz·W_hh
  matmulTransAAccumulate(grads.W_hh, dz, hPrev);
  matmulInto(dhPrev, dz, p.W_hh);
  // forward: zₜ = … + b_ih + b_hh           ⇒ db_ih += Σ_b dz,  db_hh += Σ_b dz
  if (grads.b_ih !== null && grads.b_hh !== null) {
    sumRowsAccumulate(grads.b_ih, dz);
    sumRowsAccumulate(grads.b_hh, dz);
  }
}
