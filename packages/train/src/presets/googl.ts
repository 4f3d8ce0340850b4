import { BASE_CONFIG } from "../config.js";
import { type CsvSeries, csvSeriesTable, csvSeriesTask, type Preset } from "./preset.js";

/** The tutorial's window: yfinance's 2020-04-01 … 2023-04-01 (its end is exclusive). */
const SERIES: CsvSeries = {
  dataset: "googl",
  features: ["Open"],
  target: "Open",
  horizon: 1,
  from: "2020-04-01",
  to: "2023-04-01",
};

export const googl: Preset = {
  name: "googl",
  description: "GOOGL's next opening price from the previous 50, 2020-04-01 … 2023-03-31",
  dataset: "googl",
  tutorial: "googl-rnn.txt",
  goal: "test RMSE ≤ 1.3 × persistence's ($2.03)",
  defaults: {
    ...BASE_CONFIG,
    mode: "many-to-one",
    seqLen: 50,
    scale: "minmax",
    split: [0.7, 0.1, 0.2],
    splitRounding: "ceil",
    hidden: 32,
    epochs: 60,
    batchSize: 16,
    lr: 2e-3,
    patience: 10,
  },
  tutorialConfig: {
    ...BASE_CONFIG,
    mode: "many-to-one",
    seqLen: 50,
    scale: "minmax", // fitted on the training rows only (it refits on the test data)
    split: [0.7, 0.1, 0.2], // its ceil(80 %) train; the last tenth of that validates; same 151 test rows
    splitRounding: "ceil",
    hidden: 50,
    initScheme: "normal", // randn · 0.01, biases 0
    optimizer: "sgd",
    lr: 1e-3,
    epochs: 200,
    batchSize: 1,
    shuffle: false,
    patience: 0,
    restoreBest: false,
  },
  series: (text) => csvSeriesTable(SERIES, text),
  prepare: (text, cfg) => csvSeriesTask(SERIES, text, cfg),
};
