/** A model file written by `unrolled train`, with the sections that say how its data was prepared. */
import type { DType } from "@unrolled/linalg";
import type { ModelParams, ModelSections } from "@unrolled/rnn-core";
import {
  type Preprocessing,
  type RunMetadata,
  readMetadata,
  readPreprocessing,
  readTrainingConfig,
  type TrainConfig,
} from "@unrolled/train";
import { CliError } from "./errors.js";
import { readModel } from "./model-io.js";

export interface TrainedModel {
  readonly params: ModelParams;
  readonly sections: ModelSections;
  readonly preprocessing: Preprocessing;
  readonly training: TrainConfig;
  readonly metadata: RunMetadata;
}

export function readTrainedModel(path: string, dtype: DType = "float64"): TrainedModel {
  const { params, sections } = readModel(path, dtype);
  try {
    return {
      params,
      sections,
      preprocessing: readPreprocessing(sections.preprocessing),
      training: readTrainingConfig(sections.training),
      metadata: readMetadata(sections),
    };
  } catch (e) {
    throw new CliError(`${path}: ${(e as Error).message.replace(/^model file: /, "")}`);
  }
}
