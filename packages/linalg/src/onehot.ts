/**
 * One-hot inputs without multiplying by zeros. When the input is token ids — a character model's
 * input, one-hot rows that are never built — x·Wᵀ is a gather of W's columns and the weight gradient
 * daᵀ·x a scatter into them: D times less work than the matmuls they replace, and the same numbers
 * (each sum has one term).
 *
 *   forward:  a = x·Wᵀ        ⇒  a[b, :] = W[:, id_b]
 *   backward: dW += daᵀ·x     ⇒  dW[:, id_b] += da[b, :]
 */
import { ShapeError } from "./errors.js";
import type { FloatArray, Matrix } from "./matrix.js";

/** out (B, H) = W (H, D) columns ids — i.e. onehot(ids)·Wᵀ. Ids must be in [0, D) (the caller checked them). */
export function gatherColumnsInto(out: Matrix<FloatArray>, W: Matrix<FloatArray>, ids: Int32Array): void {
  const [H, D] = [W.rows, W.cols];
  if (out.cols !== H || out.rows > ids.length)
    throw new ShapeError("gatherColumnsInto", "out", out.shape, [ids.length, H], "(B, H)");
  const o = out.data;
  const w = W.data;
  for (let b = 0; b < out.rows; b++) {
    const id = ids[b] as number;
    const r = b * H;
    for (let h = 0; h < H; h++) o[r + h] = w[h * D + id] as number;
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
