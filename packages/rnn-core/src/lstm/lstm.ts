/**
 * The LSTM over a whole sequence, forward and backward side by side, in PyTorch's gate order i, f, g, o.
 *
 *   zₜ = xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh      (B, 4H): blocks z_i | z_f | z_g | z_o
 *   i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)      input, forget, cell candidate, output
 *   cₜ = f ⊙ cₜ₋₁ + i ⊙ g                          (B, H)   the cell state: a separate memory
 *   hₜ = o ⊙ tanh(cₜ)                              (B, H)
 *
 * Glossary (docs/glossary.md): B batch, T steps, D inputs, H hidden units; Bₜ the rows still running
 * at step t; zₜ / dz the pre-activations and their gradient; i f g o the gates; cₜ the cell state;
 * dhNext, dcNext the gradients arriving at hₜ and cₜ from step t+1.
 *
 * The backward carries two gradients back from step t+1: dhNext = ∂L/∂hₜ and dcNext = ∂L/∂cₜ. As in
 * rnn/rnn.ts, the input's share and every weight gradient are one product over all T·B rows; only the
 * hₜ₋₁ terms run step by step. Row b of a (B, 4H) gate block holds [i | f | g | o]. Derivation with
 * these names: docs/lstm.md. The backward accumulates into grads and dx.
 */
import {
  type FloatArray,
  gemmPacked,
  gemmTN,
  type LstmStepBuffers,
  lstmStepBackward,
  lstmStepForward,
  type Matrix,
  packRight,
  sigmoidRange,
  tanhRange,
} from "@unrolled/linalg";
import type { CellParams } from "../params/params.js";
import { addBiases, addBiasGradients, projectInputs, projectInputsBackward } from "../shared/projection.js";
import { gatherDh, type LstmSequence, type SequenceInput, zeroTail } from "../shared/sequence.js";

/** Runs the LSTM from (h₀, c₀) (rows [0, B) of s.hs and s.cs, set by the caller). */
export function lstmForward(p: CellParams, s: LstmSequence, input: SequenceInput): void {
  const { B, T, batchSizes } = s;
  const H = p.W_hh.cols;
  const n = B * H;
  const G = s.gates.data; // (T·B, 4H) zₜ, then the gates
  const [hs, cs, tanhC] = [s.hs.data, s.cs.data, s.tanhC.data];
  // the input's share for every step at once:  Z = X·W_ihᵀ + b_ih + b_hh
  projectInputs(input, p.W_ih, s.gates);
  if (p.b_ih !== null && p.b_hh !== null) addBiases(G, T * B, 4 * H, p.b_ih.data, p.b_hh.data);
  packRight(s.W_hhP, H, 4 * H, p.W_hh.data, 0, true, B); // W_hhᵀ, laid out once for the T products below
  const fused = { ...stepBuffers(s, H), W: s.W_hhP };
  for (let t = 0; t < T; t++) {
    const [zt, Bt] = [t * 4 * n, batchSizes[t] as number]; // step t's (B, 4H) block; its running rows
    // the product, the gates, cₜ and hₜ: fused in float32 WebAssembly (threads share the rows), else:
    if (!lstmStepForward(fused, t, Bt)) {
      gemmPacked(Bt, hs, t * n, s.W_hhP, G, zt, true); // zₜ += hₜ₋₁·W_hhᵀ
      gatesForward(G, zt, [cs, tanhC, hs], t * n, n, Bt, H);
    }
    zeroTail(hs, (t + 1) * n, Bt, B, H); // the sequences that have ended output zeros
    zeroTail(cs, (t + 1) * n, Bt, B, H);
  }
}

/**
 * BPTT. Reads the forward's `input` and buffers; dhs (T·B, H) is ∂L/∂hₜ from above at each step
 * (nothing reads cₜ from above); s.dhNext and s.dcNext must be zero. Accumulates into grads and dx
 * (null: skip); leaves ∂L/∂h₀ in s.dhNext, ∂L/∂c₀ in s.dcNext and ‖∂L/∂hₜ‖ in s.norms. truncate > 0
 * cuts the gradient every `truncate` steps.
 */
export function lstmBackward(
  p: CellParams,
  s: LstmSequence,
  input: SequenceInput,
  dhs: Matrix<FloatArray>,
  grads: CellParams,
  dx: Matrix<FloatArray> | null,
  truncate: number,
): void {
  const { B, T, batchSizes, dh, dhNext, dcNext } = s;
  const H = p.W_hh.cols;
  const n = B * H;
  const G = s.gates.data; // the gates i | f | g | o
  const [cs, tanhC] = [s.cs.data, s.tanhC.data];
  const dz = s.dz.data; // (T·B, 4H) ∂L/∂zₜ for every step
  packRight(s.W_hhP, 4 * H, H, p.W_hh.data, 0, false, B); // W_hh, laid out once for the T products below
  const fused = { ...stepBuffers(s, H), W: s.W_hhP };
  for (let t = T - 1; t >= 0; t--) {
    const [zt, Bt] = [t * 4 * n, batchSizes[t] as number];
    s.norms[t] = Math.sqrt(gatherDh(dh, dhs.data, t * n, dhNext, Bt * H)); // ∂L/∂hₜ from above and from t+1
    // back through the gates and the cell update, then the product: fused in float32 WebAssembly, else:
    if (!lstmStepBackward(fused, t, Bt)) {
      gatesBackward([G, cs, tanhC], [dh, dcNext, dz], zt, t * n, Bt, H);
      // forward: zₜ = … + hₜ₋₁·W_hhᵀ         ⇒ dhₜ₋₁ = dzₜ·W_hh, carried to the next iteration
      gemmPacked(Bt, dz, zt, s.W_hhP, dhNext, 0, false);
    }
    zeroTail(dz, zt, Bt, B, 4 * H); // ended sequences: no gradient at this step
    if (truncate > 0 && t % truncate === 0) {
      dhNext.fill(0); // truncation: (hₜ₋₁, cₜ₋₁) is a detached chunk boundary
      dcNext.fill(0);
    }
  }
  // forward: zₜ = xₜ·W_ihᵀ + …               ⇒ dW_ih += dzᵀ·X,  dX += dz·W_ih
  projectInputsBackward(input, s.dz, p.W_ih, grads.W_ih, dx);
  // forward: zₜ = … + hₜ₋₁·W_hhᵀ             ⇒ dW_hh += Σₜ dzₜᵀ·hₜ₋₁
  gemmTN(4 * H, H, T * B, dz, 0, s.hs.data, 0, grads.W_hh.data, 0, true);
  // forward: zₜ = … + b_ih + b_hh           ⇒ db_ih += Σ rows dz,  db_hh += Σ rows dz
  if (grads.b_ih !== null && grads.b_hh !== null) addBiasGradients(dz, T * B, 4 * H, grads.b_ih.data, grads.b_hh.data);
}

/** The sequence's buffers as linalg's fused step reads them (W is set by each direction). */
function stepBuffers(s: LstmSequence, H: number): Omit<LstmStepBuffers, "W"> {
  const [gates, hs, cs, tanhC, dz] = [s.gates.data, s.hs.data, s.cs.data, s.tanhC.data, s.dz.data];
  return { B: s.B, H, gates, hs, cs, tanhC, dz, dh: s.dh, dhNext: s.dhNext, dcNext: s.dcNext };
}

/**
 * Step t's elementwise part over its Bt running rows, the reference for linalg's fused pass: z (Bt, 4H)
 * at G[zt] becomes the gates; c = t·B·H is the step's offset in the (B, H) blocks (cₜ₋₁ at cs[c], cₜ
 * at cs[c + n], hₜ at hs[c + n]).
 */
function gatesForward(
  G: FloatArray,
  zt: number,
  [cs, tanhC, hs]: [FloatArray, FloatArray, FloatArray],
  c: number,
  n: number,
  Bt: number,
  H: number,
): void {
  for (let b = 0; b < Bt; b++) {
    const r = zt + b * 4 * H;
    sigmoidRange(G, r, G, r, 2 * H); // i = σ(z_i), f = σ(z_f)
    tanhRange(G, r + 2 * H, G, r + 2 * H, H); // g = tanh(z_g)
    sigmoidRange(G, r + 3 * H, G, r + 3 * H, H); // o = σ(z_o)
    for (let j = 0; j < H; j++) {
      const q = c + b * H + j;
      // cₜ = f ⊙ cₜ₋₁ + i ⊙ g
      cs[n + q] = (G[r + H + j] as number) * (cs[q] as number) + (G[r + j] as number) * (G[r + 2 * H + j] as number);
    }
  }
  tanhRange(cs, c + n, tanhC, c, Bt * H); // tanh(cₜ)
  for (let b = 0; b < Bt; b++) {
    const r = zt + b * 4 * H + 3 * H;
    for (let j = 0; j < H; j++) {
      const q = c + b * H + j;
      hs[n + q] = (G[r + j] as number) * (tanhC[q] as number); // hₜ = o ⊙ tanh(cₜ)
    }
  }
}

/**
 * Back through step t's gates and cell update over its Bt running rows, the reference for linalg's
 * fused pass: dz (Bt, 4H) at dz[zt] from dh and dcNext; c = t·B·H, as in gatesForward.
 */
function gatesBackward(
  [G, cs, tanhC]: [FloatArray, FloatArray, FloatArray],
  [dh, dcNext, dz]: [FloatArray, FloatArray, FloatArray],
  zt: number,
  c: number,
  Bt: number,
  H: number,
): void {
  for (let b = 0; b < Bt; b++) {
    const r = zt + b * 4 * H;
    for (let j = 0; j < H; j++) {
      const q = b * H + j;
      const [i, f, g, o] = [
        G[r + j] as number,
        G[r + H + j] as number,
        G[r + 2 * H + j] as number,
        G[r + 3 * H + j] as number,
      ];
      const tc = tanhC[c + q] as number;
      const dhq = dh[q] as number;
      // forward: hₜ = o ⊙ tanh(cₜ)          ⇒ do = dh ⊙ tanh(cₜ),  dcₜ += dh ⊙ o ⊙ (1 − tanh²(cₜ))
      const dO = dhq * tc;
      const dc = (dcNext[q] as number) + dhq * o * (1 - tc * tc);
      // forward: cₜ = f ⊙ cₜ₋₁ + i ⊙ g       ⇒ di = dcₜ ⊙ g,  df = dcₜ ⊙ cₜ₋₁,  dg = dcₜ ⊙ i,  dcₜ₋₁ = dcₜ ⊙ f
      const dI = dc * g;
      const dF = dc * (cs[c + q] as number);
      const dG = dc * i;
      dcNext[q] = dc * f;
      // forward: i, f, o = σ(z), g = tanh(z) ⇒ dz = d(gate) ⊙ σ' (= gate(1 − gate)) or tanh' (= 1 − g²)
      dz[r + j] = dI * i * (1 - i);
      dz[r + H + j] = dF * f * (1 - f);
      dz[r + 2 * H + j] = dG * (1 - g * g);
      dz[r + 3 * H + j] = dO * o * (1 - o);
    }
  }
}
