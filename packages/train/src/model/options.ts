/**
 * The Model's options, checked in the library's words (`options.lr must be a number > 0, got "0.01"
 * (a string)`), and the TrainConfig they stand for: the Model trains through the same runTraining as
 * the CLI and the web demo.
 */
import { SCALER_KINDS, type ScalerKind } from "@unrolled/datasets";
import { ConfigError } from "@unrolled/linalg";
import { CELL_KINDS, type CellKind, LIMITS } from "@unrolled/rnn-core";
import { BASE_CONFIG, OPTIMIZER_CHOICES, type OptimizerChoice, type TrainConfig } from "../config.js";
import { checkBoolean, checkChoice, checkInt, checkPositive, checkRange, describe } from "../validate.js";

export type ModelTask = "regression" | "classification" | "multilabel" | "text";
export const MODEL_TASKS: readonly ModelTask[] = ["regression", "classification", "multilabel", "text"];

export interface ModelOptions {
  /** What the outputs are: values, one class, independent 0/1 labels, or the next character of a text. */
  readonly task: ModelTask;
  /** The recurrence (default "lstm"). */
  readonly cell?: CellKind;
  /** H: hidden units per layer (default 32). */
  readonly hiddenSize?: number;
  /** Stacked layers (default 1). */
  readonly numLayers?: number;
  readonly bidirectional?: boolean;
  /** Dropout while training, on the outputs of every layer but the last (PyTorch's) and on what the head reads (default 0). */
  readonly dropout?: number;
  readonly optimizer?: OptimizerChoice;
  /** Learning rate (default 1e-2). */
  readonly lr?: number;
  /** Sequences per batch (default 32). */
  readonly batchSize?: number;
  /** Clip the gradient's global norm to this (default: no clipping). */
  readonly clipNorm?: number;
  /** How inputs (and regression targets) are scaled, fitted on the training part only (default "standard"). */
  readonly scale?: ScalerKind;
  /** Stop when the validation loss has not improved for `patience` epochs, keeping the best weights. */
  readonly earlyStopping?: boolean | { readonly patience?: number; readonly minDelta?: number };
  /** Text: characters per training sequence (default 64). */
  readonly seqLen?: number;
  /** Stops fit() at the next batch when aborted; the weights trained so far are kept. */
  readonly signal?: AbortSignal;
}

export interface FitCallOptions {
  /** Passes over the training data (default 20). */
  readonly epochs?: number;
  /** The fraction of the sequences (the last ones, as Keras) held out to validate on (default 0: validate on the training data). */
  readonly validationSplit?: number;
  /** Seeds the initial weights and the shuffling (default 0): the same seed, the same model. */
  readonly seed?: number;
  /** After every epoch. */
  readonly onEpoch?: (e: HistoryEntry) => void;
  readonly signal?: AbortSignal;
}

export interface HistoryEntry {
  readonly epoch: number;
  /** Mean training loss of the epoch. */
  readonly loss: number;
  /** Loss on the validation part (or the training data, without a validation split). */
  readonly valLoss: number;
}

const OPTION_KEYS = new Set([
  "task",
  "cell",
  "hiddenSize",
  "numLayers",
  "bidirectional",
  "dropout",
  "optimizer",
  "lr",
  "batchSize",
  "clipNorm",
  "scale",
  "earlyStopping",
  "seqLen",
  "signal",
]);

/** Checks every option; returns them with defaults filled in. */
export function checkModelOptions(o: ModelOptions): Required<Omit<ModelOptions, "clipNorm" | "signal">> & ModelOptions {
  if (typeof o !== "object" || o === null) throw new ConfigError(`options must be an object, got ${describe(o)}`);
  const unknown = Object.keys(o).filter((k) => !OPTION_KEYS.has(k));
  if (unknown.length > 0)
    throw new ConfigError(
      `options has unknown field(s) ${unknown.join(", ")}; expected ${[...OPTION_KEYS].join(", ")}`,
    );
  const task = checkChoice("options.task", o.task, MODEL_TASKS);
  const numLayers = checkInt("options.numLayers", o.numLayers ?? 1, 1, LIMITS.layers);
  const dropout = checkRange("options.dropout", o.dropout ?? 0, 0, 1);
  if (o.clipNorm !== undefined) checkPositive("options.clipNorm", o.clipNorm);
  if (o.earlyStopping !== undefined && typeof o.earlyStopping !== "boolean") {
    if (typeof o.earlyStopping !== "object" || o.earlyStopping === null)
      throw new ConfigError(
        `options.earlyStopping must be true, false or { patience, minDelta }, got ${describe(o.earlyStopping)}`,
      );
    if (o.earlyStopping.patience !== undefined) checkInt("options.earlyStopping.patience", o.earlyStopping.patience, 1);
    if (o.earlyStopping.minDelta !== undefined)
      checkPositive("options.earlyStopping.minDelta", o.earlyStopping.minDelta, true);
  }
  if (o.signal !== undefined && !isSignal(o.signal))
    throw new ConfigError(`options.signal must be an AbortSignal, got ${describe(o.signal)}`);
  return {
    ...o,
    task,
    cell: checkChoice("options.cell", o.cell ?? "lstm", CELL_KINDS),
    hiddenSize: checkInt("options.hiddenSize", o.hiddenSize ?? 32, 1, LIMITS.size),
    numLayers,
    bidirectional: checkBoolean("options.bidirectional", o.bidirectional ?? false),
    dropout,
    optimizer: checkChoice("options.optimizer", o.optimizer ?? "adam", OPTIMIZER_CHOICES),
    lr: checkPositive("options.lr", o.lr ?? 1e-2),
    batchSize: checkInt("options.batchSize", o.batchSize ?? 32, 1, 1 << 20),
    scale: checkChoice("options.scale", o.scale ?? "standard", SCALER_KINDS),
    earlyStopping: o.earlyStopping ?? false,
    seqLen: checkInt("options.seqLen", o.seqLen ?? 64, 1, 100_000),
  };
}

const isSignal = (v: unknown): v is AbortSignal => typeof v === "object" && v !== null && "aborted" in v;

/** Checks fit()'s options; returns them with defaults filled in. */
export function checkFitOptions(
  f: FitCallOptions = {},
): Required<Omit<FitCallOptions, "onEpoch" | "signal">> & FitCallOptions {
  if (typeof f !== "object" || f === null) throw new ConfigError(`fit options must be an object, got ${describe(f)}`);
  if (f.onEpoch !== undefined && typeof f.onEpoch !== "function")
    throw new ConfigError(`options.onEpoch must be a function, got ${describe(f.onEpoch)}`);
  if (f.signal !== undefined && !isSignal(f.signal))
    throw new ConfigError(`options.signal must be an AbortSignal, got ${describe(f.signal)}`);
  return {
    ...f,
    epochs: checkInt("options.epochs", f.epochs ?? 20, 1, 1_000_000),
    validationSplit: checkRange("options.validationSplit", f.validationSplit ?? 0, 0, 1),
    seed: checkInt("options.seed", f.seed ?? 0, Number.NEGATIVE_INFINITY),
  };
}

/** The TrainConfig a Model's options and a fit() call stand for. */
export function trainConfigFor(
  o: ReturnType<typeof checkModelOptions>,
  f: ReturnType<typeof checkFitOptions>,
  seqLen: number,
): TrainConfig {
  const stop = o.earlyStopping === false ? null : o.earlyStopping === true ? {} : o.earlyStopping;
  return {
    ...BASE_CONFIG,
    mode: "many-to-many",
    seqLen,
    split: [1 - f.validationSplit, f.validationSplit, 0],
    scale: o.scale,
    loss: o.task === "regression" ? "mse" : o.task === "multilabel" ? "bce" : "ce",
    cell: o.cell,
    hidden: o.hiddenSize,
    layers: o.numLayers,
    bidirectional: o.bidirectional,
    ...(o.dropout > 0 ? { dropout: o.dropout, headDropout: o.dropout } : {}),
    epochs: f.epochs,
    batchSize: o.batchSize,
    optimizer: o.optimizer,
    lr: o.lr,
    ...(o.clipNorm !== undefined ? { clipNorm: o.clipNorm } : {}),
    patience: stop ? (stop.patience ?? 5) : 0,
    minDelta: stop?.minDelta ?? 0,
    restoreBest: stop !== null,
    seed: f.seed,
  };
}
