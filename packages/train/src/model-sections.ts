/**
 * Reading back what a training run wrote into a model file (its "preprocessing", "training" and
 * "metadata" sections), validated: a hand-edited or foreign file gets a FormatError naming the field.
 */
import { scalerFromJson } from "@unrolled/datasets";
import { FormatError } from "@unrolled/linalg";
import type { ModelSections } from "@unrolled/rnn-core";
import { type TrainConfig, validateTrainConfig } from "./config.js";
import type { SeriesPreprocessing } from "./prepare.js";

export type Preprocessing =
  | SeriesPreprocessing
  | { readonly kind: "symbols"; readonly modulus: number; readonly seqLen: number }
  | { readonly kind: "text"; readonly seqLen: number };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function readPreprocessing(v: unknown): Preprocessing {
  if (!isObj(v))
    throw new FormatError('model file: "preprocessing" must be an object (was the model trained by `unrolled train`?)');
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
      `model file: preprocessing.kind must be "series", "symbols" or "text", got ${JSON.stringify(v.kind)}`,
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
    trainMean: v.trainMean,
    linearBaseline: lin as number[],
  };
}

export function readTrainingConfig(v: unknown): TrainConfig {
  if (!isObj(v))
    throw new FormatError('model file: "training" must be the configuration object `unrolled train` wrote');
  try {
    return validateTrainConfig(v as unknown as TrainConfig);
  } catch (e) {
    throw new FormatError(`model file: training: ${(e as Error).message}`);
  }
}

/** The metadata `unrolled train` writes: the preset and, for --data runs, the CSV and its columns. */
export interface RunMetadata {
  readonly preset: string | null;
  readonly protocol: string;
  readonly data: Readonly<Record<string, unknown>> | null;
}

export function readMetadata(sections: ModelSections): RunMetadata {
  const m = sections.metadata;
  if (!isObj(m)) return { preset: null, protocol: "custom", data: null };
  return {
    preset: typeof m.preset === "string" ? m.preset : null,
    protocol: typeof m.protocol === "string" ? m.protocol : "custom",
    data: isObj(m.data) ? m.data : null,
  };
}
