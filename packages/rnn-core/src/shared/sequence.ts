/** Bookkeeping every BPTT loop shares: how many steps a time-major input holds, and truncation. */
import { ConfigError, type FloatArray, type Matrix, rowsView } from "@unrolled/linalg";
import type { BackwardOptions } from "../rnn/rnn-sequence.js";

/** T for time-major xs (T·B, D); a ConfigError when the rows are not a multiple of B. */
export function timeSteps(fn: string, xs: Matrix<FloatArray>, B: number): number {
  const T = B === 0 ? 0 : xs.rows / B;
  if (!Number.isInteger(T)) throw new ConfigError(`${fn}: xs has ${xs.rows} rows, not a multiple of B = ${B}`);
  return T;
}

/** Step t's (B, ·) rows of a time-major matrix: a view, no copy. */
export function stepRows(m: Matrix<FloatArray>, t: number, B: number): Matrix<FloatArray> {
  return rowsView(m, t * B, (t + 1) * B);
}

/** The truncation length k (0 = full BPTT), validated. */
export function truncation(fn: string, opts: BackwardOptions): number {
  const k = opts.truncate ?? 0;
  if (!Number.isInteger(k) || k < 0) throw new ConfigError(`${fn}: truncate must be an integer ≥ 0, got ${k}`);
  return k;
}
