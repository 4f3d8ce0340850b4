/**
 * The optimizer interface and its serializable state. An optimizer updates a flat parameter vector in
 * place from a flat gradient vector. It never zeroes, clips or rescales the gradients it is given:
 * zeroing is the caller's explicit call, clipping is clipGradNorm / clipGradValue.
 */
import { type FloatArray, FormatError, ShapeError } from "@unrolled/linalg";

export type OptimizerKind = "sgd" | "rmsprop" | "adam" | "adamw" | "adagrad";

/** Plain JSON: `JSON.parse(JSON.stringify(state))` restores an optimizer that continues bit-identically. */
export interface OptimizerState {
  readonly format: "unrolled.optimizer";
  readonly version: 1;
  readonly kind: OptimizerKind;
  readonly hyper: Readonly<Record<string, number | boolean>>;
  /** Number of step() calls so far. */
  readonly step: number;
  /** Per-parameter buffers (moments, accumulators), one entry per parameter. */
  readonly buffers: Readonly<Record<string, readonly number[]>>;
}

export interface Optimizer {
  readonly kind: OptimizerKind;
  /** The learning rate of the next step; schedules set it. */
  lr: number;
  /** Number of steps taken. */
  readonly t: number;
  /** params ← update(params, grads). Both flat, of the size the optimizer was made for. */
  step(params: FloatArray, grads: FloatArray): void;
  getState(): OptimizerState;
}

/** The shared plumbing: size checks, the step counter and (de)serialization of named buffers. */
export abstract class BaseOptimizer implements Optimizer {
  abstract readonly kind: OptimizerKind;
  lr: number;
  t = 0;
  protected readonly size: number;
  protected readonly buffers: Record<string, Float64Array> = {};

  constructor(lr: number, size: number, bufferNames: readonly string[]) {
    this.lr = lr;
    this.size = size;
    for (const name of bufferNames) this.buffers[name] = new Float64Array(size);
  }

  protected abstract hyper(): Record<string, number | boolean>;
  protected abstract update(params: FloatArray, grads: FloatArray): void;

  step(params: FloatArray, grads: FloatArray): void {
    if (params.length !== this.size)
      throw new ShapeError(`${this.kind}.step`, "params", [params.length], [this.size], "(P)");
    if (grads.length !== this.size)
      throw new ShapeError(`${this.kind}.step`, "grads", [grads.length], [this.size], "(P)");
    this.t++;
    this.update(params, grads);
  }

  protected buffer(name: string): Float64Array {
    return this.buffers[name] as Float64Array;
  }

  getState(): OptimizerState {
    const buffers: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(this.buffers)) buffers[k] = Array.from(v);
    return {
      format: "unrolled.optimizer",
      version: 1,
      kind: this.kind,
      hyper: { ...this.hyper(), lr: this.lr },
      step: this.t,
      buffers,
    };
  }

  /** Loads step count, lr and buffers from a state made by the same kind of optimizer and size. */
  loadState(s: OptimizerState): void {
    const where = `${this.kind} state`;
    if (!Number.isInteger(s.step) || s.step < 0)
      throw new FormatError(`${where}: step must be an integer ≥ 0, got ${s.step}`);
    for (const name of Object.keys(this.buffers)) {
      const b = s.buffers[name];
      if (!Array.isArray(b) || b.length !== this.size) {
        throw new FormatError(`${where}: buffer "${name}" must be an array of ${this.size} numbers`);
      }
      if (!b.every((v) => typeof v === "number" && Number.isFinite(v))) {
        throw new FormatError(`${where}: buffer "${name}" holds a non-finite or non-numeric value`);
      }
      this.buffer(name).set(b);
    }
    const extra = Object.keys(s.buffers).filter((k) => !(k in this.buffers));
    if (extra.length > 0) throw new FormatError(`${where}: unexpected buffer(s) ${extra.join(", ")}`);
    this.t = s.step;
  }
}
