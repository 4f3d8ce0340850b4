/**
 * Inverted dropout, forward and backward side by side (PyTorch's): while training each value is kept
 * with probability 1 − p and scaled by 1 / (1 − p), so that evaluation — which keeps everything — sees
 * the same expected values; the mask is drawn from the run's seeded Rng.
 *
 *   forward:   out = x ⊙ mask,   mask = [u ≥ p] / (1 − p), u ~ U(0, 1)    (mask = 1 in evaluation)
 *   backward:  dx = dout ⊙ mask
 */
import type { FloatArray, Rng } from "@unrolled/linalg";

/** out[0 … n) = x ⊙ mask, with a fresh mask drawn from rng (training) or a mask of ones (rng null). */
export function dropoutForward(
  x: FloatArray,
  out: FloatArray,
  mask: FloatArray,
  n: number,
  p: number,
  rng: Rng | null,
): void {
  const keep = 1 / (1 - p);
  for (let i = 0; i < n; i++) {
    const m = rng === null ? 1 : rng.next() < p ? 0 : keep;
    mask[i] = m;
    out[i] = (x[i] as number) * m;
  }
}

// backward of out = x ⊙ mask:  dx[0 … n) (+)= dout ⊙ mask
export function dropoutBackward(
  dout: FloatArray,
  mask: FloatArray,
  dx: FloatArray,
  n: number,
  accumulate: boolean,
): void {
  for (let i = 0; i < n; i++) {
    const g = (dout[i] as number) * (mask[i] as number);
    dx[i] = accumulate ? (dx[i] as number) + g : g;
  }
}
