/**
 * Layout helpers. Users hand us batch-first sequences (B, T, ·), PyTorch's batch_first=True; the
 * recurrence wants each step's batch contiguous, i.e. time-major (T·B, ·) with step t in rows
 * [t·B, (t+1)·B). These copy between the two, and reverse time for the backward direction.
 */
import { allocLike, type FloatArray, Matrix } from "@unrolled/linalg";

/** Batch-first (B·T, C) rows (b, t) → time-major (T·B, C) rows (t, b). */
export function toTimeMajor(src: FloatArray, B: number, T: number, C: number): Matrix<FloatArray> {
  const out = allocLike(src, T * B * C);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) out.set(src.subarray((b * T + t) * C, (b * T + t + 1) * C), (t * B + b) * C);
  }
  return new Matrix(T * B, C, out);
}

/** Time-major (T·B, C) rows (t, b) → batch-first (B·T, C) rows (b, t). */
export function toBatchFirst(m: Matrix<FloatArray>, B: number, T: number): Matrix<FloatArray> {
  const C = m.cols;
  const out = allocLike(m.data, B * T * C);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) out.set(m.data.subarray((t * B + b) * C, (t * B + b + 1) * C), (b * T + t) * C);
  }
  return new Matrix(B * T, C, out);
}

/** Time-major (T·B, C) with the order of the T step blocks reversed (a copy). */
export function reverseTime(m: Matrix<FloatArray>, B: number): Matrix<FloatArray> {
  const T = B === 0 ? 0 : m.rows / B;
  const n = B * m.cols;
  const out = allocLike(m.data, m.data.length);
  for (let t = 0; t < T; t++) out.set(m.data.subarray(t * n, (t + 1) * n), (T - 1 - t) * n);
  return new Matrix(m.rows, m.cols, out);
}
