/**
 * Samples: the sequences a model trains on, gathered into batches on demand. A batch is x — dense
 * (B, T, D), or token ids (B, T) for symbols and characters, whose one-hot rows are never built — plus
 * targets in the model's output layout (rows (b, t) for many-to-many, b otherwise), and each
 * sequence's length when they differ (the rest of T is padding, see @unrolled/rnn-core's lengths).
 */

import type { WindowSet } from "@unrolled/datasets";
import { allocArray, type DType, Matrix, tensor3 } from "@unrolled/linalg";
import type { ModelInput, Target } from "@unrolled/rnn-core";

export interface Batch {
  readonly x: ModelInput;
  readonly target: Target;
  /** Each sequence's length, when the batch's sequences differ in length; else absent (all T). */
  readonly lengths?: Int32Array;
}

export interface Samples {
  /** Number of sequences. */
  readonly count: number;
  /** T (the longest sequence), D, O. */
  readonly seqLen: number;
  readonly inputSize: number;
  readonly outputSize: number;
  /** "values" (regression: Matrix targets), "classes" (class indices) or "labels" (0/1 Matrix targets). */
  readonly targetKind: "values" | "classes" | "labels";
  /** Target steps per sequence: T (many-to-many) or 1 (many-to-one). */
  readonly steps: number;
  /** Sequence i's length, when lengths differ (batches are then bucketed by length); null: all seqLen. */
  readonly lengths: Int32Array | null;
  /**
   * A generator's endless stream (the adding problem): epoch e trains on sequences e·count … (e+1)·count − 1,
   * each made from its index, so no sequence is seen twice; `count` is the sequences per epoch.
   */
  readonly endless?: boolean;
  /** The sequences `indices`, as a batch in the given dtype. */
  batch(indices: ArrayLike<number>, dtype: DType): Batch;
}

/** Regression windows (already scaled). */
export function windowSamples(w: WindowSet): Samples {
  const [N, T, D] = [w.count, w.seqLen, w.features];
  const [, S, O] = w.y.dims;
  return {
    count: N,
    seqLen: T,
    inputSize: D,
    outputSize: O,
    targetKind: "values",
    steps: S,
    lengths: null,
    batch(indices, dtype) {
      const B = indices.length;
      const x = allocArray(dtype, B * T * D);
      const y = allocArray(dtype, B * S * O);
      for (let b = 0; b < B; b++) {
        const i = indices[b] as number;
        x.set(w.window(i), b * T * D);
        y.set(w.y.data.subarray(i * S * O, (i + 1) * S * O), b * S * O);
      }
      return { x: tensor3(B, T, D, x), target: new Matrix(B * S, O, y) };
    },
  };
}

/**
 * Symbol sequences: `symbols` and `targets` hold `count` sequences of `seqLen` ids each (row-major),
 * inputs token ids over `V` symbols, a class target at every step (many-to-many) or the last.
 */
export function symbolSamples(
  symbols: Int32Array,
  targets: Int32Array,
  seqLen: number,
  V: number,
  C: number,
  manyToMany = true,
): Samples {
  const count = symbols.length / seqLen;
  const steps = manyToMany ? seqLen : 1;
  return {
    count,
    seqLen,
    inputSize: V,
    outputSize: C,
    targetKind: "classes",
    steps,
    lengths: null,
    batch(indices) {
      const B = indices.length;
      const ids = new Int32Array(B * seqLen);
      const y = new Int32Array(B * steps);
      for (let b = 0; b < B; b++) {
        const i = indices[b] as number;
        ids.set(symbols.subarray(i * seqLen, (i + 1) * seqLen), b * seqLen);
        for (let s = 0; s < steps; s++)
          y[b * steps + s] = targets[i * seqLen + (manyToMany ? s : seqLen - 1)] as number;
      }
      return { x: { ids, dims: [B, seqLen] }, target: y };
    },
  };
}

/**
 * A character stream cut into consecutive chunks: sequence k reads ids[start + k·L … start + (k+1)·L)
 * and predicts the next character at every step. Chunks never read past `end`.
 */
export function textSamples(ids: Int32Array, start: number, end: number, seqLen: number, V: number): Samples {
  const count = Math.max(0, Math.floor((end - start - 1) / seqLen));
  return {
    count,
    seqLen,
    inputSize: V,
    outputSize: V,
    targetKind: "classes",
    steps: seqLen,
    lengths: null,
    batch(indices) {
      const B = indices.length;
      const x = new Int32Array(B * seqLen);
      const y = new Int32Array(B * seqLen);
      for (let b = 0; b < B; b++) {
        const from = start + (indices[b] as number) * seqLen;
        x.set(ids.subarray(from, from + seqLen), b * seqLen);
        y.set(ids.subarray(from + 1, from + seqLen + 1), b * seqLen);
      }
      return { x: { ids: x, dims: [B, seqLen] }, target: y };
    },
  };
}

/** Indices 0 … n−1. */
export const range = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
