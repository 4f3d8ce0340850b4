/**
 * Learning-rate schedules, stepped once per epoch: `opt.lr = schedule.step(validLoss)`.
 * Closed forms of PyTorch's StepLR, ExponentialLR and CosineAnnealingLR, and ReduceLROnPlateau's rule.
 * State is plain JSON for checkpoints.
 */
import { ConfigError, FormatError } from "@unrolled/linalg";
import { nonNegative, positive } from "./hyper.js";

export type ScheduleConfig =
  | { readonly kind: "constant" }
  | { readonly kind: "step"; readonly stepSize: number; readonly gamma?: number }
  | { readonly kind: "exponential"; readonly gamma: number }
  | { readonly kind: "cosine"; readonly tMax: number; readonly etaMin?: number }
  | {
      readonly kind: "plateau";
      readonly mode?: "min" | "max";
      readonly factor?: number;
      readonly patience?: number;
      readonly threshold?: number;
      readonly thresholdMode?: "rel" | "abs";
      readonly cooldown?: number;
      readonly minLr?: number;
      readonly eps?: number;
    };

export interface ScheduleState {
  readonly config: ScheduleConfig;
  readonly baseLr: number;
  readonly epoch: number;
  readonly lr: number;
  readonly best: number | null;
  readonly badEpochs: number;
  readonly cooldownLeft: number;
}

export interface Schedule {
  /** The learning rate for the current epoch. */
  readonly lr: number;
  /** Ends an epoch (passing the monitored metric for "plateau") and returns the next epoch's lr. */
  step(metric?: number): number;
  getState(): ScheduleState;
}

function integer(owner: string, name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`${owner}: ${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

function validate(c: ScheduleConfig): void {
  switch (c.kind) {
    case "constant":
      return;
    case "step":
      integer("StepLR", "stepSize", c.stepSize, 1);
      positive("StepLR", "gamma", c.gamma ?? 0.1);
      return;
    case "exponential":
      positive("ExponentialLR", "gamma", c.gamma);
      return;
    case "cosine":
      integer("CosineAnnealingLR", "tMax", c.tMax, 1);
      nonNegative("CosineAnnealingLR", "etaMin", c.etaMin ?? 0);
      return;
    case "plateau": {
      const f = c.factor ?? 0.1;
      if (!(f > 0 && f < 1)) throw new ConfigError(`ReduceLROnPlateau: factor must be in (0, 1), got ${f}`);
      integer("ReduceLROnPlateau", "patience", c.patience ?? 10, 0);
      integer("ReduceLROnPlateau", "cooldown", c.cooldown ?? 0, 0);
      nonNegative("ReduceLROnPlateau", "threshold", c.threshold ?? 1e-4);
      nonNegative("ReduceLROnPlateau", "minLr", c.minLr ?? 0);
      if (!["min", "max"].includes(c.mode ?? "min"))
        throw new ConfigError(`ReduceLROnPlateau: mode must be "min" or "max"`);
      if (!["rel", "abs"].includes(c.thresholdMode ?? "rel"))
        throw new ConfigError(`ReduceLROnPlateau: thresholdMode must be "rel" or "abs"`);
      return;
    }
    default:
      throw new ConfigError(`schedule: unknown kind ${JSON.stringify((c as { kind: unknown }).kind)}`);
  }
}

/** lr at `epoch` for the closed-form schedules. */
function closedForm(c: Exclude<ScheduleConfig, { kind: "plateau" }>, base: number, epoch: number): number {
  switch (c.kind) {
    case "constant":
      return base;
    case "step":
      return base * (c.gamma ?? 0.1) ** Math.floor(epoch / c.stepSize); // η₀ γ^⌊e/s⌋
    case "exponential":
      return base * c.gamma ** epoch; // η₀ γ^e
    case "cosine": {
      const etaMin = c.etaMin ?? 0; // η_min + (η₀ − η_min)(1 + cos(π e / T)) / 2
      return etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * epoch) / c.tMax))) / 2;
    }
  }
}

class ScheduleImpl implements Schedule {
  constructor(private s: ScheduleState) {}

  get lr(): number {
    return this.s.lr;
  }

  step(metric?: number): number {
    const c = this.s.config;
    const epoch = this.s.epoch + 1;
    if (c.kind !== "plateau") {
      this.s = { ...this.s, epoch, lr: closedForm(c, this.s.baseLr, epoch) };
      return this.s.lr;
    }
    if (typeof metric !== "number" || Number.isNaN(metric)) {
      throw new ConfigError(`ReduceLROnPlateau: step(metric) needs the monitored metric, got ${metric}`);
    }
    const { mode = "min", threshold = 1e-4, thresholdMode = "rel", patience = 10, cooldown = 0 } = c;
    const best = this.s.best ?? (mode === "min" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
    const better =
      mode === "min"
        ? metric < (thresholdMode === "rel" ? best * (1 - threshold) : best - threshold)
        : metric > (thresholdMode === "rel" ? best * (1 + threshold) : best + threshold);
    let bad = better ? 0 : this.s.badEpochs + 1;
    let cool = this.s.cooldownLeft;
    if (cool > 0) {
      cool--;
      bad = 0; // ignore bad epochs while cooling down
    }
    let lr = this.s.lr;
    if (bad > patience) {
      const reduced = Math.max(lr * (c.factor ?? 0.1), c.minLr ?? 0);
      if (lr - reduced > (c.eps ?? 1e-8)) lr = reduced;
      cool = cooldown;
      bad = 0;
    }
    this.s = { ...this.s, epoch, lr, best: better ? metric : best, badEpochs: bad, cooldownLeft: cool };
    return lr;
  }

  getState(): ScheduleState {
    return { ...this.s };
  }
}

/** A schedule starting from `baseLr` at epoch 0. */
export function createSchedule(config: ScheduleConfig, baseLr: number): Schedule {
  validate(config);
  positive("schedule", "baseLr", baseLr);
  return new ScheduleImpl({ config, baseLr, epoch: 0, lr: baseLr, best: null, badEpochs: 0, cooldownLeft: 0 });
}

/** Restores a schedule from `getState()` (validated). */
export function restoreSchedule(state: unknown): Schedule {
  const s = state as Partial<ScheduleState> | null;
  if (
    s === null ||
    typeof s !== "object" ||
    typeof s.config !== "object" ||
    s.config === null ||
    typeof s.baseLr !== "number" ||
    !Number.isInteger(s.epoch) ||
    typeof s.lr !== "number" ||
    !Number.isInteger(s.badEpochs) ||
    !Number.isInteger(s.cooldownLeft)
  ) {
    throw new FormatError("schedule state: expected {config, baseLr, epoch, lr, best, badEpochs, cooldownLeft}");
  }
  validate(s.config);
  return new ScheduleImpl({ ...(s as ScheduleState), best: s.best ?? null });
}
