/**
 * Tiny Shakespeare at a useful size: a 2-layer LSTM with dropout between the layers, float32, on
 * nanoGPT's split of the same file (the first 90 % trains: 1,003,854 characters; the last 111,540
 * validate). nanoGPT's published validation figures on it: 1.88 nats/char for its CPU configuration (a
 * 0.8M-parameter GPT trained for a few minutes), 1.4697 for its 10.7M-parameter GPT on a GPU.
 */
import { BASE_CONFIG } from "../config.js";
import type { Published } from "../task.js";
import type { Preset } from "./preset.js";
import { shakespeare } from "./shakespeare.js";

/** nanoGPT's README (Karpathy 2023), shakespeare_char: validation loss per character. */
export const NANOGPT_PUBLISHED: readonly Published[] = [
  { source: "nanoGPT, CPU configuration", model: "GPT", cell: null, parameters: "0.8M", value: 1.88 },
  { source: "nanoGPT, GPU configuration", model: "GPT", cell: null, parameters: "10.7M", value: 1.4697 },
];

export const shakespeareLstm: Preset = {
  name: "shakespeare-lstm",
  description: "Tiny Shakespeare with a 2-layer LSTM and dropout (nanoGPT's split), float32, then generation",
  dataset: "shakespeare",
  tutorial: null,
  goal: "validation ≤ 1.55 nats/char within 30 minutes of training (nanoGPT: 1.88 on a CPU, 1.4697 on a GPU)",
  defaults: {
    ...BASE_CONFIG,
    mode: "many-to-many",
    seqLen: 128,
    split: [0.9, 0.1, 0], // floor(0.9 · 1,115,394) = 1,003,854 characters train, as nanoGPT's int(n · 0.9)
    loss: "ce",
    cell: "lstm",
    hidden: 256,
    layers: 2,
    dropout: 0.2,
    initForgetBias: 1,
    dtype: "float32",
    epochs: 18,
    batchSize: 32,
    batchesPerEpoch: 245, // an "epoch" is 245 random batches of 32 × 128 characters (≈ 1 M characters)
    lr: 3e-3,
    schedule: "cosine",
    clipNorm: 5,
    patience: 0,
  },
  tutorialConfig: {
    // the small preset's configuration, on this split: the comparison the README's table makes
    ...shakespeare.defaults,
  },
  prepare: (text, cfg) => {
    const prepared = shakespeare.prepare(text, cfg);
    return { ...prepared, task: { ...prepared.task, name: "shakespeare-lstm", published: NANOGPT_PUBLISHED } };
  },
};
