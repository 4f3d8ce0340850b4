/**
 * Adagrad: per-coordinate learning rates shrinking with the sum of squared gradients.
 * reference: https://pytorch.org/docs/stable/generated/torch.optim.Adagrad.html (torch/optim/adagrad.py)
 */
import type { FloatArray } from "@unrolled/linalg";
import { nonNegative, positive } from "./hyper.js";
import { BaseOptimizer } from "./optimizer.js";

export interface AdagradConfig {
  readonly lr: number;
  readonly lrDecay?: number;
  readonly weightDecay?: number;
  readonly eps?: number;
  readonly initialAccumulatorValue?: number;
}

/** The hyper-parameters besides the learning rate, defaults filled in. */
export type AdagradHyper = Required<Omit<AdagradConfig, "lr">>;

/** One Adagrad update at step t (1-based); `sum` accumulates g². */
export function adagradUpdate(
  p: FloatArray,
  g: FloatArray,
  sum: Float64Array,
  t: number,
  lr: number,
  h: AdagradHyper,
): void {
  const clr = lr / (1 + (t - 1) * h.lrDecay); // decayed learning rate
  for (let k = 0; k < p.length; k++) {
    let d = g[k] as number;
    if (h.weightDecay !== 0) d = d + h.weightDecay * (p[k] as number); // L2: g + λθ
    const s = (sum[k] as number) + d * d; // G = G + g²
    sum[k] = s;
    p[k] = (p[k] as number) - clr * (d / (Math.sqrt(s) + h.eps)); // θ ← θ − η g / (√G + ε)
  }
}

export class Adagrad extends BaseOptimizer {
  readonly kind = "adagrad";
  private readonly h: AdagradHyper;

  constructor(config: AdagradConfig, size: number) {
    super(positive("Adagrad", "lr", config.lr), size, ["sum"]);
    this.h = {
      lrDecay: nonNegative("Adagrad", "lrDecay", config.lrDecay ?? 0),
      weightDecay: nonNegative("Adagrad", "weightDecay", config.weightDecay ?? 0),
      eps: positive("Adagrad", "eps", config.eps ?? 1e-10),
      initialAccumulatorValue: nonNegative("Adagrad", "initialAccumulatorValue", config.initialAccumulatorValue ?? 0),
    };
    this.buffer("sum").fill(this.h.initialAccumulatorValue);
  }

  protected hyper() {
    return { ...this.h };
  }

  protected update(p: FloatArray, g: FloatArray): void {
    adagradUpdate(p, g, this.buffer("sum"), this.t, this.lr, this.h);
  }
}
