/** A model file written by a training run, read from disk with its sections typed; the file's name in every error. */
import type { DType } from "@unrolled/linalg";
import { loadTrainedModel, type TrainedModel } from "@unrolled/train";
import { CliError } from "./errors.js";
import { readText } from "./io.js";

export function readTrainedModel(path: string, dtype: DType = "float64"): TrainedModel {
  const text = readText(path, "model file");
  try {
    return loadTrainedModel(text, dtype);
  } catch (e) {
    throw new CliError(`${path}: ${(e as Error).message.replace(/^model file: /, "")}`);
  }
}
