/**
 * Sequences from plain arrays as a task: scaled with statistics of the training part only (stored in
 * the model, so new data is scaled the same way), batched with each batch padded to its own longest
 * sequence, and judged against the baselines these tasks have:
 *   regression      mean: the training targets' mean; linear: least squares on each sequence's last
 *                   step; persistence: the last step's inputs, when the inputs are the targets (D = O)
 *   classification  mean: the majority class (unigram cross-entropy); persistence: the previous step's
 *                   class (per-step targets)
 *   multilabel      mean: each label's training frequency; persistence: the previous step's labels,
 *                   each label's switch rate fitted on training (per-step targets)
 * Metrics are taken where evaluate.ts takes them: at each sequence's last step (regression), at every
 * real step (classification, multilabel).
 */
import { fitScaler, inverseValue, type Scaler, type ScalerKind } from "@unrolled/datasets";
import {
  allocArray,
  type DType,
  type FloatArray,
  fromArray,
  leastSquares,
  Matrix,
  predictLinear,
  type Tensor3,
  tensor3,
} from "@unrolled/linalg";
import type { LossKind } from "@unrolled/rnn-core";
import { classMetrics, regressionMetrics } from "../metrics.js";
import type { Batch, Samples } from "../samples.js";
import type { ArrayPreprocessing, Baselines, Metrics, Task } from "../task.js";
import type { ModelTaskKind, Sequences, Targets } from "./arrays.js";

export const LOSS_OF: Readonly<Record<ModelTaskKind, LossKind>> = {
  regression: "mse",
  classification: "ce",
  multilabel: "bce",
};

/** The scalers, fitted on the sequences `train` (and, for regression, their targets). */
export function fitArrayPreprocessing(
  task: ModelTaskKind,
  seqs: Sequences,
  targets: Targets,
  train: Int32Array,
  scale: ScalerKind,
): ArrayPreprocessing {
  const featureRows = Array.from(train, (i) => rowsOf(seqs, i)).flat();
  const featureScaler = fitScaler(scale, columns(seqs.data, seqs.D, featureRows), featureRows.length);
  let targetScaler: Scaler | null = null;
  if (task === "regression") {
    const rows = Array.from(train, (i) => (targets.perStep ? rowsOf(seqs, i) : [i])).flat();
    targetScaler = fitScaler(scale, columns(targets.data as Float64Array, targets.O, rows), rows.length);
  }
  const { perStep, O, rank } = targets;
  return {
    kind: "arrays",
    task,
    inputSize: seqs.D,
    outputSize: O,
    perStep,
    targetRank: rank,
    featureScaler,
    targetScaler,
  };
}

const rowsOf = (seqs: Sequences, i: number): number[] =>
  Array.from({ length: seqs.lengths[i] as number }, (_, t) => (seqs.offsets[i] as number) + t);

/** The listed rows of a row-major (·, C) array as C columns (what fitScaler reads). */
function columns(data: Float64Array, C: number, rows: readonly number[]): Float64Array[] {
  return Array.from({ length: C }, (_, k) => Float64Array.from(rows, (r) => data[r * C + k] as number));
}

/** A scaled copy of row-major (·, C) data: z = (x − shift) / scale per column. */
export function scaleRows(s: Scaler, data: Float64Array, C: number): Float64Array {
  return data.map((x, i) => (x - (s.shift[i % C] as number)) / (s.scale[i % C] as number));
}

/** The sequences `pick` of (already scaled) arrays, as samples batched with padding to each batch's longest. */
export function arraySamples(seqs: Sequences, targets: Targets, pick: Int32Array, kind: ModelTaskKind): Samples {
  const { D } = seqs;
  const { O, perStep } = targets;
  const lengths = Int32Array.from(pick, (i) => seqs.lengths[i] as number);
  const T = lengths.reduce((m, l) => Math.max(m, l), 0);
  const classes = kind === "classification";
  return {
    count: pick.length,
    seqLen: T,
    inputSize: D,
    outputSize: O,
    targetKind: kind === "regression" ? "values" : classes ? "classes" : "labels",
    steps: perStep ? T : 1,
    lengths: lengths.every((l) => l === T) ? null : lengths,
    batch(indices, dtype): Batch {
      const B = indices.length;
      const seq = Array.from({ length: B }, (_, b) => pick[indices[b] as number] as number);
      const Tb = seq.reduce((m, i) => Math.max(m, seqs.lengths[i] as number), 0);
      const x = allocArray(dtype, B * Tb * D);
      const rows = perStep ? B * Tb : B;
      const y = classes ? new Int32Array(rows) : allocArray(dtype, rows * O);
      seq.forEach((i, b) => {
        const [at, L] = [seqs.offsets[i] as number, seqs.lengths[i] as number];
        x.set(seqs.data.subarray(at * D, (at + L) * D), b * Tb * D);
        const [from, n, to] = perStep ? [at, L, b * Tb] : [i, 1, b];
        y.set(targets.data.subarray(from * (classes ? 1 : O), (from + n) * (classes ? 1 : O)), to * (classes ? 1 : O));
      });
      const lens = seq.some((i) => seqs.lengths[i] !== Tb)
        ? Int32Array.from(seq, (i) => seqs.lengths[i] as number)
        : undefined;
      const target = classes ? (y as Int32Array) : new Matrix(rows, O, y as Float64Array);
      return { x: tensor3(B, Tb, D, x), target, ...(lens ? { lengths: lens } : {}) };
    },
  };
}

/**
 * The sequences `seq` (indices into seqs) as one batch x (B, T, D), padded with zeros to the longest of
 * them, and their lengths when they differ.
 */
export function inputBatch(
  seqs: Sequences,
  seq: readonly number[],
  dtype: DType,
): { x: Tensor3<FloatArray>; lengths: Int32Array | null } {
  const { D } = seqs;
  const T = seq.reduce((m, i) => Math.max(m, seqs.lengths[i] as number), 0);
  const x = allocArray(dtype, seq.length * T * D);
  seq.forEach((i, b) => {
    const at = seqs.offsets[i] as number;
    x.set(seqs.data.subarray(at * D, (at + (seqs.lengths[i] as number)) * D), b * T * D);
  });
  const ragged = seq.some((i) => seqs.lengths[i] !== T);
  return {
    x: tensor3(seq.length, T, D, x),
    lengths: ragged ? Int32Array.from(seq, (i) => seqs.lengths[i] as number) : null,
  };
}

/** Where each sequence's metrics are read: its target rows (every step, or its last step / its one target). */
function metricRows(seqs: Sequences, targets: Targets, i: number, lastOnly: boolean): number[] {
  if (!targets.perStep) return [i];
  const rows = rowsOf(seqs, i);
  return lastOnly ? rows.slice(-1) : rows;
}

/** The baselines of the sequences `split`, fitted on `train`, in the raw data's units. */
export function arrayBaselines(
  kind: ModelTaskKind,
  seqs: Sequences,
  targets: Targets,
  train: Int32Array,
  split: Int32Array,
): Baselines {
  if (kind === "regression") return regressionArrayBaselines(seqs, targets, train, split);
  if (kind === "classification") return classArrayBaselines(seqs, targets, train, split);
  return labelArrayBaselines(seqs, targets, train, split);
}

function regressionArrayBaselines(seqs: Sequences, targets: Targets, train: Int32Array, split: Int32Array): Baselines {
  const { D } = seqs;
  const O = targets.O;
  const y = targets.data as Float64Array;
  const lastStep = (i: number) => ((seqs.offsets[i + 1] as number) - 1) * D;
  const rowsOfSplit = (idx: Int32Array) => Array.from(idx, (i) => metricRows(seqs, targets, i, true)[0] as number);
  const [trainRows, splitRows] = [rowsOfSplit(train), rowsOfSplit(split)];
  const actual = splitRows.flatMap((r) => Array.from(y.subarray(r * O, (r + 1) * O)));
  const mean = Array.from(
    { length: O },
    (_, o) => trainRows.reduce((s, r) => s + (y[r * O + o] as number), 0) / trainRows.length,
  );
  const X = (idx: Int32Array) =>
    fromArray(
      Float64Array.from(Array.from(idx).flatMap((i) => Array.from(seqs.data.subarray(lastStep(i), lastStep(i) + D)))),
      idx.length,
      D,
    );
  const Y = fromArray(
    Float64Array.from(trainRows.flatMap((r) => Array.from(y.subarray(r * O, (r + 1) * O)))),
    trainRows.length,
    O,
  );
  const linear = predictLinear(X(split), leastSquares(X(train), Y, 1e-8 * train.length)).data;
  const persistence = D === O ? regressionMetrics(X(split).data, actual) : null;
  return {
    persistence,
    mean: regressionMetrics(
      splitRows.flatMap(() => mean),
      actual,
    ),
    linear: regressionMetrics(linear, actual),
  };
}

function classArrayBaselines(seqs: Sequences, targets: Targets, train: Int32Array, split: Int32Array): Baselines {
  const [C, y] = [targets.O, targets.data as Int32Array];
  const counts = new Float64Array(C).fill(1); // add-one smoothing
  for (const i of train)
    for (const r of metricRows(seqs, targets, i, false))
      counts[y[r] as number] = (counts[y[r] as number] as number) + 1;
  const total = counts.reduce((a, b) => a + b, 0);
  const majority = counts.indexOf(Math.max(...counts));
  let [nll, okMean, okRepeat, n] = [0, 0, 0, 0];
  for (const i of split) {
    const rows = metricRows(seqs, targets, i, false);
    rows.forEach((r, t) => {
      nll -= Math.log((counts[y[r] as number] as number) / total);
      if (y[r] === majority) okMean++;
      if (t > 0 && y[r] === y[r - 1]) okRepeat++;
      n++;
    });
  }
  return {
    persistence: targets.perStep ? classMetrics(null, okRepeat, n) : null,
    mean: classMetrics(nll, okMean, n),
    linear: null,
  };
}

function labelArrayBaselines(seqs: Sequences, targets: Targets, train: Int32Array, split: Int32Array): Baselines {
  const [O, y] = [targets.O, targets.data as Float64Array];
  // per label: how often it is on, and how often it stays on / comes on from one step to the next
  const on = new Float64Array(O).fill(1);
  const [stay, stayN, come, comeN] = [
    new Float64Array(O).fill(1),
    new Float64Array(O).fill(2),
    new Float64Array(O).fill(1),
    new Float64Array(O).fill(2),
  ];
  let rows = 2;
  for (const i of train) {
    metricRows(seqs, targets, i, false).forEach((r, t) => {
      rows++;
      for (let o = 0; o < O; o++) {
        const v = y[r * O + o] as number;
        on[o] = (on[o] as number) + v;
        if (t === 0) continue;
        const prev = y[(r - 1) * O + o] as number;
        if (prev === 1) [stay[o], stayN[o]] = [(stay[o] as number) + v, (stayN[o] as number) + 1];
        else [come[o], comeN[o]] = [(come[o] as number) + v, (comeN[o] as number) + 1];
      }
    });
  }
  const freq = Float64Array.from(on, (c) => c / rows);
  const mean = labelTally(O);
  const repeat = labelTally(O);
  for (const i of split) {
    metricRows(seqs, targets, i, false).forEach((r, t) => {
      mean.add(y, r, (o) => freq[o] as number);
      const p = (o: number) =>
        t === 0
          ? (freq[o] as number)
          : y[(r - 1) * O + o] === 1
            ? (stay[o] as number) / (stayN[o] as number)
            : (come[o] as number) / (comeN[o] as number);
      repeat.add(y, r, p);
    });
  }
  return { persistence: targets.perStep ? repeat.metrics() : null, mean: mean.metrics(), linear: null };
}

/** Σ over rows of Σ_o binary cross-entropy, and the labels right, for probabilities p(o). */
function labelTally(O: number) {
  let [nll, right, rows] = [0, 0, 0];
  return {
    add(y: Float64Array, r: number, p: (o: number) => number) {
      for (let o = 0; o < O; o++) {
        const [v, q] = [y[r * O + o] as number, p(o)];
        nll -= v === 1 ? Math.log(q) : Math.log(1 - q);
        if ((q > 0.5 ? 1 : 0) === v) right++;
      }
      rows++;
    },
    metrics: (): Metrics => ({ loss: nll / rows, accuracy: right / (rows * O) }),
  };
}

/** The task: train and valid samples (scaled), the loss of the task kind, the baselines on valid. */
export function arrayTask(
  prep: ArrayPreprocessing,
  raw: { seqs: Sequences; targets: Targets },
  split: { train: Int32Array; valid: Int32Array },
): Task {
  const { seqs, targets } = raw;
  const scaledSeqs = { ...seqs, data: scaleRows(prep.featureScaler, seqs.data, seqs.D) };
  const scaledTargets = prep.targetScaler
    ? { ...targets, data: scaleRows(prep.targetScaler, targets.data as Float64Array, targets.O) }
    : targets;
  const samples = (pick: Int32Array) => arraySamples(scaledSeqs, scaledTargets, pick, prep.task);
  return {
    kind: prep.task,
    name: "arrays",
    units: prep.task === "regression" ? "" : prep.task === "classification" ? "accuracy" : "nats per step",
    train: samples(split.train),
    valid: samples(split.valid),
    test: null,
    loss: { kind: LOSS_OF[prep.task] },
    targetScale: prep.targetScaler,
    baselines: { valid: arrayBaselines(prep.task, seqs, targets, split.train, split.valid), test: null },
    notes: [
      `${seqs.N} sequences of ${seqs.D} features: ${split.train.length} to train, ${split.valid.length} to validate`,
    ],
  };
}

/** A value in the data's units from a scaled model output (regression), for column k. */
export const unscale = (prep: ArrayPreprocessing, k: number, z: number): number =>
  prep.targetScaler ? inverseValue(prep.targetScaler, k, z) : z;
