/** Build an optimizer from a plain config, or restore one from its saved state. */
import { ConfigError, FormatError } from "@unrolled/linalg";
import { Adagrad, type AdagradConfig } from "./adagrad.js";
import { Adam, type AdamConfig, AdamW } from "./adam.js";
import type { BaseOptimizer, Optimizer, OptimizerKind, OptimizerState } from "./optimizer.js";
import { Rmsprop, type RmspropConfig } from "./rmsprop.js";
import { Sgd, type SgdConfig } from "./sgd.js";

export type OptimizerConfig =
  | ({ readonly kind: "sgd" } & SgdConfig)
  | ({ readonly kind: "rmsprop" } & RmspropConfig)
  | ({ readonly kind: "adam" } & AdamConfig)
  | ({ readonly kind: "adamw" } & AdamConfig)
  | ({ readonly kind: "adagrad" } & AdagradConfig);

export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ["sgd", "rmsprop", "adam", "adamw", "adagrad"];

function build(config: OptimizerConfig, size: number): BaseOptimizer {
  if (!Number.isInteger(size) || size < 0)
    throw new ConfigError(`createOptimizer: size must be an integer ≥ 0, got ${size}`);
  const { kind, ...rest } = config;
  switch (kind) {
    case "sgd":
      return new Sgd(rest as SgdConfig, size);
    case "rmsprop":
      return new Rmsprop(rest as RmspropConfig, size);
    case "adam":
      return new Adam(rest as AdamConfig, size);
    case "adamw":
      return new AdamW(rest as AdamConfig, size);
    case "adagrad":
      return new Adagrad(rest as AdagradConfig, size);
    default:
      throw new ConfigError(
        `createOptimizer: unknown kind ${JSON.stringify(kind)}, expected one of ${OPTIMIZER_KINDS.join(", ")}`,
      );
  }
}

/** A fresh optimizer for `size` parameters. */
export function createOptimizer(config: OptimizerConfig, size: number): Optimizer {
  return build(config, size);
}

/** Rebuilds an optimizer from `getState()` output (for example read back from a checkpoint file). */
export function restoreOptimizer(state: unknown, size: number): Optimizer {
  const s = state as Partial<OptimizerState> | null;
  if (s === null || typeof s !== "object" || s.format !== "unrolled.optimizer") {
    throw new FormatError('optimizer state: expected an object with "format": "unrolled.optimizer"');
  }
  if (s.version !== 1) throw new FormatError(`optimizer state: unsupported version ${String(s.version)}, expected 1`);
  if (!OPTIMIZER_KINDS.includes(s.kind as OptimizerKind)) {
    throw new FormatError(
      `optimizer state: unknown kind ${JSON.stringify(s.kind)}, expected one of ${OPTIMIZER_KINDS.join(", ")}`,
    );
  }
  if (typeof s.hyper !== "object" || s.hyper === null || typeof s.buffers !== "object" || s.buffers === null) {
    throw new FormatError("optimizer state: hyper and buffers must be objects");
  }
  let opt: BaseOptimizer;
  try {
    opt = build({ kind: s.kind, ...s.hyper } as OptimizerConfig, size);
  } catch (e) {
    throw new FormatError(`optimizer state: ${(e as Error).message}`);
  }
  opt.loadState(s as OptimizerState);
  return opt;
}
