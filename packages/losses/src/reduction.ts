/**
 * What every loss here shares: how per-element losses are weighted and reduced to one number.
 *
 *   L = Σ_n w_n Σ_o ℓ(n, o) / Z,     Z = Σ_n w_n · O   for "mean" (elementwise losses)
 *                                    Z = Σ_n w_n       for "mean" (cross-entropy: one term per row)
 *                                    Z = 1             for "sum"
 * with w_n = 1 unless per-row `weights` are given. A weight of 0 masks a row out (padding steps, or
 * the steps of a many-to-many sequence that carry no target). With all w_n = 1 this is exactly
 * PyTorch's reduction="mean" / "sum".
 */
import { ConfigError, DataError, type FloatArray, type Matrix, NonFiniteError } from "@unrolled/linalg";

export type Reduction = "mean" | "sum";

export interface LossOptions {
  /** "mean" (default) or "sum". */
  readonly reduction?: Reduction;
  /** One weight ≥ 0 per row of the prediction; 0 masks the row out. */
  readonly weights?: ArrayLike<number>;
}

/** Per-row weights (null = all ones) and the normaliser Z. Shared by every loss's cache. */
export interface Reduced {
  readonly w: Float64Array | null;
  /** 1 / Z: each element's gradient is w_n · ℓ'(n, o) · invZ. */
  readonly invZ: number;
}

export function reduce(fn: string, rows: number, termsPerRow: number, opts: LossOptions | undefined): Reduced {
  const reduction = opts?.reduction ?? "mean";
  if (reduction !== "mean" && reduction !== "sum") {
    throw new ConfigError(`${fn}: reduction must be "mean" or "sum", got ${JSON.stringify(reduction)}`);
  }
  let w: Float64Array | null = null;
  let total = rows;
  if (opts?.weights !== undefined) {
    const src = opts.weights;
    if (src.length !== rows)
      throw new ConfigError(`${fn}: weights has length ${src.length}, expected ${rows} (one per row)`);
    w = Float64Array.from(src);
    total = 0;
    for (let n = 0; n < rows; n++) {
      const v = w[n] as number;
      if (!(v >= 0) || !Number.isFinite(v))
        throw new ConfigError(`${fn}: weights[${n}] must be finite and ≥ 0, got ${v}`);
      total += v;
    }
  }
  if (reduction === "sum") return { w, invZ: 1 };
  if (!(total > 0) || termsPerRow === 0) {
    throw new DataError(`${fn}: reduction "mean" over zero total weight (${rows} rows, weights sum ${total})`);
  }
  return { w, invZ: 1 / (total * termsPerRow) };
}

/** Throws NonFiniteError at the first NaN or ±∞ in a target (always a data bug, never a model state). */
export function assertFiniteTarget(fn: string, target: Matrix<FloatArray>): void {
  const d = target.data;
  for (let k = 0; k < d.length; k++) {
    if (!Number.isFinite(d[k] as number)) {
      const i = Math.floor(k / target.cols);
      throw new NonFiniteError(`${fn}: target[${i}, ${k - i * target.cols}] is ${d[k]}, expected a finite number`);
    }
  }
}
