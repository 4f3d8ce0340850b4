/**
 * Adam (L2 weight decay added to the gradient) and AdamW (decoupled weight decay applied to θ).
 * reference: https://pytorch.org/docs/stable/generated/torch.optim.Adam.html (torch/optim/adam.py)
 *            https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html (torch/optim/adamw.py)
 * The arithmetic follows PyTorch's order of operations so trajectories agree to float64 rounding.
 */
import type { FloatArray } from "@unrolled/linalg";
import { flag, nonNegative, positive, unitInterval } from "./hyper.js";
import { BaseOptimizer } from "./optimizer.js";

export interface AdamConfig {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  readonly weightDecay?: number;
  readonly amsgrad?: boolean;
}

/** The hyper-parameters besides the learning rate, defaults filled in. */
export type AdamHyper = Required<Omit<AdamConfig, "lr">>;

/** One Adam/AdamW update at step t (1-based). `decoupled` = AdamW. */
export function adamUpdate(
  p: FloatArray,
  g: FloatArray,
  m: Float64Array,
  v: Float64Array,
  vMax: Float64Array,
  t: number,
  lr: number,
  h: AdamHyper,
  decoupled: boolean,
): void {
  const bc1 = 1 - h.beta1 ** t; // bias corrections
  const bc2Sqrt = Math.sqrt(1 - h.beta2 ** t);
  const stepSize = lr / bc1;
  for (let k = 0; k < p.length; k++) {
    let d = g[k] as number;
    if (decoupled)
      p[k] = (p[k] as number) * (1 - lr * h.weightDecay); // AdamW: θ ← θ(1 − ηλ)
    else if (h.weightDecay !== 0) d = d + h.weightDecay * (p[k] as number); // Adam: g + λθ
    const mk = h.beta1 * (m[k] as number) + (1 - h.beta1) * d; // first moment
    const vk = h.beta2 * (v[k] as number) + (1 - h.beta2) * d * d; // second moment
    m[k] = mk;
    v[k] = vk;
    let vHat = vk;
    if (h.amsgrad) {
      vHat = Math.max(vMax[k] as number, vk); // AMSGrad keeps the largest v so far
      vMax[k] = vHat;
    }
    const denom = Math.sqrt(vHat) / bc2Sqrt + h.eps; // √v̂ + ε
    p[k] = (p[k] as number) - stepSize * (mk / denom); // θ ← θ − η m̂ / (√v̂ + ε)
  }
}

function hyperOf(owner: string, c: AdamConfig, defaultDecay: number): AdamHyper {
  return {
    beta1: unitInterval(owner, "beta1", c.beta1 ?? 0.9),
    beta2: unitInterval(owner, "beta2", c.beta2 ?? 0.999),
    eps: positive(owner, "eps", c.eps ?? 1e-8),
    weightDecay: nonNegative(owner, "weightDecay", c.weightDecay ?? defaultDecay),
    amsgrad: flag(owner, "amsgrad", c.amsgrad ?? false),
  };
}

export class Adam extends BaseOptimizer {
  readonly kind: "adam" | "adamw" = "adam";
  protected readonly h: AdamHyper;

  constructor(config: AdamConfig, size: number, owner = "Adam", defaultDecay = 0) {
    super(positive(owner, "lr", config.lr), size, ["expAvg", "expAvgSq", "maxExpAvgSq"]);
    this.h = hyperOf(owner, config, defaultDecay);
  }

  protected hyper() {
    return { ...this.h };
  }

  protected update(p: FloatArray, g: FloatArray): void {
    const [m, v, vMax] = [this.buffer("expAvg"), this.buffer("expAvgSq"), this.buffer("maxExpAvgSq")];
    adamUpdate(p, g, m, v, vMax, this.t, this.lr, this.h, this.kind === "adamw");
  }
}

/** AdamW: weight decay (default 0.01, as PyTorch) shrinks θ directly instead of entering the moments. */
export class AdamW extends Adam {
  override readonly kind = "adamw";

  constructor(config: AdamConfig, size: number) {
    super(config, size, "AdamW", 0.01);
  }
}
