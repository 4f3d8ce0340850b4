/**
 * Gradient clipping, kept apart from the optimizers (which never clip on their own).
 * reference: torch.nn.utils.clip_grad_norm_ and clip_grad_value_.
 */
import { ConfigError, type FloatArray } from "@unrolled/linalg";
import { positive } from "./hyper.js";

/**
 * Rescales the gradients so that their global L2 norm is at most `maxNorm`, exactly as
 * torch.nn.utils.clip_grad_norm_: g ← g · min(1, maxNorm / (‖g‖ + 1e-6)).
 * Returns the norm *before* clipping (NaN or ∞ if a gradient is not finite; then nothing is scaled).
 */
export function clipGradNorm(grads: FloatArray | readonly FloatArray[], maxNorm: number): number {
  positive("clipGradNorm", "maxNorm", maxNorm);
  const list = Array.isArray(grads) ? grads : [grads as FloatArray];
  let sq = 0;
  for (const g of list) {
    // ‖g‖ per tensor, then the norm of the norms, as PyTorch
    let s = 0;
    for (let k = 0; k < g.length; k++) s += (g[k] as number) * (g[k] as number);
    sq += s;
  }
  const total = Math.sqrt(sq);
  if (!Number.isFinite(total)) return total;
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  if (coef < 1) {
    for (const g of list) for (let k = 0; k < g.length; k++) g[k] = (g[k] as number) * coef;
  }
  return total;
}

/** Clamps every gradient element into [−clipValue, clipValue], as torch.nn.utils.clip_grad_value_. */
export function clipGradValue(grads: FloatArray | readonly FloatArray[], clipValue: number): void {
  if (!(clipValue > 0) || !Number.isFinite(clipValue)) {
    throw new ConfigError(`clipGradValue: clipValue must be > 0, got ${clipValue}`);
  }
  const list = Array.isArray(grads) ? grads : [grads as FloatArray];
  for (const g of list) {
    for (let k = 0; k < g.length; k++) g[k] = Math.min(Math.max(g[k] as number, -clipValue), clipValue);
  }
}
