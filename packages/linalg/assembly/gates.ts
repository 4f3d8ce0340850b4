/**
 * The gated cells' elementwise step in float32, four hidden units per pass: the loops of rnn-core's
 * lstm/lstm.ts and gru/gru.ts (the readable reference, which runs for float64 and elsewhere), fused
 * into one pass over a step's rows. Gate blocks are PyTorch's: i | f | g | o (LSTM), r | z | n (GRU),
 * each H wide, one row of 4H (3H) per sequence. Every pointer is a byte address; H is a multiple of 4.
 */
import { sigmoid4, tanh4 } from "./activations";
import { gemm_packed_f32 } from "./gemm-packed-f32";
import { add_rows_f32 } from "./rows";

const one = f32x4.splat(1);

function mul(a: v128, b: v128): v128 {
  return f32x4.mul(a, b);
}

/**
 * LSTM forward, rows [0, Bt): z (Bt, 4H) becomes the gates, then
 *   cₜ = f ⊙ cₜ₋₁ + i ⊙ g,   tanh(cₜ) kept,   hₜ = o ⊙ tanh(cₜ).
 */
export function lstm_forward_f32(z: usize, cPrev: usize, c: usize, tanhC: usize, h: usize, Bt: i32, H: i32): void {
  const w = (<usize>H) << 2; // bytes in one gate block
  for (let b = 0; b < Bt; b++) {
    const r = z + <usize>b * 4 * w;
    const u = <usize>b * w; // row b of the (B, H) blocks
    for (let o: usize = 0; o < w; o += 16) {
      const i = sigmoid4(v128.load(r + o));
      const f = sigmoid4(v128.load(r + w + o));
      const g = tanh4(v128.load(r + 2 * w + o));
      const og = sigmoid4(v128.load(r + 3 * w + o));
      v128.store(r + o, i);
      v128.store(r + w + o, f);
      v128.store(r + 2 * w + o, g);
      v128.store(r + 3 * w + o, og);
      const cn = f32x4.add(mul(f, v128.load(cPrev + u + o)), mul(i, g));
      const tc = tanh4(cn);
      v128.store(c + u + o, cn);
      v128.store(tanhC + u + o, tc);
      v128.store(h + u + o, mul(og, tc));
    }
  }
}

/**
 * LSTM backward through one step's elementwise part, rows [0, Bt): from dh = ∂L/∂hₜ and dcNext =
 * ∂L/∂cₜ from step t+1, writes dz (Bt, 4H) and leaves ∂L/∂cₜ₋₁ in dcNext.
 */
export function lstm_backward_f32(
  gates: usize,
  cPrev: usize,
  tanhC: usize,
  dh: usize,
  dcNext: usize,
  dz: usize,
  Bt: i32,
  H: i32,
): void {
  const w = (<usize>H) << 2;
  for (let b = 0; b < Bt; b++) {
    const r = <usize>b * 4 * w;
    const u = <usize>b * w;
    for (let o: usize = 0; o < w; o += 16) {
      const i = v128.load(gates + r + o);
      const f = v128.load(gates + r + w + o);
      const g = v128.load(gates + r + 2 * w + o);
      const og = v128.load(gates + r + 3 * w + o);
      const tc = v128.load(tanhC + u + o);
      const d = v128.load(dh + u + o);
      const dc = f32x4.add(v128.load(dcNext + u + o), mul(mul(d, og), f32x4.sub(one, mul(tc, tc))));
      v128.store(dcNext + u + o, mul(dc, f));
      v128.store(dz + r + o, mul(mul(dc, g), mul(i, f32x4.sub(one, i))));
      v128.store(dz + r + w + o, mul(mul(dc, v128.load(cPrev + u + o)), mul(f, f32x4.sub(one, f))));
      v128.store(dz + r + 2 * w + o, mul(mul(dc, i), f32x4.sub(one, mul(g, g))));
      v128.store(dz + r + 3 * w + o, mul(mul(d, tc), mul(og, f32x4.sub(one, og))));
    }
  }
}

/**
 * GRU forward, rows [0, Bt): a (Bt, 3H) holds aᵢ and becomes the gates r | z | n, from aₕ (Bt, 3H):
 *   r = σ(a_ir + a_hr),  z = σ(a_iz + a_hz),  n = tanh(a_in + r ⊙ a_hn),  hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁;
 * a_hn is kept in ahn (Bt, H).
 */
export function gru_forward_f32(a: usize, ah: usize, ahn: usize, hPrev: usize, h: usize, Bt: i32, H: i32): void {
  const w = (<usize>H) << 2;
  for (let b = 0; b < Bt; b++) {
    const r3 = <usize>b * 3 * w;
    const u = <usize>b * w;
    for (let o: usize = 0; o < w; o += 16) {
      const r = sigmoid4(f32x4.add(v128.load(a + r3 + o), v128.load(ah + r3 + o)));
      const z = sigmoid4(f32x4.add(v128.load(a + r3 + w + o), v128.load(ah + r3 + w + o)));
      const hn = v128.load(ah + r3 + 2 * w + o);
      const n = tanh4(f32x4.add(v128.load(a + r3 + 2 * w + o), mul(r, hn)));
      v128.store(a + r3 + o, r);
      v128.store(a + r3 + w + o, z);
      v128.store(a + r3 + 2 * w + o, n);
      v128.store(ahn + u + o, hn);
      v128.store(h + u + o, f32x4.add(mul(f32x4.sub(one, z), n), mul(z, v128.load(hPrev + u + o))));
    }
  }
}

/**
 * GRU backward through one step's elementwise part, rows [0, Bt): from dh = ∂L/∂hₜ writes ∂L/∂aᵢ
 * and ∂L/∂aₕ (Bt, 3H) and dhNext = dh ⊙ z (the product with W_hh is added by the caller).
 */
export function gru_backward_f32(
  gates: usize,
  ahn: usize,
  hPrev: usize,
  dh: usize,
  dhNext: usize,
  dai: usize,
  dah: usize,
  Bt: i32,
  H: i32,
): void {
  const w = (<usize>H) << 2;
  for (let b = 0; b < Bt; b++) {
    const r3 = <usize>b * 3 * w;
    const u = <usize>b * w;
    for (let o: usize = 0; o < w; o += 16) {
      const r = v128.load(gates + r3 + o);
      const z = v128.load(gates + r3 + w + o);
      const n = v128.load(gates + r3 + 2 * w + o);
      const d = v128.load(dh + u + o);
      const dn = mul(d, f32x4.sub(one, z));
      const dz = mul(d, f32x4.sub(v128.load(hPrev + u + o), n));
      v128.store(dhNext + u + o, mul(d, z));
      const da_in = mul(dn, f32x4.sub(one, mul(n, n)));
      const da_r = mul(mul(da_in, v128.load(ahn + u + o)), mul(r, f32x4.sub(one, r)));
      const da_z = mul(dz, mul(z, f32x4.sub(one, z)));
      v128.store(dai + r3 + o, da_r);
      v128.store(dai + r3 + w + o, da_z);
      v128.store(dai + r3 + 2 * w + o, da_in);
      v128.store(dah + r3 + o, da_r);
      v128.store(dah + r3 + w + o, da_z);
      v128.store(dah + r3 + 2 * w + o, mul(da_in, r));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A whole step of rows [0, M): the recurrent product (B in panels, gemm-packed-f32.ts) and the
// elementwise pass above, so that a band of rows is one task for a thread (src/gates.ts). Each
// takes 11 arguments and `work`, as the thread pool calls its operations; unused ones are 0.

/** zₜ (M, 4H) += hₜ₋₁·W_hhᵀ, then lstm_forward_f32. */
export function lstm_step_forward_f32(
  M: i32,
  H: i32,
  hPrev: usize,
  bp: usize,
  z: usize,
  cPrev: usize,
  c: usize,
  tanhC: usize,
  h: usize,
  _a: i32,
  _b: i32,
  work: usize,
): void {
  gemm_packed_f32(M, 4 * H, H, hPrev, H, 1, bp, 8 * H, z, 4 * H, 1, work);
  lstm_forward_f32(z, cPrev, c, tanhC, h, M, H);
}

/** lstm_backward_f32, then dhNext (M, H) = dzₜ·W_hh. */
export function lstm_step_backward_f32(
  M: i32,
  H: i32,
  gates: usize,
  cPrev: usize,
  tanhC: usize,
  dh: usize,
  dcNext: usize,
  dz: usize,
  bp: usize,
  dhNext: usize,
  _a: i32,
  work: usize,
): void {
  lstm_backward_f32(gates, cPrev, tanhC, dh, dcNext, dz, M, H);
  gemm_packed_f32(M, H, 4 * H, dz, 4 * H, 1, bp, 32 * H, dhNext, H, 0, work);
}

/** aₕ (M, 3H) = hₜ₋₁·W_hhᵀ (+ b_hh when `bias`), then gru_forward_f32. */
export function gru_step_forward_f32(
  M: i32,
  H: i32,
  hPrev: usize,
  bp: usize,
  ah: usize,
  bhh: usize,
  bias: i32,
  a: usize,
  ahn: usize,
  h: usize,
  _a: i32,
  work: usize,
): void {
  gemm_packed_f32(M, 3 * H, H, hPrev, H, 1, bp, 8 * H, ah, 3 * H, 0, work);
  if (bias) add_rows_f32(ah, M, 3 * H, bhh);
  gru_forward_f32(a, ah, ahn, hPrev, h, M, H);
}

/** gru_backward_f32, then dhNext (M, H) += ∂L/∂aₕ·W_hh. */
export function gru_step_backward_f32(
  M: i32,
  H: i32,
  gates: usize,
  ahn: usize,
  hPrev: usize,
  dh: usize,
  dhNext: usize,
  dai: usize,
  dah: usize,
  bp: usize,
  _a: i32,
  work: usize,
): void {
  gru_backward_f32(gates, ahn, hPrev, dh, dhNext, dai, dah, M, H);
  gemm_packed_f32(M, H, 3 * H, dah, 3 * H, 1, bp, 24 * H, dhNext, H, 1, work);
}
