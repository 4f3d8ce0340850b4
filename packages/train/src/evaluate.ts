/**
 * Evaluating a model on a split: the loss it trains on, and metrics in the data's own units.
 *   regression      the prediction at the last step of every window, un-scaled: mse, rmse, mae
 *   classification  cross-entropy (nats) and accuracy over every target step
 *   text            the same, streaming: `lanes` contiguous streams through the split, the hidden state
 *                   carried from chunk to chunk, so every character is predicted from all before it
 */
import { inverseValue } from "@unrolled/datasets";
import { allocArray, DataError, type FloatArray, Matrix, rowLogSumExp, type Tensor3 } from "@unrolled/linalg";
import {
  applyActivationInto,
  lossAndGradient,
  type ModelParams,
  maskPadding,
  modelForward,
  workspaceElements,
} from "@unrolled/rnn-core";
import { classMetrics, regressionMetrics } from "./metrics.js";
import { type Batch, range, type Samples } from "./samples.js";
import type { Metrics, SplitName, Task, TextStream } from "./task.js";

export interface SplitEvaluation {
  /** Mean training loss on the split (scaled units for regression). */
  readonly loss: number;
  readonly metrics: Metrics;
  /** Regression: last-step predictions and actual values in data units (for plots). */
  readonly predictions?: { readonly pred: Float64Array; readonly actual: Float64Array };
}

export interface EvaluateOptions {
  /** Sequences per forward pass (default: up to 256, fewer when long sequences would need over EVAL_BYTES). */
  readonly batchSize?: number;
  /** Evaluate at most this many sequences (spread evenly), to keep per-epoch train metrics cheap. */
  readonly maxSamples?: number;
}

export function samplesOf(task: Task, split: SplitName): Samples | null {
  return split === "train" ? task.train : split === "valid" ? task.valid : task.test;
}

/** Loss and metrics of `p` on one split of `task`. */
export function evaluateSplit(
  p: ModelParams,
  task: Task,
  split: SplitName,
  opts: EvaluateOptions = {},
): SplitEvaluation {
  const stream = split === "train" ? undefined : task.streams?.[split];
  if (stream) return evaluateStream(p, stream);
  const s = samplesOf(task, split);
  if (!s || s.count === 0) throw new DataError(`evaluateSplit: the task has no ${split} samples`);
  const bs = opts.batchSize ?? evalBatchSize(p, s.seqLen);
  const n = opts.maxSamples && opts.maxSamples < s.count ? opts.maxSamples : s.count; // spread evenly when fewer
  const picks = n < s.count ? Int32Array.from({ length: n }, (_, i) => Math.floor((i * s.count) / n)) : range(s.count);
  const tally =
    s.targetKind === "values"
      ? valuesTally(p, task)
      : s.targetKind === "labels"
        ? labelsTally()
        : classesTally(task.kind === "text");
  let lossSum = 0;
  for (let b0 = 0; b0 < picks.length; b0 += bs) {
    const idx = picks.subarray(b0, Math.min(picks.length, b0 + bs));
    const batch = s.batch(idx, p.dtype);
    const { y } = modelForward(p, batch.x, batch.lengths ? { lengths: batch.lengths } : {});
    const dims = batch.x.dims.slice(0, 2) as [number, number]; // (B, T) of this batch: T is its longest sequence
    const spec = maskPadding(p.config, task.loss, dims, batch.lengths);
    lossSum += lossAndGradient(p.config, y, batch.target, spec).loss * idx.length;
    tally.add(batch, y, y.rows / dims[0]);
  }
  return { loss: lossSum / picks.length, ...tally.result() };
}

/** The memory one evaluation batch's buffers may take. */
export const EVAL_BYTES = 128 * 2 ** 20;

/** Up to 256 sequences of T steps, as many as fit EVAL_BYTES of buffers (at least 1). */
export function evalBatchSize(p: ModelParams, T: number): number {
  const bytes = p.dtype === "float32" ? 4 : 8;
  let B = 256;
  while (B > 1 && workspaceElements(p.config, B, T) * bytes > EVAL_BYTES) B = Math.floor(B / 2);
  return B;
}

/** Metrics summed batch by batch. */
interface Tally {
  add(batch: Batch, y: Matrix<FloatArray>, S: number): void;
  result(): Omit<SplitEvaluation, "loss">;
}

/** Regression: the prediction at each sequence's last step, in the data's units. */
function valuesTally(p: ModelParams, task: Task): Tally {
  const pred: number[] = [];
  const actual: number[] = [];
  const scale = task.targetScale;
  return {
    add(batch, y, S) {
      const O = y.cols;
      const out = applyActivationInto(
        p.config.head.activation,
        new Matrix(y.rows, O, allocArray(p.dtype, y.data.length)),
        y,
      );
      const t = batch.target as Matrix<FloatArray>;
      for (let b = 0; b < y.rows / S; b++) {
        const row = b * S + (S === 1 ? 0 : (batch.lengths?.[b] ?? S) - 1); // the last step of each window
        for (let o = 0; o < O; o++) {
          const un = (z: number) => (scale ? inverseValue(scale, o, z) : z);
          pred.push(un(out.data[row * O + o] as number));
          actual.push(un(t.data[row * O + o] as number));
        }
      }
    },
    result() {
      const [p64, a64] = [Float64Array.from(pred), Float64Array.from(actual)];
      return { metrics: regressionMetrics(p64, a64), predictions: { pred: p64, actual: a64 } };
    },
  };
}

/** Classification and text: cross-entropy and accuracy over every real target step. */
function classesTally(text: boolean): Tally {
  let [nll, correct, count] = [0, 0, 0];
  return {
    add(batch, y, S) {
      const [O, t] = [y.cols, batch.target as Int32Array];
      for (let r = 0; r < y.rows; r++) {
        if (S > 1 && batch.lengths && r % S >= (batch.lengths[Math.floor(r / S)] as number)) continue; // padding
        nll += rowLogSumExp(y.data, r * O, O) - (y.data[r * O + (t[r] as number)] as number);
        if (argmaxRow(y.data, r * O, O) === t[r]) correct++;
        count++;
      }
    },
    result: () => ({ metrics: classMetrics(nll, correct, count, text) }),
  };
}

/** Labels (multilabel): per real step, the binary cross-entropy summed over the labels; labels right at ½. */
function labelsTally(): Tally {
  let [nll, right, rows, labels] = [0, 0, 0, 0];
  return {
    add(batch, y, S) {
      const [O, t] = [y.cols, (batch.target as Matrix<FloatArray>).data];
      for (let r = 0; r < y.rows; r++) {
        if (S > 1 && batch.lengths && r % S >= (batch.lengths[Math.floor(r / S)] as number)) continue; // padding
        for (let o = 0; o < O; o++) {
          const [x, v] = [y.data[r * O + o] as number, t[r * O + o] as number];
          nll += Math.max(x, 0) - x * v + Math.log1p(Math.exp(-Math.abs(x))); // −[v log σ(x) + (1 − v) log(1 − σ(x))]
          if ((x > 0 ? 1 : 0) === v) right++;
        }
        rows++;
        labels += O;
      }
    },
    result: () => ({ metrics: { loss: nll / rows, accuracy: right / labels } }),
  };
}

function argmaxRow(d: FloatArray, r: number, C: number): number {
  let best = 0;
  for (let c = 1; c < C; c++) if ((d[r + c] as number) > (d[r + best] as number)) best = c;
  return best;
}

/** The stream positions (input index) that `lanes` contiguous streams cover: [lane][0 … len). */
export function streamLanes(s: TextStream, lanes = 16): { lanes: number; len: number } {
  const n = s.end - s.start - 1; // predictions available: positions start … end−2
  const k = Math.max(1, Math.min(lanes, Math.floor(n / 64)));
  return { lanes: k, len: Math.floor(n / k) };
}

/**
 * Streaming evaluation of a character stream; every character predicted from all before it in its
 * lane: the state (h, and an LSTM's c) is carried from chunk to chunk.
 */
export function evaluateStream(p: ModelParams, s: TextStream, chunk = 256): SplitEvaluation {
  const V = p.config.head.outputSize;
  const { lanes, len } = streamLanes(s);
  let state: { h0?: Tensor3<FloatArray>; c0?: Tensor3<FloatArray> } = {};
  let nll = 0;
  let correct = 0;
  for (let t0 = 0; t0 < len; t0 += chunk) {
    const T = Math.min(chunk, len - t0);
    const ids = new Int32Array(lanes * T);
    const target = new Int32Array(lanes * T);
    for (let b = 0; b < lanes; b++) {
      const from = s.start + b * len + t0;
      ids.set(s.ids.subarray(from, from + T), b * T);
      target.set(s.ids.subarray(from + 1, from + T + 1), b * T);
    }
    const { y, hN, cN } = modelForward(p, { ids, dims: [lanes, T] }, state);
    state = cN ? { h0: hN, c0: cN } : { h0: hN };
    for (let r = 0; r < y.rows; r++) {
      nll += rowLogSumExp(y.data, r * V, V) - (y.data[r * V + (target[r] as number)] as number);
      if (argmaxRow(y.data, r * V, V) === target[r]) correct++;
    }
  }
  const count = lanes * len;
  return { loss: nll / count, metrics: classMetrics(nll, correct, count, true) };
}

/** The (input, target) pairs a streaming evaluation covers, for baselines on exactly the same characters. */
export function streamPairs(s: TextStream): { pairs: Int32Array; previous: Int32Array } {
  const { lanes, len } = streamLanes(s);
  const pairs = new Int32Array(2 * lanes * len);
  const previous = new Int32Array(lanes * len);
  let i = 0;
  for (let b = 0; b < lanes; b++) {
    for (let t = 0; t < len; t++) {
      const at = s.start + b * len + t;
      pairs[2 * i] = s.ids[at] as number;
      pairs[2 * i + 1] = s.ids[at + 1] as number;
      previous[i] = s.ids[at] as number; // repeat the current character
      i++;
    }
  }
  return { pairs, previous };
}
