import { BASE_CONFIG } from "../config.js";
import { textTask } from "../prepare.js";
import { needText, type Preset } from "./preset.js";

export const shakespeare: Preset = {
  name: "shakespeare",
  description: "a character-level language model of Tiny Shakespeare (90 / 10 split), then generation",
  dataset: "shakespeare",
  tutorial: null,
  goal: "validation ≤ 1.9 nats/char (bigram 2.48)",
  defaults: {
    ...BASE_CONFIG,
    mode: "many-to-many",
    seqLen: 100,
    split: [0.9, 0.1, 0],
    loss: "ce",
    hidden: 128,
    epochs: 6,
    batchSize: 32,
    lr: 3e-3,
    clipNorm: 5,
    patience: 0,
    batchesPerEpoch: 300, // an "epoch" is 300 random batches of 32 × 100 characters (≈ 1 M characters)
  },
  // an LSTM or GRU sized to the RNN's parameter count learns best with a larger step; the LSTM also
  // starts its forget gate open (measured: docs/lstm.md and the README's comparison)
  cellDefaults: { lstm: { lr: 2e-2, initForgetBias: 1 }, gru: { lr: 1e-2 } },
  tutorialConfig: {
    // min-char-rnn: H = 100, sequences of 25, Adagrad lr 0.1, gradients clipped to ±5, weights randn·0.01
    ...BASE_CONFIG,
    mode: "many-to-many",
    seqLen: 25,
    split: [0.9, 0.1, 0],
    loss: "ce",
    reduction: "sum",
    hidden: 100,
    initScheme: "normal",
    optimizer: "adagrad",
    lr: 0.1,
    clipValue: 5,
    epochs: 1,
    batchSize: 1,
    shuffle: false,
    patience: 0,
  },
  prepare: (text, cfg) => {
    const { task, vocab } = textTask("shakespeare", needText(text, "shakespeare"), cfg);
    return { task, preprocessing: { kind: "text", seqLen: cfg.seqLen }, vocabulary: vocab };
  },
};
