/** Loading a model file from disk, with the file's name in every error. */
import type { DType } from "@unrolled/linalg";
import { FormatError } from "@unrolled/linalg";
import { loadModel, type ModelParams, type ModelSections } from "@unrolled/rnn-core";
import { CliError } from "./errors.js";
import { readText } from "./io.js";

export function readModel(path: string, dtype: DType = "float64"): { params: ModelParams; sections: ModelSections } {
  const text = readText(path, "model file");
  try {
    return loadModel(text, dtype);
  } catch (e) {
    if (FormatError.isInstance(e)) throw new CliError(`${path}: ${e.message.replace(/^model file: /, "")}`);
    throw e;
  }
}
