import { modularSequences } from "@unrolled/datasets";
import { createRng } from "@unrolled/linalg";
import { BASE_CONFIG } from "../config.js";
import { symbolTask } from "../prepare.js";
import type { Preset } from "./preset.js";

export const mod3: Preset = {
  name: "mod3",
  description: "the next number mod 3 at every step of random digit sequences",
  dataset: null,
  tutorial: "mod3-rnn.txt",
  goal: "100 % accuracy on 1,000 unseen sequences",
  defaults: {
    ...BASE_CONFIG,
    mode: "many-to-many",
    seqLen: 10,
    loss: "ce",
    trainSequences: 1000,
    hidden: 16,
    epochs: 20,
    batchSize: 32,
    lr: 1e-2,
    patience: 0,
  },
  tutorialConfig: {
    ...BASE_CONFIG,
    mode: "many-to-many",
    seqLen: 10,
    loss: "ce",
    reduction: "sum", // it sums the loss over the steps
    trainSequences: 10,
    hidden: 100, // what it asks for (its class builds 10 by mistake)
    initScheme: "normal",
    initStd: 1,
    initBiases: "same", // randn for everything
    optimizer: "sgd",
    lr: 1e-4,
    epochs: 5000,
    batchSize: 1,
    shuffle: false,
    patience: 0,
    restoreBest: false,
  },
  prepare: (_text, cfg) => {
    const m = 3;
    const rng = createRng(cfg.seed + 7919); // the data's own stream, apart from the weights' and the shuffling's
    const part = (count: number) => modularSequences(count, cfg.seqLen, m, rng);
    const parts = { train: part(cfg.trainSequences ?? 1000), valid: part(200), test: part(1000) };
    return {
      task: symbolTask("mod3", parts, cfg.seqLen, m, cfg),
      preprocessing: { kind: "symbols", modulus: m, seqLen: cfg.seqLen },
      vocabulary: null,
    };
  },
};
