/**
 * A training run's whole configuration: data, model, optimisation. Presets fill it; CLI flags and the
 * web demo's controls override single fields; `validateTrainConfig` rejects zero, negative or NaN
 * values with one line naming the flag.
 */

import type { MissingPolicy, ScalerKind, WindowMode } from "@unrolled/datasets";
import { ConfigError } from "@unrolled/linalg";
import type { OptimizerKind } from "@unrolled/optimizers";
import type { CellKind, InitScheme, LossKind, Nonlinearity } from "@unrolled/rnn-core";

/** "momentum" is SGD with momentum 0.9 (the CLI's shorthand). */
export type OptimizerChoice = OptimizerKind | "momentum";
export const OPTIMIZER_CHOICES: readonly OptimizerChoice[] = ["sgd", "momentum", "rmsprop", "adam", "adamw", "adagrad"];

export interface TrainConfig {
  // data
  readonly mode: WindowMode;
  readonly seqLen: number;
  readonly stride: number;
  readonly split: readonly [number, number, number];
  readonly splitRounding: "floor" | "ceil";
  readonly scale: ScalerKind;
  /** How the target is scaled: the same kind as the features (default) or another. */
  readonly scaleTarget: ScalerKind | "same";
  readonly missing: MissingPolicy;
  /** Generated data (mod3): how many training sequences to draw. */
  readonly trainSequences?: number;
  // model
  readonly cell: CellKind;
  readonly hidden: number;
  readonly layers: number;
  readonly nonlinearity: Nonlinearity;
  readonly bidirectional: boolean;
  readonly bias: boolean;
  readonly init: InitScheme;
  readonly initStd?: number;
  readonly initLow?: number;
  readonly initHigh?: number;
  readonly initBiases?: "zero" | "same";
  /** LSTM: the forget gate's initial bias (see initParams). */
  readonly initForgetBias?: number;

  // optimisation
  readonly loss: LossKind;
  readonly reduction: "mean" | "sum";
  readonly epochs: number;
  readonly batch: number;
  readonly optimizer: OptimizerChoice;
  readonly lr: number;
  readonly weightDecay: number;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly tbptt?: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
  readonly schedule: "constant" | "cosine" | "step" | "plateau";
  readonly seed: number;
  readonly shuffle: boolean;
  readonly dtype: "float32" | "float64";
  readonly batchesPerEpoch?: number;
}

export const BASE_CONFIG: TrainConfig = {
  mode: "many-to-one",
  seqLen: 20,
  stride: 1,
  split: [0.7, 0.15, 0.15],
  splitRounding: "floor",
  scale: "standard",
  scaleTarget: "same",
  missing: "ffill",
  cell: "rnn",
  hidden: 32,
  layers: 1,
  nonlinearity: "tanh",
  bidirectional: false,
  bias: true,
  init: "pytorch",
  loss: "mse",
  reduction: "mean",
  epochs: 30,
  batch: 32,
  optimizer: "adam",
  lr: 3e-3,
  weightDecay: 0,
  patience: 5,
  minDelta: 0,
  restoreBest: true,
  schedule: "constant",
  seed: 0,
  shuffle: true,
  dtype: "float64",
};

function positiveInt(name: string, v: unknown, min = 1): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    throw new ConfigError(`--${name} must be an integer ≥ ${min}, got ${v}`);
}
function positiveNumber(name: string, v: unknown, allowZero = false): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new ConfigError(`--${name} must be a number ${allowZero ? "≥ 0" : "> 0"}, got ${v}`);
  }
}

/** Checks every numeric field; the message names the CLI flag. */
export function validateTrainConfig(c: TrainConfig): TrainConfig {
  positiveInt("seq-len", c.seqLen);
  positiveInt("stride", c.stride);
  positiveInt("hidden", c.hidden);
  positiveInt("layers", c.layers);
  positiveInt("epochs", c.epochs);
  positiveInt("batch", c.batch);
  positiveInt("patience", c.patience, 0);
  positiveNumber("lr", c.lr);
  positiveNumber("weight-decay", c.weightDecay, true);
  positiveNumber("min-delta", c.minDelta, true);
  if (c.clipNorm !== undefined) positiveNumber("clip-norm", c.clipNorm);
  if (c.clipValue !== undefined) positiveNumber("clip-value", c.clipValue);
  if (c.tbptt !== undefined) positiveInt("tbptt", c.tbptt);
  if (c.batchesPerEpoch !== undefined) positiveInt("batches-per-epoch", c.batchesPerEpoch);
  if (c.trainSequences !== undefined) positiveInt("train-sequences", c.trainSequences);
  if (!Number.isSafeInteger(c.seed)) throw new ConfigError(`--seed must be an integer, got ${c.seed}`);
  if (!OPTIMIZER_CHOICES.includes(c.optimizer))
    throw new ConfigError(`--optimizer must be one of ${OPTIMIZER_CHOICES.join(", ")}, got ${c.optimizer}`);
  if (
    c.split.length !== 3 ||
    c.split.some((f) => !Number.isFinite(f) || f < 0) ||
    !((c.split[0] as number) > 0) ||
    c.split.reduce((a, b) => a + b, 0) > 1 + 1e-9
  ) {
    throw new ConfigError(`--split must be fractions ≥ 0 with train > 0 and a sum ≤ 1, got ${c.split.join(",")}`);
  }
  return c;
}
