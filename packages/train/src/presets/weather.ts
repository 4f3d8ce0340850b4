import { BASE_CONFIG } from "../config.js";
import { type CsvSeries, csvSeriesTable, csvSeriesTask, type Preset } from "./preset.js";

/** The tutorial's data: tomorrow's tmax (already a column) from (tmax, tmin, rain). */
const SERIES: CsvSeries = {
  dataset: "weather",
  features: ["tmax", "tmin", "rain"],
  target: "tmax_tomorrow",
  horizon: 0,
};

export const weather: Preset = {
  name: "weather",
  description: "tomorrow's max temperature from 13 days of (tmax, tmin, rain)",
  dataset: "weather",
  tutorial: "weather-rnn.txt",
  goal: "test MSE ≤ 21.5 °F² (tutorial's RNN 28.3, persistence 24.8, least squares on the window 21.1)",
  defaults: {
    ...BASE_CONFIG,
    mode: "many-to-many",
    seqLen: 13,
    split: [0.7, 0.15, 0.15],
    hidden: 32,
    epochs: 25,
    batchSize: 32,
    lr: 3e-3,
    patience: 6,
  },
  tutorialConfig: {
    ...BASE_CONFIG,
    mode: "many-to-many",
    seqLen: 13,
    split: [0.7, 0.15, 0.15],
    scaleTarget: "none", // the tutorial predicts °F directly
    hidden: 5,
    initScheme: "pytorch", // U(−1/√H, 1/√H) everywhere, as its init_params
    optimizer: "sgd",
    lr: 5e-5, // its update lr/T·Σ(ŷ−y)·∂ŷ is SGD on the mean squared error with lr/2
    epochs: 21,
    batchSize: 1,
    shuffle: false,
    patience: 0,
    restoreBest: false,
  },
  series: (text) => csvSeriesTable(SERIES, text),
  prepare: (text, cfg) => csvSeriesTask(SERIES, text, cfg),
};
