/**
 * Reading back what a training run wrote into a model file (its "preprocessing", "training",
 * "vocabulary" and "metadata" sections), validated: a hand-edited or foreign file gets a FormatError
 * naming the field. `loadTrainedModel` returns them typed, so no caller re-parses an `unknown`.
 */
import { scalerFromJson, type Vocabulary, vocabularyFromJson } from "@unrolled/datasets";
import { type DType, FormatError } from "@unrolled/linalg";
import { LIMITS, loadModel, type ModelParams, type ModelSections } from "@unrolled/rnn-core";
import { readTrainConfig, type TrainConfig } from "./config.js";
import type { RunMetadata, RunProtocol } from "./run.js";
import type { ArrayPreprocessing, Preprocessing } from "./task.js";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function readPreprocessing(v: unknown): Preprocessing {
  if (!isObj(v))
    throw new FormatError('model file: "preprocessing" must be an object (was the model trained by `unrolled train`?)');
  if (v.kind === "arrays") return readArrayPreprocessing(v);
  const seqLen = v.seqLen;
  if (!(typeof seqLen === "number" && Number.isInteger(seqLen) && seqLen >= 1))
    throw new FormatError("model file: preprocessing.seqLen must be an integer ≥ 1");
  if (v.kind === "text") return { kind: "text", seqLen };
  if (v.kind === "symbols") {
    if (!(typeof v.modulus === "number" && Number.isInteger(v.modulus) && v.modulus >= 2))
      throw new FormatError("model file: preprocessing.modulus must be an integer ≥ 2");
    return { kind: "symbols", modulus: v.modulus, seqLen };
  }
  if (v.kind !== "series")
    throw new FormatError(
      `model file: preprocessing.kind must be "series", "symbols", "text" or "arrays", got ${JSON.stringify(v.kind)}`,
    );
  const features = v.features;
  if (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === "string")) {
    throw new FormatError("model file: preprocessing.features must be a non-empty list of column names");
  }
  if (typeof v.target !== "string") throw new FormatError("model file: preprocessing.target must be a column name");
  if (!(typeof v.horizon === "number" && Number.isInteger(v.horizon) && v.horizon >= 0))
    throw new FormatError("model file: preprocessing.horizon must be an integer ≥ 0");
  if (v.mode !== "many-to-one" && v.mode !== "many-to-many")
    throw new FormatError("model file: preprocessing.mode must be many-to-one or many-to-many");
  if (typeof v.trainMean !== "number" || !Number.isFinite(v.trainMean))
    throw new FormatError("model file: preprocessing.trainMean must be a finite number");
  const lin = v.linearBaseline;
  if (
    !Array.isArray(lin) ||
    lin.length !== seqLen * features.length + 1 ||
    !lin.every((x) => typeof x === "number" && Number.isFinite(x))
  ) {
    throw new FormatError(
      `model file: preprocessing.linearBaseline must hold ${seqLen * features.length + 1} finite numbers`,
    );
  }
  const missing = v.missing;
  if (missing !== "ffill" && missing !== "drop" && missing !== "error")
    throw new FormatError("model file: preprocessing.missing must be ffill, drop or error");
  return {
    kind: "series",
    features: features as string[],
    target: v.target,
    horizon: v.horizon,
    seqLen,
    mode: v.mode,
    featureScaler: scalerFromJson(v.featureScaler, features.length, "model file: preprocessing.featureScaler"),
    targetScaler: scalerFromJson(v.targetScaler, 1, "model file: preprocessing.targetScaler"),
    units: typeof v.units === "string" ? v.units : "",
    dateColumn: typeof v.dateColumn === "string" ? v.dateColumn : null,
    missing,
    badRows: v.badRows === "skip" ? "skip" : "error",
    trainMean: v.trainMean,
    linearBaseline: lin as number[],
  };
}

/** The preprocessing of a model trained on arrays (Model.toJSON): its task, sizes and scalers. */
function readArrayPreprocessing(v: Record<string, unknown>): ArrayPreprocessing {
  const fail = (field: string, expected: string): never => {
    throw new FormatError(`model file: preprocessing.${field} must be ${expected}`);
  };
  const tasks = ["regression", "classification", "multilabel"] as const;
  const task = tasks.find((t) => t === v.task) ?? fail("task", `one of ${tasks.join(", ")}`);
  const size = (f: "inputSize" | "outputSize") => {
    const n = v[f];
    return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= LIMITS.size
      ? n
      : fail(f, `an integer in [1, ${LIMITS.size}]`);
  };
  const [inputSize, outputSize] = [size("inputSize"), size("outputSize")];
  if (typeof v.perStep !== "boolean") fail("perStep", "true or false");
  if (v.targetRank !== 1 && v.targetRank !== 2 && v.targetRank !== 3) fail("targetRank", "1, 2 or 3");
  const featureScaler = scalerFromJson(v.featureScaler, inputSize, "model file: preprocessing.featureScaler");
  const targetScaler =
    task === "regression" ? scalerFromJson(v.targetScaler, outputSize, "model file: preprocessing.targetScaler") : null;
  return {
    kind: "arrays",
    task,
    inputSize,
    outputSize,
    perStep: v.perStep as boolean,
    targetRank: v.targetRank as 1 | 2 | 3,
    featureScaler,
    targetScaler,
  };
}

export function readTrainingConfig(v: unknown): TrainConfig {
  if (!isObj(v)) throw new FormatError('model file: "training" must be the configuration object a training run wrote');
  try {
    return readTrainConfig(v);
  } catch (e) {
    throw new FormatError(`model file: training: ${(e as Error).message}`);
  }
}

const PROTOCOLS: readonly RunProtocol[] = ["default", "tutorial", "custom"];

/** The metadata a training run wrote: its preset and protocol, and for a run on a CSV, its name and columns. */
export function readMetadata(sections: ModelSections): RunMetadata {
  const m = sections.metadata;
  if (!isObj(m)) return { preset: null, protocol: "custom", data: null };
  return {
    preset: typeof m.preset === "string" ? m.preset : null,
    protocol: PROTOCOLS.includes(m.protocol as RunProtocol) ? (m.protocol as RunProtocol) : "custom",
    data: isObj(m.data) ? m.data : null,
  };
}

/** A model file written by a training run, with its sections read and typed. */
export interface TrainedModel {
  readonly params: ModelParams;
  readonly preprocessing: Preprocessing;
  readonly training: TrainConfig;
  readonly metadata: RunMetadata;
  /** A character model's vocabulary; null for the others. */
  readonly vocabulary: Vocabulary | null;
  /** Every section as the file has it (for writing the model out again). */
  readonly sections: ModelSections;
}

/** Loads and validates a model file a training run wrote (its JSON text or the parsed object). */
export function loadTrainedModel(input: string | unknown, dtype: DType = "float64"): TrainedModel {
  const { params, sections } = loadModel(input, dtype);
  let vocabulary: Vocabulary | null = null;
  if (sections.vocabulary !== undefined) {
    try {
      vocabulary = vocabularyFromJson(sections.vocabulary);
    } catch (e) {
      throw new FormatError(`model file: ${(e as Error).message}`);
    }
  }
  return {
    params,
    preprocessing: readPreprocessing(sections.preprocessing),
    training: readTrainingConfig(sections.training),
    metadata: readMetadata(sections),
    vocabulary,
    sections,
  };
}
