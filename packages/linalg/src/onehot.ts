/**
 * One-hot inputs without multiplying by zeros. When every row of x (B, D) is one-hot — a character
 * model's input — x·Wᵀ is a gather of W's columns and the weight gradient daᵀ·x a scatter into them:
 * D times less work than the matmuls they replace, and the same numbers (each sum has one term).
 *
 *   forward:  a = x·Wᵀ        ⇒  a[b, :] = W[:, id_b]
 *   backward: dW += daᵀ·x     ⇒  dW[:, id_b] += da[b, :]
 */
import { ShapeError } from "./errors.js";
import type { FloatArray, Matrix } from "./matrix.js";

/** The column index of the 1 in every row, if every row of x is exactly one-hot; else null. */
export function oneHotRows(x: Matrix<FloatArray>, out: Int32Array = new Int32Array(x.rows)): Int32Array | null {
  const D = x.cols;
  const d = x.data;
  if (D === 0 || out.length < x.rows) return null;
  for (let b = 0; b < x.rows; b++) {
    let id = -1;
    for (let k = 0; k < D; k++) {
      const v = d[b * D + k] as number;
      if (v === 0) continue;
      if (v !== 1 || id >= 0) return null; // not 0/1, or a second 1
      id = k;
    }
    if (id < 0) return null;
    out[b] = id;
  }
  return out;
}

/** out (B, H) (+)= W (H, D) columns ids — i.e. onehot(ids)·Wᵀ. */
export function gatherColumns(out: Matrix<FloatArray>, W: Matrix<FloatArray>, ids: Int32Array, acc = false): void {
  const [H, D] = [W.rows, W.cols];
  if (out.cols !== H || out.rows > ids.length)
    throw new ShapeError("gatherColumns", "out", out.shape, [ids.length, H], "(B, H)");
  const o = out.data;
  const w = W.data;
  for (let b = 0; b < out.rows; b++) {
    const id = ids[b] as number;
    const r = b * H;
    if (acc) for (let h = 0; h < H; h++) o[r + h] = (o[r + h] as number) + (w[h * D + id] as number);
    else for (let h = 0; h < H; h++) o[r + h] = w[h * D + id] as number;
  }
}

/** dW (H, D) columns ids += da (B, H) rows — i.e. dW += daᵀ·onehot(ids). */
export function scatterColumnsAccumulate(dW: Matrix<FloatArray>, da: Matrix<FloatArray>, ids: Int32Array): void {
  const [H, D] = [dW.rows, dW.cols];
  if (da.cols !== H || da.rows > ids.length)
    throw new ShapeError("scatterColumnsAccumulate", "da", da.shape, [ids.length, H], "(B, H)");
  const g = dW.data;
  const d = da.data;
  for (let b = 0; b < da.rows; b++) {
    const id = ids[b] as number;
    const r = b * H;
    for (let h = 0; h < H; h++) g[h * D + id] = (g[h * D + id] as number) + (d[r + h] as number);
  }
}
