/**
 * One-hot inputs without multiplying by zeros. When the input is token ids — a character model's
 * input, one-hot rows that are never built — x·Wᵀ is a gather of W's columns and the weight gradient
 * daᵀ·x a scatter into them: D times less work than the matmuls they replace, and the same numbers
 * (each sum has one term).
 *
 *   forward:  a = x·Wᵀ        ⇒  a[b, :] = W[:, id_b]
 *   backward: dW += daᵀ·x     ⇒  dW[:, id_b] += da[b, :]
 *
 * A column of W is strided (D apart), so when there are more rows than columns both go through Wᵀ
 * (D, H) in a scratch buffer, whose rows are contiguous: each element still gets the same terms in
 * the same order (row order), so the results are the same bits either way.
 */
import { allocFast, releaseFast } from "./backend/select.js";
import { ShapeError } from "./errors.js";
import { addRowVectorAccumulate } from "./kernels.js";
import { type FloatArray, Matrix, transposeInto } from "./matrix.js";

/** out (B, H) = W (H, D) columns ids — i.e. onehot(ids)·Wᵀ. Ids must be in [0, D) (the caller checked them). */
export function gatherColumnsInto(out: Matrix<FloatArray>, W: Matrix<FloatArray>, ids: Int32Array): void {
  const [H, D] = [W.rows, W.cols];
  if (out.cols !== H || out.rows > ids.length)
    throw new ShapeError("gatherColumnsInto", "out", out.shape, [ids.length, H], "(B, H)");
  const o = out.data;
  const w = W.data;
  if (out.rows >= D) {
    const wT = transposed(W); // (D, H): row id is W's column id
    for (let b = 0; b < out.rows; b++)
      o.set(wT.data.subarray((ids[b] as number) * H, ((ids[b] as number) + 1) * H), b * H);
    return;
  }
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
  if (da.rows >= D) {
    const gT = transposed(dW); // (D, H) dWᵀ: the rows of one id are added into one contiguous row
    for (let b = 0; b < da.rows; b++) addRowVectorAccumulate(gT.data, (ids[b] as number) * H, 1, H, d, b * H);
    transposeInto(dW, gT); // and back
    return;
  }
  for (let b = 0; b < da.rows; b++) {
    const id = ids[b] as number;
    const r = b * H;
    for (let h = 0; h < H; h++) g[h * D + id] = (g[h * D + id] as number) + (d[r + h] as number);
  }
}

let scratch32: Float32Array<ArrayBufferLike> = new Float32Array(0);
let scratch64: Float64Array<ArrayBufferLike> = new Float64Array(0);

/** A scratch buffer of at least n floats of x's dtype, in WebAssembly memory where there is one. */
function scratchLike(x: FloatArray, n: number): FloatArray {
  if (x instanceof Float32Array) {
    if (scratch32.length < n) {
      releaseFast(scratch32);
      scratch32 = allocFast("float32", n);
    }
    return scratch32;
  }
  if (scratch64.length < n) {
    releaseFast(scratch64);
    scratch64 = allocFast("float64", n);
  }
  return scratch64;
}

/** xᵀ (D, H) of x (H, D), in a scratch buffer of x's dtype kept between calls (valid until the next call). */
function transposed(x: Matrix<FloatArray>): Matrix<FloatArray> {
  const t = new Matrix(x.cols, x.rows, scratchLike(x.data, x.rows * x.cols).subarray(0, x.rows * x.cols));
  return transposeInto(t, x);
}
