/**
 * The adding problem (Hochreiter & Schmidhuber 1997, Experiment 4, Table 7): the sum of two marked
 * values among T or more noise pairs, read off at the end. Training sequences are an endless stream,
 * none seen twice; training stops when the paper's criterion is met (criterion.ts), and 2,560 fresh
 * test sequences are scored. Published, mean of 10 trials: T = 100 solved after 74,000 training
 * sequences (1 of 2,560 test sequences wrong), T = 500 after 209,000 (0), T = 1000 after 853,000 (1).
 */
import { addingSequence } from "@unrolled/datasets";
import { allocArray, createRng, Matrix, type Rng, tensor3 } from "@unrolled/linalg";
import { BASE_CONFIG, type TrainConfig } from "../config.js";
import type { SolvedCriterion } from "../criterion.js";
import { arrayBaselines, arraySamples } from "../model/array-task.js";
import type { Sequences, Targets } from "../model/arrays.js";
import type { Samples } from "../samples.js";
import type { ArrayPreprocessing, Prepared } from "../task.js";
import type { Preset } from "./preset.js";

/** Hochreiter & Schmidhuber's: the last 2,000 training sequences each within 0.04, their mean squared error below 0.01. */
export const ADDING_CRITERION: SolvedCriterion = { window: 2000, maxError: 0.04, maxMse: 0.01 };
const VALID = 1000;
const TEST = 2560;
/** Sequences per "epoch": how often the fresh validation set is scored. */
const PER_EPOCH = 2000;

/** What both protocols share: an LSTM read at the end, fresh sequences, no early stopping. */
const ADDING_TASK: TrainConfig = {
  ...BASE_CONFIG,
  mode: "many-to-one",
  seqLen: 100,
  trainSequences: PER_EPOCH,
  scale: "none",
  cell: "lstm",
  patience: 0,
  restoreBest: false,
};

export const adding: Preset = {
  name: "adding",
  description: "the adding problem: the sum of two marked values among T noise pairs (Hochreiter & Schmidhuber 1997)",
  dataset: null,
  tutorial: null,
  goal: "the paper's criterion in ≤ 74,000 sequences at T = 100 (≤ 209,000 at T = 500), ≤ 3 of 2,560 test sequences wrong",
  defaults: {
    ...ADDING_TASK,
    hidden: 16,
    epochs: 150, // a budget of 300,000 sequences
    batchSize: 16,
    lr: 1e-2,
    clipNorm: 1,
    initChrono: 1000, // gates that keep memory for 1 … 1,000 steps and write sparingly (Tallec & Ollivier 2018)
  },
  // the paper's own learner, as near as this library gets: online (batch 1), plain gradient descent
  tutorialConfig: { ...ADDING_TASK, hidden: 4, epochs: 450, batchSize: 1, optimizer: "sgd", lr: 0.5 },
  prepare: (_text, cfg) => addingTask(cfg),
};

/** The task: an endless training stream, fixed valid and test sets, all drawn from the run's seed. */
export function addingTask(cfg: TrainConfig): Prepared {
  const T = cfg.seqLen;
  const seeds = createRng(cfg.seed + 104729); // one 32-bit base per stream, apart from the weights' and shuffling's
  const [trainBase, validBase, testBase] = [seeds.nextUint32(), seeds.nextUint32(), seeds.nextUint32()];
  const perEpoch = cfg.trainSequences ?? PER_EPOCH;
  const train = endlessSamples(T, perEpoch, trainBase);
  const firstTrain = drawSequences(Math.min(perEpoch, 2000), T, epochRng(trainBase, 0)); // fits the baselines
  const valid = drawSequences(VALID, T, createRng(validBase * 2 ** 20));
  const test = drawSequences(TEST, T, createRng(testBase * 2 ** 20));
  const all = stacked([...firstTrain, ...valid, ...test]);
  const at = (from: number, n: number) => Int32Array.from({ length: n }, (_, i) => from + i);
  const [tr, va, te] = [at(0, firstTrain.length), at(firstTrain.length, VALID), at(firstTrain.length + VALID, TEST)];
  const samples = (pick: Int32Array) => arraySamples(all.seqs, all.targets, pick, "regression");
  const preprocessing: ArrayPreprocessing = {
    kind: "arrays",
    task: "regression",
    inputSize: 2,
    outputSize: 1,
    perStep: false,
    targetRank: 1,
    featureScaler: { kind: "none", shift: [0, 0], scale: [1, 1] },
    targetScaler: { kind: "none", shift: [0], scale: [1] },
  };
  const task = {
    kind: "regression" as const,
    name: "adding",
    units: "",
    train,
    valid: samples(va),
    test: samples(te),
    loss: { kind: "mse" as const },
    targetScale: null,
    baselines: {
      valid: arrayBaselines("regression", all.seqs, all.targets, tr, va),
      test: arrayBaselines("regression", all.seqs, all.targets, tr, te),
    },
    notes: [
      `adding problem, T = ${T} (lengths ${T} … ${T + Math.floor(T / 10)}): ${perEpoch} fresh training sequences per epoch, ${VALID} to validate, ${TEST} to test`,
      `solved when the last ${ADDING_CRITERION.window} training sequences are each within ${ADDING_CRITERION.maxError}`,
    ],
    criterion: ADDING_CRITERION,
  };
  return { task, preprocessing, vocabulary: null };
}

interface Drawn {
  readonly x: Float64Array;
  readonly length: number;
  readonly target: number;
}

const epochRng = (base: number, epoch: number): Rng => createRng(base * 2 ** 20 + 1 + epoch);

function drawSequences(count: number, T: number, rng: Rng): Drawn[] {
  return Array.from({ length: count }, () => addingSequence(T, rng));
}

/** Training sequences made on demand: epoch e's are drawn in order from a stream of their own. */
function endlessSamples(T: number, perEpoch: number, base: number): Samples {
  let cached: { epoch: number; seqs: Drawn[] } | null = null;
  const epochOf = (epoch: number) => {
    if (cached?.epoch !== epoch) cached = { epoch, seqs: drawSequences(perEpoch, T, epochRng(base, epoch)) };
    return cached.seqs;
  };
  return {
    count: perEpoch,
    seqLen: T + Math.floor(T / 10),
    inputSize: 2,
    outputSize: 1,
    targetKind: "values",
    steps: 1,
    lengths: null,
    endless: true,
    batch(indices, dtype) {
      const seqs = Array.from(indices, (i) => epochOf(Math.floor(i / perEpoch))[i % perEpoch] as Drawn);
      const B = seqs.length;
      const Tb = seqs.reduce((m, s) => Math.max(m, s.length), 0);
      const x = allocArray(dtype, B * Tb * 2);
      const target = new Matrix(B, 1, allocArray(dtype, B));
      seqs.forEach((s, b) => {
        x.set(s.x, b * Tb * 2);
        target.data[b] = s.target;
      });
      const lengths = Int32Array.from(seqs, (s) => s.length);
      return { x: tensor3(B, Tb, 2, x), target, ...(lengths.some((l) => l !== Tb) ? { lengths } : {}) };
    },
  };
}

/** Drawn sequences as Sequences, and their targets (one each). */
function stacked(drawn: readonly Drawn[]): { seqs: Sequences; targets: Targets } {
  const lengths = Int32Array.from(drawn, (d) => d.length);
  const offsets = new Int32Array(drawn.length + 1);
  drawn.forEach((d, i) => {
    offsets[i + 1] = (offsets[i] as number) + d.length;
  });
  const data = new Float64Array((offsets[drawn.length] as number) * 2);
  for (const [i, d] of drawn.entries()) data.set(d.x, (offsets[i] as number) * 2);
  return {
    seqs: { N: drawn.length, D: 2, lengths, offsets, data },
    targets: { perStep: false, O: 1, data: Float64Array.from(drawn, (d) => d.target), rank: 1 },
  };
}
