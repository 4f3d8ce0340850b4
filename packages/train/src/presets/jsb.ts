/**
 * JSB Chorales (Boulanger-Lewandowski et al. 2012's split, quarter notes): from frames 0 … n−2 of a
 * chorale predict frames 1 … n−1, 88 independent notes each. The figure papers report is the negative
 * log-likelihood of a frame — the binary cross-entropy summed over the 88 notes — averaged over every
 * predicted frame of the split (frame-weighted across chorales), in nats; evaluate.ts computes exactly
 * that. Published test figures are kept beside the task so every report shows them.
 */
import { PIANO_KEYS, type PianoRolls, parsePianoRolls } from "@unrolled/datasets";
import { DataError } from "@unrolled/linalg";
import { BASE_CONFIG, type TrainConfig } from "../config.js";
import { arrayBaselines, arraySamples } from "../model/array-task.js";
import type { Sequences, Targets } from "../model/arrays.js";
import type { ArrayPreprocessing, Prepared, Published, Task } from "../task.js";
import { needText, type Preset } from "./preset.js";

/** Test NLL per frame: Chung, Gulcehre, Cho & Bengio 2014 (Table 2) and Bai, Kolter & Koltun 2018 (Table 1). */
export const JSB_PUBLISHED: readonly Published[] = [
  { source: "Chung et al. 2014, Table 2", model: "tanh RNN", cell: "rnn", parameters: "~20K", value: 9.1 },
  { source: "Chung et al. 2014, Table 2", model: "GRU", cell: "gru", parameters: "~20K", value: 8.54 },
  { source: "Chung et al. 2014, Table 2", model: "LSTM", cell: "lstm", parameters: "~20K", value: 8.67 },
  { source: "Bai et al. 2018, Table 1", model: "tanh RNN", cell: "rnn", parameters: "~300K", value: 8.91 },
  { source: "Bai et al. 2018, Table 1", model: "GRU", cell: "gru", parameters: "~300K", value: 8.43 },
  { source: "Bai et al. 2018, Table 1", model: "LSTM", cell: "lstm", parameters: "~300K", value: 8.45 },
];

/** What both protocols share: the task, and one chorale per update with Adam, halved on plateaus. */
const JSB_TASK: TrainConfig = {
  ...BASE_CONFIG,
  mode: "many-to-many",
  scale: "none",
  loss: "bce",
  epochs: 100,
  batchSize: 1,
  lr: 1e-3,
  clipNorm: 1,
  schedule: "plateau",
  patience: 10,
};

export const jsb: Preset = {
  name: "jsb",
  description: "polyphonic music: the next frame of 88 notes of Bach chorales (JSB Chorales), tanh vs GRU vs LSTM",
  dataset: "jsb",
  tutorial: null,
  goal: "test NLL ≤ 8.91 (tanh), ≤ 8.43 (GRU), ≤ 8.45 (LSTM) nats/frame with ≤ 300K parameters",
  defaults: {
    // ≤ 300K parameters (Bai et al.'s size): an LSTM of 220 units; --cell gru and --cell rnn are sized
    // to the same count (258 and 458 units). Input dropout: the training set is small (229 chorales),
    // and without it every cell overfits by epoch 30.
    ...JSB_TASK,
    cell: "lstm",
    hidden: 220,
    inputDropout: 0.25,
  },
  // 458 tanh units already overfit less than the gated cells, and dropping inputs only slows them down
  cellDefaults: { rnn: { inputDropout: 0 } },
  // Chung et al. 2014's size, about 20K parameters: GRU 46 units (--cell lstm: 38, --cell rnn: 86)
  tutorialConfig: { ...JSB_TASK, cell: "gru", hidden: 46 },
  prepare: (text, cfg) => jsbTask(needText(text, "jsb"), cfg),
};

/** The next-frame task on the three splits of the file. */
export function jsbTask(text: string, _cfg: TrainConfig): Prepared {
  const rolls = parsePianoRolls(text, "jsb-chorales-quarter.json");
  const parts = [rolls.train, rolls.valid, rolls.test];
  const { seqs, targets } = nextFrames(parts);
  const starts = [0, rolls.train.lengths.length, rolls.train.lengths.length + rolls.valid.lengths.length];
  const [train, valid, test] = parts.map((r, k) => Int32Array.from(r.lengths, (_, i) => (starts[k] as number) + i)) as [
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  const samples = (pick: Int32Array) => arraySamples(seqs, targets, pick, "multilabel");
  const frames = (pick: Int32Array) => pick.reduce((n, i) => n + (seqs.lengths[i] as number), 0);
  const task: Task = {
    kind: "multilabel",
    name: "jsb",
    units: "nats/frame",
    train: samples(train),
    valid: samples(valid),
    test: samples(test),
    loss: { kind: "bce" },
    targetScale: null,
    baselines: {
      valid: arrayBaselines("multilabel", seqs, targets, train, valid),
      test: arrayBaselines("multilabel", seqs, targets, train, test),
    },
    notes: [
      `JSB Chorales: ${train.length} / ${valid.length} / ${test.length} chorales, ${frames(train)} / ${frames(valid)} / ${frames(test)} predicted frames of ${PIANO_KEYS} notes`,
    ],
    published: JSB_PUBLISHED,
  };
  const preprocessing: ArrayPreprocessing = {
    kind: "arrays",
    task: "multilabel",
    inputSize: PIANO_KEYS,
    outputSize: PIANO_KEYS,
    perStep: true,
    targetRank: 3,
    featureScaler: { kind: "none", shift: Array(PIANO_KEYS).fill(0), scale: Array(PIANO_KEYS).fill(1) },
    targetScaler: null,
  };
  return { task, preprocessing, vocabulary: null };
}

/** Every piece as inputs = frames 0 … n−2 and targets = frames 1 … n−1. */
function nextFrames(parts: readonly PianoRolls[]): { seqs: Sequences; targets: Targets } {
  const used = parts.flatMap((r) => Array.from(r.lengths, (n, i) => ({ r, at: r.offsets[i] as number, n: n - 1 })));
  const short = used.findIndex((p) => p.n < 1);
  if (short >= 0)
    throw new DataError(`jsb: piece ${short} has one frame, expected at least 2 (one to read, one to predict)`);
  const lengths = Int32Array.from(used, (p) => p.n);
  const offsets = new Int32Array(used.length + 1);
  used.forEach((p, i) => {
    offsets[i + 1] = (offsets[i] as number) + p.n;
  });
  const rows = offsets[used.length] as number;
  const [x, y] = [new Float64Array(rows * PIANO_KEYS), new Float64Array(rows * PIANO_KEYS)];
  used.forEach((p, i) => {
    const to = (offsets[i] as number) * PIANO_KEYS;
    x.set(p.r.keys.subarray(p.at * PIANO_KEYS, (p.at + p.n) * PIANO_KEYS), to);
    y.set(p.r.keys.subarray((p.at + 1) * PIANO_KEYS, (p.at + 1 + p.n) * PIANO_KEYS), to);
  });
  return {
    seqs: { N: used.length, D: PIANO_KEYS, lengths, offsets, data: x },
    targets: { perStep: true, O: PIANO_KEYS, data: y, rank: 3 },
  };
}
