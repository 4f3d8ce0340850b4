/** The baselines of task.ts, computed from the data alone. */

import type { WindowSet } from "@unrolled/datasets";
import { leastSquaresRows, Matrix, predictLinearRows, type Rows } from "@unrolled/linalg";
import { classMetrics, regressionMetrics } from "./metrics.js";
import type { Baselines, ClassMetrics, RegressionMetrics } from "./task.js";

/** Least squares from the flattened (scaled) window to its last target, with an intercept: W (L·D + 1, 1). */
export function fitLinearBaseline(train: WindowSet): Matrix<Float64Array> {
  const N = train.count;
  const S = train.y.dims[1];
  const O = train.y.dims[2];
  const y = Float64Array.from({ length: N }, (_, n) => train.y.data[(n * S + S - 1) * O] as number);
  // each window's (L·D) inputs read where they are: the windows overlap, copying them out would take L× the series
  return leastSquaresRows(windowRows(train), new Matrix(N, 1, y), 1e-8 * N);
}

/** The linear baseline's predictions (scaled) for every window of a set. */
export function linearBaselinePredict(W: Matrix<Float64Array>, w: WindowSet): Float64Array {
  return predictLinearRows(windowRows(w), W).data;
}

/** A window set as the rows of a design matrix (N, L·D). */
function windowRows(w: WindowSet): Rows {
  return { rows: w.count, cols: w.seqLen * w.features, row: w.window };
}

/**
 * Regression baselines for one split, in raw units. `rawTarget` is the unscaled target series (one
 * output), `train`/`split` are the (scaled) windows, `unscale` maps a scaled target back.
 */
export function regressionBaselines(
  rawTarget: Float64Array,
  train: WindowSet,
  split: WindowSet,
  unscale: (z: number) => number,
): Baselines<RegressionMetrics> {
  const actual = Float64Array.from(split.lastRow, (r) => rawTarget[r] as number);
  // persistence: the target's value one row earlier, the last one known when predicting row r
  const persistence = Float64Array.from(split.lastRow, (r) => rawTarget[Math.max(0, r - 1)] as number);
  let mean = 0;
  for (const r of train.lastRow) mean += rawTarget[r] as number;
  mean /= train.lastRow.length;
  // linear: least squares on the flattened window (L·D inputs + intercept), fitted on train
  const lin = linearBaselinePredict(fitLinearBaseline(train), split);
  return {
    persistence: regressionMetrics(persistence, actual),
    mean: regressionMetrics(new Float64Array(actual.length).fill(mean), actual),
    linear: regressionMetrics(Float64Array.from(lin, unscale), actual),
  };
}

/**
 * Symbol baselines on pairs (input symbol, target): `trainPairs`/`splitPairs` hold [x₀, y₀, x₁, y₁, …].
 * previousTarget[i] is the target before pair i (or −1 at a sequence start) for persistence.
 */
export function symbolBaselines(
  trainPairs: Int32Array,
  splitPairs: Int32Array,
  previousTarget: Int32Array,
  V: number,
  C: number,
  withPerplexity = false,
): Baselines<ClassMetrics> {
  const uni = new Float64Array(C).fill(1); // add-one smoothing
  const bi = new Float64Array(V * C).fill(1);
  for (let i = 0; i < trainPairs.length; i += 2) {
    const x = trainPairs[i] as number;
    const y = trainPairs[i + 1] as number;
    uni[y] = (uni[y] as number) + 1;
    bi[x * C + y] = (bi[x * C + y] as number) + 1;
  }
  const uniTotal = uni.reduce((a, b) => a + b, 0);
  const biTotal = Float64Array.from({ length: V }, (_, x) =>
    bi.subarray(x * C, (x + 1) * C).reduce((a, b) => a + b, 0),
  );
  const argmax = (a: Float64Array) => a.reduce((best, v, i) => (v > (a[best] as number) ? i : best), 0);
  const majority = argmax(uni);
  const bestNext = Int32Array.from({ length: V }, (_, x) => argmax(bi.subarray(x * C, (x + 1) * C)));
  let nllUni = 0;
  let nllBi = 0;
  let okUni = 0;
  let okBi = 0;
  let okPersist = 0;
  const n = splitPairs.length / 2;
  for (let i = 0; i < n; i++) {
    const x = splitPairs[2 * i] as number;
    const y = splitPairs[2 * i + 1] as number;
    nllUni -= Math.log((uni[y] as number) / uniTotal);
    nllBi -= Math.log((bi[x * C + y] as number) / (biTotal[x] as number));
    if (y === majority) okUni++;
    if (y === bestNext[x]) okBi++;
    if (y === previousTarget[i]) okPersist++;
  }
  return {
    persistence: classMetrics(null, okPersist, n, withPerplexity),
    mean: classMetrics(nllUni, okUni, n, withPerplexity),
    linear: classMetrics(nllBi, okBi, n, withPerplexity),
  };
}
