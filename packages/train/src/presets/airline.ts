import { BASE_CONFIG } from "../config.js";
import { type CsvSeries, csvSeriesTable, csvSeriesTask, type Preset } from "./preset.js";

const SERIES: CsvSeries = { dataset: "airline", features: ["Passengers"], target: "Passengers", horizon: 1 };

export const airline: Preset = {
  name: "airline",
  description: "next month's airline passengers (thousands) from the previous 12 months",
  dataset: "airline",
  tutorial: null,
  goal: "report test RMSE beside persistence's",
  defaults: {
    ...BASE_CONFIG,
    mode: "many-to-one",
    seqLen: 12,
    scale: "minmax",
    split: [0.55, 0.12, 0.33],
    hidden: 16,
    epochs: 300,
    batchSize: 8,
    lr: 3e-3,
    patience: 40,
  },
  tutorialConfig: {
    ...BASE_CONFIG,
    mode: "many-to-one",
    seqLen: 1,
    scale: "minmax",
    split: [0.6, 0.07, 0.33],
    hidden: 4,
    optimizer: "adam",
    lr: 1e-3,
    epochs: 100,
    batchSize: 1,
    shuffle: false,
    patience: 0,
  },
  series: (text) => csvSeriesTable(SERIES, text),
  prepare: (text, cfg) => csvSeriesTask(SERIES, text, cfg),
};
