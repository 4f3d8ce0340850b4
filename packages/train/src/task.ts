/**
 * A task: data prepared for one model, split into train / valid / test samples, with the loss to train
 * on, how to turn outputs back into the data's own units, and the baselines every model is judged
 * against (computed from the data alone when the task is made).
 */
import type { Scaler, Vocabulary } from "@unrolled/datasets";
import type { CellKind, LossSpec } from "@unrolled/rnn-core";
import type { TrainConfig } from "./config.js";
import type { SolvedCriterion } from "./criterion.js";
import type { ModelTaskKind } from "./model/arrays.js";
import type { Samples } from "./samples.js";

export type TaskKind = "regression" | "classification" | "multilabel" | "text";
export type SplitName = "train" | "valid" | "test";

/** Regression metrics in the data's units (last step of each window). */
export interface RegressionMetrics {
  readonly mse: number;
  readonly rmse: number;
  readonly mae: number;
}

/** Classification metrics: mean cross-entropy (nats) and accuracy over every target step. */
export interface ClassMetrics {
  readonly loss: number | null;
  readonly accuracy: number;
  /** e^loss (text tasks). */
  readonly perplexity?: number | null;
}

export type Metrics = RegressionMetrics | ClassMetrics;

/**
 * The three baselines, on one split:
 *   regression      persistence: the target's last observed value; mean: the training mean;
 *                   linear: least squares on the whole input window (+ intercept), fitted on train
 *   classification  persistence: repeat the previous target; mean: the training class frequencies
 *   and text        (majority class, unigram cross-entropy); linear: a table from the current input
 *                   symbol to the next (the bigram model, add-one smoothing) — the best a linear
 *                   softmax on the one-hot input can do.
 */
export interface Baselines<M extends Metrics = Metrics> {
  /** null where the task has no "last value" to repeat (sequences whose target is not among their inputs). */
  readonly persistence: M | null;
  readonly mean: M;
  /** null where no linear baseline is defined for the task (classes from dense inputs, labels). */
  readonly linear: M | null;
}

/** A text split evaluated as streams (state carried across chunks), not as cold-started chunks. */
export interface TextStream {
  readonly ids: Int32Array;
  readonly start: number;
  readonly end: number;
}

export interface Task {
  readonly kind: TaskKind;
  readonly name: string;
  /** Units of the reported metrics ("°F", "nats/char", "accuracy"). */
  readonly units: string;
  readonly train: Samples;
  readonly valid: Samples;
  /** null when the protocol has no test split (the sine tutorial validates on its last 50 windows). */
  readonly test: Samples | null;
  /** The loss the model trains on (its validation loss is the early-stopping criterion). */
  readonly loss: LossSpec;
  /** Regression: how the targets were scaled (z = (y − shift) / scale per output); metrics invert it. */
  readonly targetScale: Scaler | null;
  /** Baselines on the valid and (if any) test split. */
  readonly baselines: { readonly valid: Baselines; readonly test: Baselines | null };
  /** Text tasks: the valid/test character streams for streaming evaluation. */
  readonly streams?: { readonly valid: TextStream; readonly test: TextStream | null };
  /** Human-readable facts about the data (rows per split, dates, windows) for reports. */
  readonly notes: readonly string[];
  /** For data read from a CSV: rows dropped (bad or missing cells) and missing cells filled forward. */
  readonly cleaning?: { readonly dropped: number; readonly filled: number };
  /** A rule on the training stream that ends training as solved (the adding problem's; see criterion.ts). */
  readonly criterion?: SolvedCriterion;
  /** Figures others published on this task's report split, to print beside the model's. */
  readonly published?: readonly Published[];
}

/** A published figure on a task, in its units (JSB Chorales: test nats/frame). */
export interface Published {
  readonly source: string;
  /** The model as the source names it ("tanh RNN", "GRU", "GPT"). */
  readonly model: string;
  /** Its recurrent cell, compared with the run's own; null for another architecture. */
  readonly cell: CellKind | null;
  readonly parameters: string;
  readonly value: number;
}

/** What a model file records about a series task so that new data can be prepared the same way. */
export interface SeriesPreprocessing {
  readonly kind: "series";
  readonly features: readonly string[];
  readonly target: string;
  readonly horizon: number;
  readonly seqLen: number;
  readonly mode: TrainConfig["mode"];
  readonly featureScaler: Scaler;
  readonly targetScaler: Scaler;
  readonly units: string;
  readonly dateColumn: string | null;
  readonly missing: TrainConfig["missing"];
  /** How rows with cells that are not numbers were handled. */
  readonly badRows: TrainConfig["badRows"];
  /** Training-split mean of the target and the linear baseline's weights (L·D + 1), for eval on new data. */
  readonly trainMean: number;
  readonly linearBaseline: readonly number[];
}

/** What a model trained on arrays records about its data, to prepare new arrays the same way. */
export interface ArrayPreprocessing {
  readonly kind: "arrays";
  readonly task: ModelTaskKind;
  readonly inputSize: number;
  /** Values (regression), classes (classification) or labels (multilabel) per target. */
  readonly outputSize: number;
  readonly perStep: boolean;
  /** How the targets were given: 1 number[], 2 number[][], 3 number[][][]. */
  readonly targetRank: 1 | 2 | 3;
  readonly featureScaler: Scaler;
  /** Regression only. */
  readonly targetScaler: Scaler | null;
}

/** What a model file records about how its data was prepared, so new data can be prepared the same way. */
export type Preprocessing =
  | SeriesPreprocessing
  | ArrayPreprocessing
  | { readonly kind: "symbols"; readonly modulus: number; readonly seqLen: number }
  | { readonly kind: "text"; readonly seqLen: number };

/** A task with what a model file must record about it. */
export interface Prepared {
  readonly task: Task;
  readonly preprocessing: Preprocessing;
  readonly vocabulary: Vocabulary | null;
}

/** The split every headline number is reported on: test when there is one, else valid. */
export const reportSplit = (t: Task): "valid" | "test" => (t.test ? "test" : "valid");

export const isRegression = (m: Metrics | null | undefined): m is RegressionMetrics => m != null && "mse" in m;
export const isClassification = (m: Metrics | null | undefined): m is ClassMetrics => m != null && "accuracy" in m;
