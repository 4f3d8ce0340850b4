import { sineSeries } from "@unrolled/datasets";
import { ConfigError } from "@unrolled/linalg";
import { BASE_CONFIG, type TrainConfig } from "../config.js";
import { seriesTask } from "../prepare.js";
import type { Prepared } from "../task.js";
import type { Preset } from "./preset.js";

/** sin(0 … 199): 100 windows of 50 to train on, the last 50 windows to validate on (as the tutorial). */
function sineTask(cfg: TrainConfig): Prepared {
  if (cfg.split.some((f, i) => f !== BASE_CONFIG.split[i]))
    throw new ConfigError(
      `config.split does not apply to the sine preset: its windows are fixed (rows 0 … 149 train, 100 … 199 validate, as the tutorial), got ${cfg.split.join(",")}`,
    );
  const s = sineSeries(200);
  const table = { names: ["sin"], columns: [s], dates: null, length: 200, dropped: 0, filled: 0 };
  const ranges = { train: { start: 0, end: 150 }, valid: { start: 100, end: 200 }, test: null };
  const r = seriesTask(
    { name: "sine", table, features: ["sin"], target: "sin", horizon: 1, units: "", dateColumn: null, ranges },
    cfg,
  );
  return { ...r, vocabulary: null };
}

export const sine: Preset = {
  name: "sine",
  description: "the next value of sin(t), t = 0 … 199, from the previous 50",
  dataset: null,
  tutorial: "sine-rnn.txt",
  goal: "validation RMSE ≤ 0.01 (persistence 0.680)",
  defaults: {
    ...BASE_CONFIG,
    mode: "many-to-one",
    seqLen: 50,
    scale: "none",
    hidden: 16,
    epochs: 200,
    batchSize: 10,
    lr: 1e-2,
    schedule: "cosine",
    patience: 0,
  },
  tutorialConfig: {
    ...BASE_CONFIG,
    mode: "many-to-one",
    seqLen: 50,
    scale: "none",
    hidden: 100,
    nonlinearity: "sigmoid",
    bias: false,
    initScheme: "uniform", // U(0, 1)
    optimizer: "sgd",
    lr: 5e-5, // its lr 1e-4 on ½(ŷ − y)²
    truncate: 5,
    clipValue: 10,
    epochs: 25,
    batchSize: 1,
    shuffle: false,
    patience: 0,
    restoreBest: false,
  },
  prepare: (_text, cfg) => sineTask(cfg),
};
