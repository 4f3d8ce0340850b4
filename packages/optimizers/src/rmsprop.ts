/**
 * RMSprop: divide the gradient by a running root-mean-square of recent gradients.
 * reference: https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html (torch/optim/rmsprop.py)
 * Note PyTorch's order, kept here: ε is added *after* the square root.
 */
import type { FloatArray } from "@unrolled/linalg";
import { flag, nonNegative, positive, unitInterval } from "./hyper.js";
import { BaseOptimizer } from "./optimizer.js";

export interface RmspropConfig {
  readonly lr: number;
  readonly alpha?: number;
  readonly eps?: number;
  readonly momentum?: number;
  readonly centered?: boolean;
  readonly weightDecay?: number;
}

/** The hyper-parameters besides the learning rate, defaults filled in. */
export type RmspropHyper = Required<Omit<RmspropConfig, "lr">>;

/** One RMSprop update. `sq` running E[g²], `avg` running E[g] (centered), `buf` momentum. */
export function rmspropUpdate(
  p: FloatArray,
  g: FloatArray,
  sq: Float64Array,
  avg: Float64Array,
  buf: Float64Array,
  lr: number,
  h: RmspropHyper,
): void {
  for (let k = 0; k < p.length; k++) {
    let d = g[k] as number;
    if (h.weightDecay !== 0) d = d + h.weightDecay * (p[k] as number); // L2: g + λθ
    const s = h.alpha * (sq[k] as number) + (1 - h.alpha) * d * d; // v = αv + (1 − α)g²
    sq[k] = s;
    let denom: number;
    if (h.centered) {
      const a = h.alpha * (avg[k] as number) + (1 - h.alpha) * d; // m = αm + (1 − α)g
      avg[k] = a;
      denom = Math.sqrt(s - a * a) + h.eps; // √(v − m²) + ε
    } else {
      denom = Math.sqrt(s) + h.eps; // √v + ε
    }
    if (h.momentum > 0) {
      const b = h.momentum * (buf[k] as number) + d / denom; // b = μb + g / (√v + ε)
      buf[k] = b;
      p[k] = (p[k] as number) - lr * b;
    } else {
      p[k] = (p[k] as number) - lr * (d / denom); // θ ← θ − η g / (√v + ε)
    }
  }
}

export class Rmsprop extends BaseOptimizer {
  readonly kind = "rmsprop";
  private readonly h: RmspropHyper;

  constructor(config: RmspropConfig, size: number) {
    super(positive("RMSprop", "lr", config.lr), size, ["squareAvg", "gradAvg", "momentumBuffer"]);
    this.h = {
      alpha: unitInterval("RMSprop", "alpha", config.alpha ?? 0.99),
      eps: positive("RMSprop", "eps", config.eps ?? 1e-8),
      momentum: unitInterval("RMSprop", "momentum", config.momentum ?? 0),
      centered: flag("RMSprop", "centered", config.centered ?? false),
      weightDecay: nonNegative("RMSprop", "weightDecay", config.weightDecay ?? 0),
    };
  }

  protected hyper() {
    return { ...this.h };
  }

  protected update(p: FloatArray, g: FloatArray): void {
    rmspropUpdate(
      p,
      g,
      this.buffer("squareAvg"),
      this.buffer("gradAvg"),
      this.buffer("momentumBuffer"),
      this.lr,
      this.h,
    );
  }
}
