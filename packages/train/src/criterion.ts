/**
 * A task solved on the training stream, as Hochreiter & Schmidhuber judge the adding problem (1997,
 * Experiment 4): training stops once each of the last `window` training sequences was predicted within
 * `maxError` of its target and their mean squared error is below `maxMse`. A sequence is judged by the
 * prediction it got in the forward pass of its own training step, before the update it caused — what
 * an online learner would be scored on. Test sequences are then judged by the same `maxError`.
 */
import type { FloatArray, Matrix } from "@unrolled/linalg";

export interface SolvedCriterion {
  readonly window: number;
  readonly maxError: number;
  readonly maxMse: number;
}

/** What a run with a criterion reports: whether it was met, after how many sequences, and the test score. */
export interface CriterionResult {
  readonly solved: boolean;
  readonly sequencesSeen: number;
  /** Test sequences off by at least maxError. */
  readonly testWrong: number;
  readonly testTotal: number;
}

/** |prediction − target| of each sequence of a many-to-one batch: y and target (B, 1). */
export function absoluteErrors(y: Matrix<FloatArray>, target: Matrix<FloatArray>): number[] {
  return Array.from(y.data, (v, b) => Math.abs(v - (target.data[b] as number)));
}

/** The last `window` errors after appending `errors` (oldest first). */
export function recentErrors(recent: readonly number[], errors: readonly number[], window: number): number[] {
  const all = [...recent, ...errors];
  return all.slice(Math.max(0, all.length - window));
}

/** Whether the errors of the last `window` sequences meet the criterion. */
export function isSolved(recent: readonly number[], c: SolvedCriterion): boolean {
  if (recent.length < c.window) return false;
  let squares = 0;
  for (const e of recent) {
    if (!(e < c.maxError)) return false;
    squares += e * e;
  }
  return squares / recent.length < c.maxMse;
}

/** How many of the errors are at least maxError (or not a number). */
export const wrongCount = (errors: ArrayLike<number>, c: SolvedCriterion): number =>
  Array.from(errors).filter((e) => !(e < c.maxError)).length;
