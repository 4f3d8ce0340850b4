/**
 * The Elman RNN's recurrence over a whole sequence in one call, for small layers (float32): a tiny
 * model's step is a few dozen multiply-adds, so crossing into WebAssembly for its product and again
 * for its φ cost more than the arithmetic. rnn-core's rnn.ts loop is the readable reference; these
 * are that loop, with the same names (src/elman.ts says when they run).
 *
 *   forward, t = 0 … T−1:   aₜ += hₜ₋₁·W_hhᵀ;  hₜ = φ(aₜ)
 *   backward, t = T−1 … 0:  dh = up_t + dhNext;  sq[t] = ‖dh‖²;  daₜ = dh ⊙ φ'(aₜ);  dhNext = daₜ·W_hh
 *
 * Time-major buffers, B rows per step, all running (a full batch): a (T·B, H), hs ((T+1)·B, H),
 * da and up (T·B, H), dhNext (B, H), sq (T) float64. φ: 0 tanh, 1 sigmoid, 2 relu.
 */
import { sigmoid_f32, tanh_f32 } from "./activations";
import { row } from "./gemm-f32";

/** c (B, H) (+)= x (B, H) · M (H, H), M row-major: gemm_f32's row kernel, row by row. */
function rowsTimes(B: i32, H: i32, x: usize, m: usize, c: usize, acc: i32): void {
  const w = (<usize>H) << 2; // one row's bytes
  for (let i = 0; i < B; i++) row(H, H, x + <usize>i * w, 4, m, w, c + <usize>i * w, acc);
}

/** hₜ = φ(aₜ) over n floats. */
function phi(kind: i32, a: usize, h: usize, n: i32): void {
  if (kind === 0) tanh_f32(a, h, n);
  else if (kind === 1) sigmoid_f32(a, h, n);
  else for (let i = 0; i < n; i++) store<f32>(h + ((<usize>i) << 2), max<f32>(0, load<f32>(a + ((<usize>i) << 2))));
}

/** The forward recurrence; Wt = W_hhᵀ (H, H) row-major; a holds the input's share of every step. */
export function rnn_forward_f32(T: i32, B: i32, H: i32, a: usize, hs: usize, Wt: usize, kind: i32): void {
  const n = B * H;
  const bytes = (<usize>n) << 2; // one step's block
  for (let t = 0; t < T; t++) {
    const at = a + <usize>t * bytes;
    rowsTimes(B, H, hs + <usize>t * bytes, Wt, at, 1); //  aₜ += hₜ₋₁·W_hhᵀ   (hₜ₋₁ is block t of hs)
    phi(kind, at, hs + <usize>(t + 1) * bytes, n); //          hₜ = φ(aₜ)          (hₜ is block t + 1)
  }
}

/**
 * BPTT through the recurrence; W = W_hh (H, H) row-major; up is ∂L/∂hₜ from above; dhNext starts at
 * ∂L/∂h_T from after the sequence (zeros) and ends as ∂L/∂h₀. truncate > 0 zeroes it every `truncate` steps.
 */
export function rnn_backward_f32(
  T: i32,
  B: i32,
  H: i32,
  da: usize,
  up: usize,
  dhNext: usize,
  hs: usize,
  W: usize,
  sq: usize,
  truncate: i32,
  kind: i32,
): void {
  const n = B * H;
  const bytes = (<usize>n) << 2;
  for (let t = T - 1; t >= 0; t--) {
    const o = <usize>t * bytes;
    const h = hs + o + bytes; // hₜ
    let s: f64 = 0;
    for (let i = 0; i < n; i++) {
      const q = (<usize>i) << 2;
      const dh = load<f32>(up + o + q) + load<f32>(dhNext + q); // ∂L/∂hₜ from above at t, and from t+1
      s += <f64>dh * <f64>dh;
      const y = load<f32>(h + q);
      // hₜ = φ(aₜ)  ⇒  daₜ = dh ⊙ φ'(aₜ), φ' written from hₜ: tanh 1 − h², σ h(1 − h), relu [h > 0]
      const d: f32 = kind === 0 ? 1 - y * y : kind === 1 ? y * (1 - y) : y > 0 ? 1 : 0;
      store<f32>(da + o + q, dh * d);
    }
    store<f64>(sq + ((<usize>t) << 3), s);
    rowsTimes(B, H, da + o, W, dhNext, 0); // aₜ = … + hₜ₋₁·W_hhᵀ  ⇒  dhₜ₋₁ = daₜ·W_hh
    if (truncate > 0 && t % truncate === 0) memory.fill(dhNext, 0, bytes); // hₜ₋₁ is a detached chunk boundary
  }
}
