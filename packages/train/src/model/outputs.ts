/**
 * What the Model returns: outputs in the data's units (regression, un-scaled with the stored scaler)
 * or as probabilities (softmax over classes, a sigmoid per label), for every sequence in the caller's
 * order, at its last step or at each of its steps; and one step at a time for a stream.
 */
import { allocArray, fromArray, Matrix } from "@unrolled/linalg";
import { applyActivationInto, type ModelParams, modelForward, modelStep, type StepState } from "@unrolled/rnn-core";
import type { TrainedModel } from "../model-sections.js";
import type { ArrayPreprocessing } from "../task.js";
import { inputBatch, scaleRows, unscale } from "./array-task.js";
import { readStep, type Sequences } from "./arrays.js";
import type { ModelOptions } from "./options.js";

const BATCH = 256;

/** One output vector per sequence ("last": its last step) or per step ("steps"). */
export function arrayOutputs(p: ModelParams, prep: ArrayPreprocessing, raw: Sequences, at: "last"): number[][];
export function arrayOutputs(p: ModelParams, prep: ArrayPreprocessing, raw: Sequences, at: "steps"): number[][][];
export function arrayOutputs(
  p: ModelParams,
  prep: ArrayPreprocessing,
  raw: Sequences,
  at: "last" | "steps",
): number[][] | number[][][] {
  const seqs = { ...raw, data: scaleRows(prep.featureScaler, raw.data, raw.D) };
  const out: (number[] | number[][])[] = [];
  for (let b0 = 0; b0 < seqs.N; b0 += BATCH) {
    const seq = Array.from({ length: Math.min(BATCH, seqs.N - b0) }, (_, k) => b0 + k);
    const { x, lengths } = inputBatch(seqs, seq, p.dtype);
    const { y } = modelForward(p, x, lengths ? { lengths } : {});
    const rows = outputRows(p, prep, y);
    const S = y.rows / seq.length; // T for a per-step model, 1 otherwise
    seq.forEach((i, b) => {
      const L = seqs.lengths[i] as number;
      if (at === "last") out.push(rows[b * S + (S === 1 ? 0 : L - 1)] as number[] as never);
      else out.push(rows.slice(b * S, b * S + L) as never);
    });
  }
  return out as number[][] | number[][][];
}

/** The head's logits (N, O) as rows of outputs: un-scaled values, or probabilities. */
function outputRows(p: ModelParams, prep: ArrayPreprocessing, y: Matrix<Float32Array | Float64Array>): number[][] {
  const out = applyActivationInto(
    p.config.head.activation,
    new Matrix(y.rows, y.cols, allocArray(p.dtype, y.data.length)),
    y,
  );
  return Array.from({ length: y.rows }, (_, r) =>
    Array.from(out.data.subarray(r * y.cols, (r + 1) * y.cols), (z, k) =>
      prep.task === "regression" ? unscale(prep, k, z) : z,
    ),
  );
}

/** One step of features (D numbers, raw) through the model from `state`; the output and the next state. */
export function stepOutput(
  p: ModelParams,
  prep: ArrayPreprocessing,
  x: unknown,
  state: StepState,
): { output: number[]; state: StepState } {
  const D = prep.inputSize;
  const row = readStep(x, D);
  const z = fromArray(scaleRows(prep.featureScaler, row, D), 1, D, p.dtype);
  const r = modelStep(p, z, state);
  return { output: outputRows(p, prep, r.y)[0] as number[], state: r.state };
}

/** The options a saved model was built with (what Model.fromJSON rebuilds). */
export function optionsFromFile(file: TrainedModel): ModelOptions {
  const [c, t] = [file.params.config, file.training];
  const task = file.preprocessing.kind === "arrays" ? file.preprocessing.task : "text";
  return {
    task,
    cell: c.cell,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    bidirectional: c.bidirectional,
    ...(t.dropout !== undefined ? { dropout: t.dropout } : {}),
    optimizer: t.optimizer,
    lr: t.lr,
    batchSize: t.batchSize,
    scale: t.scale,
    earlyStopping: t.patience > 0 ? { patience: t.patience, minDelta: t.minDelta } : false,
    ...(t.clipNorm !== undefined ? { clipNorm: t.clipNorm } : {}),
    ...(file.preprocessing.kind === "text" ? { seqLen: file.preprocessing.seqLen } : {}),
  };
}
