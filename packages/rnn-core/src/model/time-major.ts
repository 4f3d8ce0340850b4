/**
 * Layout helpers. Users hand us batch-first sequences (B, T, ·), PyTorch's batch_first=True; the
 * recurrence wants each step's batch contiguous, i.e. time-major (T·B, ·) with step t in rows
 * [t·B, (t+1)·B). These copy between the two, and reverse time for the backward direction. The
 * `Into` forms write into a buffer the caller owns (the model's workspace); the others allocate.
 */
import { allocLike, type FloatArray, Matrix } from "@unrolled/linalg";

/** Batch-first (B·T, C) rows (b, t) → time-major (T·B, C) rows (t, b), into out. */
export function toTimeMajorInto(out: FloatArray, src: FloatArray, B: number, T: number, C: number): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) copyRow(out, (t * B + b) * C, src, (b * T + t) * C, C);
  }
}

/** out[to … to+n) = src[from … from+n). A loop: for short rows it beats subarray + set. */
function copyRow(out: FloatArray, to: number, src: FloatArray, from: number, n: number): void {
  for (let i = 0; i < n; i++) out[to + i] = src[from + i] as number;
}

/** Time-major (T·B, C) rows (t, b) → batch-first (B·T, C) rows (b, t), into out. */
export function toBatchFirstInto(out: FloatArray, src: FloatArray, B: number, T: number, C: number): void {
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) copyRow(out, (b * T + t) * C, src, (t * B + b) * C, C);
  }
}

/** Time-major (T·B, C) with the order of its T step blocks reversed, into out (which must not be src). */
export function reverseTimeInto(out: FloatArray, src: FloatArray, B: number, T: number, C: number): void {
  const n = B * C;
  for (let t = 0; t < T; t++) copyRow(out, (T - 1 - t) * n, src, t * n, n);
}

/** Batch-first (B·T, C) rows (b, t) → time-major (T·B, C) rows (t, b). */
export function toTimeMajor(src: FloatArray, B: number, T: number, C: number): Matrix<FloatArray> {
  const out = allocLike(src, T * B * C);
  toTimeMajorInto(out, src, B, T, C);
  return new Matrix(T * B, C, out);
}

/** Time-major (T·B, C) rows (t, b) → batch-first (B·T, C) rows (b, t). */
export function toBatchFirst(m: Matrix<FloatArray>, B: number, T: number): Matrix<FloatArray> {
  const out = allocLike(m.data, m.data.length);
  toBatchFirstInto(out, m.data, B, T, m.cols);
  return new Matrix(B * T, m.cols, out);
}

/** Time-major (T·B, C) with the order of the T step blocks reversed (a copy). */
export function reverseTime(m: Matrix<FloatArray>, B: number): Matrix<FloatArray> {
  const T = B === 0 ? 0 : m.rows / B;
  const out = allocLike(m.data, m.data.length);
  reverseTimeInto(out, m.data, B, T, m.cols);
  return new Matrix(m.rows, m.cols, out);
}
