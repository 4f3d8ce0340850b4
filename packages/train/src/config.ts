/**
 * A training run's whole configuration: data, model, optimisation. Presets fill it; the CLI's flags
 * and the web demo's controls override single fields; `validateTrainConfig` checks every field, in
 * the library's words (`config.batchSize must be an integer ≥ 1, got 0`). It is also the "training"
 * section of a model file and part of a checkpoint, so it is JSON.
 */

import {
  type BadRowPolicy,
  type MissingPolicy,
  SCALER_KINDS,
  type ScalerKind,
  type WindowMode,
} from "@unrolled/datasets";
import { ConfigError } from "@unrolled/linalg";
import type { OptimizerKind } from "@unrolled/optimizers";
import {
  CELL_KINDS,
  type CellKind,
  INIT_SCHEMES,
  type InitScheme,
  LIMITS,
  LOSS_KINDS,
  type LossKind,
  type Nonlinearity,
} from "@unrolled/rnn-core";
import {
  checkBoolean,
  checkChoice,
  checkInt,
  checkLoopFields,
  checkPositive,
  checkRange,
  describe,
} from "./validate.js";

/** "momentum" is SGD with momentum 0.9. */
export type OptimizerChoice = OptimizerKind | "momentum";
export const OPTIMIZER_CHOICES: readonly OptimizerChoice[] = ["sgd", "momentum", "rmsprop", "adam", "adamw", "adagrad"];
export const SCHEDULES = ["constant", "cosine", "step", "plateau"] as const;

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
  /** A CSV row with a cell that is not a number: an error naming it (default), or skipped and counted. */
  readonly badRows: BadRowPolicy;
  /** Generated data (mod3): how many training sequences to draw. */
  readonly trainSequences?: number;
  // model
  readonly cell: CellKind;
  readonly hidden: number;
  readonly layers: number;
  readonly nonlinearity: Nonlinearity;
  readonly bidirectional: boolean;
  readonly bias: boolean;
  /** Dropout on the outputs of every layer but the last, while training (PyTorch's; absent: none). */
  readonly dropout?: number;
  /** Dropout on what the head reads, while training (absent: none). */
  readonly headDropout?: number;
  /** Dropout on the inputs, while training: PyTorch's nn.Dropout before the recurrence (dense inputs only). */
  readonly inputDropout?: number;
  /** How the weights start (rnn-core's initParams); see initStd … initForgetBias for its parameters. */
  readonly initScheme: InitScheme;
  readonly initStd?: number;
  readonly initLow?: number;
  readonly initHigh?: number;
  readonly initBiases?: "zero" | "same";
  /** LSTM: the forget gate's initial bias (see initParams). */
  readonly initForgetBias?: number;
  /** LSTM and GRU: chrono initialisation of the gate biases for dependencies up to this many steps (see initParams). */
  readonly initChrono?: number;

  // optimisation
  readonly loss: LossKind;
  readonly reduction: "mean" | "sum";
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerChoice;
  readonly lr: number;
  readonly weightDecay: number;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  /** Truncated BPTT: cut the gradient every `truncate` steps. */
  readonly truncate?: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
  readonly schedule: (typeof SCHEDULES)[number];
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
  badRows: "error",
  cell: "rnn",
  hidden: 32,
  layers: 1,
  nonlinearity: "tanh",
  bidirectional: false,
  bias: true,
  initScheme: "pytorch",
  loss: "mse",
  reduction: "mean",
  epochs: 30,
  batchSize: 32,
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

/** Limits on what a file or a flag may ask for, checked before anything is allocated (docs/model-format.md). */
export const TRAIN_LIMITS = { seqLen: 100_000, trainSequences: 10_000_000, stride: 1_000_000 } as const;

const FIELDS = new Set<string>([...Object.keys(BASE_CONFIG), "trainSequences", "initStd", "initLow", "initHigh"]);
for (const k of [
  "initBiases",
  "initForgetBias",
  "initChrono",
  "clipNorm",
  "clipValue",
  "truncate",
  "batchesPerEpoch",
  "dropout",
  "headDropout",
  "inputDropout",
])
  FIELDS.add(k);

/** Checks every field of a configuration (from code, a flag, or a file) and returns it. */
export function validateTrainConfig(c: TrainConfig): TrainConfig {
  if (typeof c !== "object" || c === null || Array.isArray(c))
    throw new ConfigError(`config must be an object, got ${describe(c)}`);
  const unknown = Object.keys(c).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) throw new ConfigError(`config has unknown field(s) ${unknown.join(", ")}`);
  checkChoice("config.mode", c.mode, ["many-to-one", "many-to-many"]);
  checkInt("config.seqLen", c.seqLen, 1, TRAIN_LIMITS.seqLen);
  checkInt("config.stride", c.stride, 1, TRAIN_LIMITS.stride);
  checkSplit(c.split);
  checkChoice("config.splitRounding", c.splitRounding, ["floor", "ceil"]);
  checkChoice("config.scale", c.scale, SCALER_KINDS);
  checkChoice("config.scaleTarget", c.scaleTarget, [...SCALER_KINDS, "same"]);
  checkChoice("config.missing", c.missing, ["ffill", "drop", "error"]);
  checkChoice("config.badRows", c.badRows, ["error", "skip"]);
  if (c.trainSequences !== undefined)
    checkInt("config.trainSequences", c.trainSequences, 1, TRAIN_LIMITS.trainSequences);
  checkChoice("config.cell", c.cell, CELL_KINDS);
  checkInt("config.hidden", c.hidden, 1, LIMITS.size);
  checkInt("config.layers", c.layers, 1, LIMITS.layers);
  checkChoice("config.nonlinearity", c.nonlinearity, ["tanh", "relu", "sigmoid"]);
  checkBoolean("config.bidirectional", c.bidirectional);
  checkBoolean("config.bias", c.bias);
  if (c.dropout !== undefined) checkRange("config.dropout", c.dropout, 0, 1);
  if (c.headDropout !== undefined) checkRange("config.headDropout", c.headDropout, 0, 1);
  checkChoice("config.initScheme", c.initScheme, INIT_SCHEMES);
  for (const k of ["initStd", "initLow", "initHigh", "initForgetBias"] as const)
    if (c[k] !== undefined && !Number.isFinite(c[k]))
      throw new ConfigError(`config.${k} must be a finite number, got ${describe(c[k])}`);
  if (c.initBiases !== undefined) checkChoice("config.initBiases", c.initBiases, ["zero", "same"]);
  if (c.initChrono !== undefined) {
    if (!(typeof c.initChrono === "number" && Number.isFinite(c.initChrono) && c.initChrono > 2))
      throw new ConfigError(`config.initChrono must be a number of steps > 2, got ${describe(c.initChrono)}`);
    if (c.cell === "rnn")
      throw new ConfigError("config.initChrono sets gate biases: it needs cell lstm or gru, got rnn");
  }
  checkChoice("config.loss", c.loss, LOSS_KINDS);
  checkChoice("config.reduction", c.reduction, ["mean", "sum"]);
  checkChoice("config.optimizer", c.optimizer, OPTIMIZER_CHOICES);
  checkPositive("config.lr", c.lr);
  checkPositive("config.weightDecay", c.weightDecay, true);
  checkPositive("config.minDelta", c.minDelta, true);
  checkBoolean("config.restoreBest", c.restoreBest);
  checkChoice("config.schedule", c.schedule, SCHEDULES);
  checkBoolean("config.shuffle", c.shuffle);
  checkChoice("config.dtype", c.dtype, ["float32", "float64"]);
  checkLoopFields("config.", c);
  return c;
}

function checkSplit(split: unknown): void {
  const ok =
    Array.isArray(split) &&
    split.length === 3 &&
    split.every((f) => typeof f === "number" && Number.isFinite(f) && f >= 0) &&
    (split[0] as number) > 0 &&
    split.reduce((a: number, b: number) => a + b, 0) <= 1 + 1e-9;
  if (!ok)
    throw new ConfigError(
      `config.split must be three fractions (train, valid, test) ≥ 0 with train > 0 and a sum ≤ 1, got ${Array.isArray(split) ? split.join(",") : describe(split)}`,
    );
}

/** Fields added since version 0.1, with the value an older configuration meant. */
const ADDED: Readonly<Record<string, unknown>> = { badRows: "error" };

/** Names that configurations written by version 0.1 used, and what they are called now. */
const RENAMED: Readonly<Record<string, string>> = { batch: "batchSize", tbptt: "truncate", init: "initScheme" };

/** A configuration read from a file (a model file's "training" section, a checkpoint), older names renamed, validated. */
export function readTrainConfig(v: unknown): TrainConfig {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new ConfigError(`config must be an object, got ${describe(v)}`);
  const c: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) c[RENAMED[k] ?? k] = x;
  for (const [k, x] of Object.entries(ADDED)) if (!(k in c)) c[k] = x;
  return validateTrainConfig(c as unknown as TrainConfig);
}
