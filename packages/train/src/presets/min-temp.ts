import { BASE_CONFIG } from "../config.js";
import { type CsvSeries, csvSeriesTable, csvSeriesTask, type Preset } from "./preset.js";

const SERIES: CsvSeries = { dataset: "min-temp", features: ["Temp"], target: "Temp", horizon: 1 };

export const minTemp: Preset = {
  name: "min-temp",
  description: "tomorrow's minimum temperature in Melbourne from the previous days",
  dataset: "min-temp",
  tutorial: "min-temp-rnn.txt",
  goal: "test MSE ≤ 5.8 °C² (tutorial's RNN 7.47, persistence 6.88, least squares on one lag 6.15)",
  defaults: {
    ...BASE_CONFIG,
    mode: "many-to-many",
    seqLen: 30,
    scale: "minmax",
    split: [0.6, 0.07, 0.33],
    hidden: 16,
    epochs: 40,
    batchSize: 32,
    lr: 3e-3,
    patience: 8,
  },
  tutorialConfig: {
    ...BASE_CONFIG,
    mode: "many-to-one",
    seqLen: 1, // look_back = 1
    scale: "minmax",
    split: [0.6, 0.07, 0.33], // its 67 % train, of which the last tenth validates (it validated on the test set)
    hidden: 256,
    initScheme: "xavier-normal", // what it asks for (its "xavier" computed He's formula)
    optimizer: "sgd",
    lr: 5e-4, // its lr 1e-3 on ½(ŷ − y)²
    clipValue: 1,
    epochs: 100,
    batchSize: 1,
    shuffle: false,
    patience: 10,
  },
  series: (text) => csvSeriesTable(SERIES, text),
  prepare: (text, cfg) => csvSeriesTask(SERIES, text, cfg),
};
