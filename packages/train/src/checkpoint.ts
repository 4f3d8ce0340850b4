/**
 * Checkpoints: everything needed to continue a run exactly where it stopped — the configuration, the
 * preset that made the data, and the fit loop's whole state. Resuming from one ends bit-identical to
 * a run that was never interrupted.
 */
import { FormatError } from "@unrolled/linalg";
import { countParams, type ModelConfig, validateConfig } from "@unrolled/rnn-core";
import { readTrainConfig, type TrainConfig } from "./config.js";
import { type CsvSpec, readCsvSpec } from "./data.js";
import { type FitState, validateFitState } from "./fit-state.js";
import type { RunProtocol } from "./run.js";

export interface Checkpoint {
  readonly format: "unrolled.checkpoint";
  readonly version: 2;
  readonly preset: string | null;
  readonly protocol: RunProtocol;
  /** For a run on a CSV: its name and columns, so the same task can be rebuilt from the same file. */
  readonly data: CsvSpec | null;
  readonly config: TrainConfig;
  readonly model: ModelConfig;
  readonly state: FitState;
}

export function makeCheckpoint(c: Omit<Checkpoint, "format" | "version">): Checkpoint {
  return { format: "unrolled.checkpoint", version: 2, ...c };
}

/** Parses and validates a checkpoint for a task with N training sequences. */
export function readCheckpoint(json: unknown, trainSequences?: number): Checkpoint {
  const c = json as Partial<Checkpoint> | null;
  if (c === null || typeof c !== "object" || c.format !== "unrolled.checkpoint") {
    throw new FormatError('checkpoint: expected an object with "format": "unrolled.checkpoint"');
  }
  if (c.version !== 2)
    throw new FormatError(
      `checkpoint: unsupported version ${JSON.stringify(c.version)}, expected 2 (a checkpoint from version 0.1 cannot be resumed; start the run again)`,
    );
  let model: ModelConfig;
  let config: TrainConfig;
  try {
    model = validateConfig(c.model);
    config = readTrainConfig(c.config);
  } catch (e) {
    throw new FormatError(`checkpoint: ${(e as Error).message}`);
  }
  // the run's settings and its model must describe the same network (a file can say anything)
  for (const [field, said, built] of [
    ["cell", config.cell, model.cell],
    ["hidden", config.hidden, model.hiddenSize],
    ["layers", config.layers, model.numLayers],
  ] as const)
    if (said !== built)
      throw new FormatError(
        `checkpoint: config.${field} is ${JSON.stringify(said)} but the model's is ${JSON.stringify(built)}`,
      );
  const state = validateFitState(c.state, countParams(model), trainSequences ?? Number.MAX_SAFE_INTEGER);
  const protocol = (["default", "tutorial", "custom"] as const).find((p) => p === c.protocol) ?? "custom";
  const data = c.data === null || c.data === undefined ? null : readCsvSpec(c.data, "checkpoint: data");
  if (data === null && typeof c.preset !== "string")
    throw new FormatError('checkpoint: needs "preset" (a preset\'s name) or "data" (the columns of a CSV run)');
  return { format: "unrolled.checkpoint", version: 2, preset: c.preset ?? null, protocol, data, config, model, state };
}
