/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay.
 * reference: https://pytorch.org/docs/stable/generated/torch.optim.SGD.html (torch/optim/sgd.py)
 */
import type { FloatArray } from "@unrolled/linalg";
import { ConfigError } from "@unrolled/linalg";
import { flag, nonNegative, positive, unitInterval } from "./hyper.js";
import { BaseOptimizer } from "./optimizer.js";

export interface SgdConfig {
  readonly lr: number;
  readonly momentum?: number;
  readonly dampening?: number;
  readonly nesterov?: boolean;
  readonly weightDecay?: number;
}

/** One SGD update of every coordinate. `buf` is the momentum buffer; `first` marks step 1. */
export function sgdUpdate(
  p: FloatArray,
  g: FloatArray,
  buf: Float64Array,
  first: boolean,
  lr: number,
  h: Required<Omit<SgdConfig, "lr">>,
): void {
  for (let k = 0; k < p.length; k++) {
    let d = g[k] as number;
    if (h.weightDecay !== 0) d = d + h.weightDecay * (p[k] as number); // L2: g + λθ
    if (h.momentum !== 0) {
      const b = first ? d : h.momentum * (buf[k] as number) + (1 - h.dampening) * d; // b = μb + (1 − τ)g (b₁ = g)
      buf[k] = b;
      d = h.nesterov ? d + h.momentum * b : b; // Nesterov looks ahead: g + μb
    }
    p[k] = (p[k] as number) - lr * d; // θ ← θ − η·d
  }
}

export class Sgd extends BaseOptimizer {
  readonly kind = "sgd";
  private readonly h: Required<Omit<SgdConfig, "lr">>;

  constructor(config: SgdConfig, size: number) {
    super(positive("SGD", "lr", config.lr), size, ["momentumBuffer"]);
    this.h = {
      momentum: unitInterval("SGD", "momentum", config.momentum ?? 0),
      dampening: unitInterval("SGD", "dampening", config.dampening ?? 0),
      nesterov: flag("SGD", "nesterov", config.nesterov ?? false),
      weightDecay: nonNegative("SGD", "weightDecay", config.weightDecay ?? 0),
    };
    if (this.h.nesterov && (this.h.momentum === 0 || this.h.dampening !== 0)) {
      throw new ConfigError("SGD: nesterov needs momentum > 0 and dampening = 0");
    }
  }

  protected hyper() {
    return { ...this.h };
  }

  protected update(p: FloatArray, g: FloatArray): void {
    sgdUpdate(p, g, this.buffer("momentumBuffer"), this.t === 1, this.lr, this.h);
  }
}
