/**
 * Checkpoints: everything needed to continue a run exactly where it stopped — the configuration, the
 * preset that made the data, and the fit loop's whole state. Resuming from one ends bit-identical to
 * a run that was never interrupted.
 */
import { FormatError } from "@unrolled/linalg";
import { countParams, type ModelConfig, validateConfig } from "@unrolled/rnn-core";
import { type TrainConfig, validateTrainConfig } from "./config.js";
import { type FitState, validateFitState } from "./fit-state.js";

export interface Checkpoint {
  readonly format: "unrolled.checkpoint";
  readonly version: 1;
  readonly preset: string | null;
  readonly protocol: "default" | "tutorial" | "custom";
  /** For --data runs: the file and columns, so the same task can be rebuilt. */
  readonly data: Readonly<Record<string, unknown>> | null;
  readonly config: TrainConfig;
  readonly model: ModelConfig;
  readonly state: FitState;
}

export function makeCheckpoint(c: Omit<Checkpoint, "format" | "version">): Checkpoint {
  return { format: "unrolled.checkpoint", version: 1, ...c };
}

/** Parses and validates a checkpoint for a task with N training sequences. */
export function readCheckpoint(json: unknown, trainSequences?: number): Checkpoint {
  const c = json as Partial<Checkpoint> | null;
  if (c === null || typeof c !== "object" || c.format !== "unrolled.checkpoint") {
    throw new FormatError('checkpoint: expected an object with "format": "unrolled.checkpoint"');
  }
  if (c.version !== 1)
    throw new FormatError(`checkpoint: unsupported version ${JSON.stringify(c.version)}, expected 1`);
  let model: ModelConfig;
  let config: TrainConfig;
  try {
    model = validateConfig(c.model);
    config = validateTrainConfig(c.config as TrainConfig);
  } catch (e) {
    throw new FormatError(`checkpoint: ${(e as Error).message}`);
  }
  const state = validateFitState(c.state, countParams(model), trainSequences ?? Number.MAX_SAFE_INTEGER);
  return {
    format: "unrolled.checkpoint",
    version: 1,
    preset: c.preset ?? null,
    protocol: c.protocol ?? "custom",
    data: c.data ?? null,
    config,
    model,
    state,
  };
}
