/**
 * Sliding windows over a multivariate series, the samples an RNN trains on.
 *
 * Row t of the data has features x_t (D columns) and a target y_t (O columns). With `horizon` h the
 * target of row t is y_{t+h}: h = 0 when the target column already looks ahead (the weather data's
 * tmax_tomorrow), h = 1 to predict a series' own next value. A window of L rows starting at i has
 * inputs x_i … x_{i+L−1} and targets
 *   many-to-one:  y_{i+L−1+h}                   (one per window)
 *   many-to-many: y_{i+h} … y_{i+L−1+h}          (one per step)
 * Windows start every `stride` rows and never read outside [range.start, range.end), so no window
 * crosses a split boundary.
 */
import { ConfigError, DataError, type Tensor3, tensor3 } from "@unrolled/linalg";
import type { Range } from "./split.js";

export type WindowMode = "many-to-one" | "many-to-many";

export interface WindowOptions {
  readonly seqLen: number;
  readonly mode: WindowMode;
  readonly stride?: number;
  readonly horizon?: number;
}

export interface WindowSet {
  /** Windows N, steps per window L, features D. */
  readonly count: number;
  readonly seqLen: number;
  readonly features: number;
  /**
   * Window n's inputs (L, D), row-major: a view into the split's rows, never a copy (overlapping
   * windows share them, so a long series costs its rows once, not L times).
   */
  window(n: number): Float64Array;
  /** Inputs (N, L, D), all windows copied out: made on first read (prefer `window`). */
  readonly x: Tensor3<Float64Array>;
  /** Targets (N, L, O) for many-to-many, (N, 1, O) for many-to-one. */
  readonly y: Tensor3<Float64Array>;
  /** For each window, the row whose target its last step predicts (for baselines and plots). */
  readonly lastRow: Int32Array;
}

export function makeWindows(
  features: readonly Float64Array[],
  targets: readonly Float64Array[],
  range: Range,
  opts: WindowOptions,
): WindowSet {
  const L = opts.seqLen;
  const stride = opts.stride ?? 1;
  const h = opts.horizon ?? 0;
  if (!Number.isInteger(L) || L < 1) throw new ConfigError(`windows: seq-len must be an integer ≥ 1, got ${L}`);
  if (!Number.isInteger(stride) || stride < 1)
    throw new ConfigError(`windows: stride must be an integer ≥ 1, got ${stride}`);
  if (!Number.isInteger(h) || h < 0) throw new ConfigError(`windows: horizon must be an integer ≥ 0, got ${h}`);
  const D = features.length;
  const O = targets.length;
  const steps = opts.mode === "many-to-many" ? L : 1;
  const starts: number[] = [];
  for (let i = range.start; i + L - 1 + h < range.end; i += stride) starts.push(i);
  const N = starts.length;
  // the split's rows, row-major (R, D): window n is rows starts[n] … starts[n] + L − 1 of it
  const R = Math.max(0, range.end - range.start);
  const rows = new Float64Array(R * D);
  for (let d = 0; d < D; d++) {
    const f = features[d] as Float64Array;
    for (let r = 0; r < R; r++) rows[r * D + d] = f[range.start + r] as number;
  }
  const y = new Float64Array(N * steps * O);
  const lastRow = new Int32Array(N);
  starts.forEach((i, n) => {
    for (let s = 0; s < steps; s++) {
      const row = i + (steps === 1 ? L - 1 : s) + h;
      for (let o = 0; o < O; o++) y[(n * steps + s) * O + o] = (targets[o] as Float64Array)[row] as number;
    }
    lastRow[n] = i + L - 1 + h;
  });
  const at = Int32Array.from(starts, (i) => (i - range.start) * D);
  const window = (n: number) => rows.subarray(at[n] as number, (at[n] as number) + L * D);
  let x: Tensor3<Float64Array> | null = null;
  return {
    count: N,
    seqLen: L,
    features: D,
    window,
    get x() {
      if (x === null) {
        const all = new Float64Array(N * L * D);
        for (let n = 0; n < N; n++) all.set(window(n), n * L * D);
        x = tensor3(N, L, D, all);
      }
      return x;
    },
    y: tensor3(N, steps, O, y),
    lastRow,
  };
}

/** Throws a DataError when a split is too short for even one window. */
export function assertWindows(w: WindowSet, split: string, rows: number, seqLen: number, horizon: number): void {
  if (w.count === 0) {
    throw new DataError(
      `the ${split} split has ${rows} rows, too few for one window of seq-len ${seqLen}${horizon ? ` plus a horizon of ${horizon}` : ""} (need ≥ ${seqLen + horizon})`,
    );
  }
}
