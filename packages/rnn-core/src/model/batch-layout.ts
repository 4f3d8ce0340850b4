/**
 * Where a batch's sequences sit in the workspace. Users hand us batch-first sequences (B, T, ·),
 * PyTorch's batch_first=True, each with its own length (padding after it); the recurrence wants each
 * step's batch contiguous — time-major (T·B, ·), step t in rows [t·B, (t+1)·B) — with the sequences
 * still running at step t first, so that they are a prefix of the block (PyTorch's PackedSequence).
 * So row r of every block holds the caller's sequence order[r], longest first; with equal lengths
 * the order is the caller's own.
 *
 * The reverse direction of a bidirectional layer reads each sequence backwards from its own last step
 * (pack_padded_sequence's semantics), so its step s of row r is time lengths[r] − 1 − s.
 * Every copy here writes zeros where a row has no step.
 */
import { ConfigError, type FloatArray } from "@unrolled/linalg";
import type { BatchRows } from "./workspace.js";

type Rows = FloatArray | Int32Array;

/**
 * Fills `rows` for B sequences of the given lengths (null: all T) and returns whether every sequence
 * has all T steps. Lengths must be integers in [1, T]; the sort is stable, longest first.
 */
export function layoutRows(rows: BatchRows, B: number, T: number, lengths: ArrayLike<number> | null): boolean {
  const { order, lengths: len, batchSizes } = rows;
  if (lengths === null) {
    for (let r = 0; r < B; r++) [order[r], len[r]] = [r, T];
    batchSizes.fill(B);
    return true;
  }
  if (lengths.length !== B)
    throw new ConfigError(`modelForward: lengths has ${lengths.length} entries, expected B = ${B}`);
  for (let b = 0; b < B; b++) {
    const l = lengths[b] as number;
    if (!Number.isInteger(l) || l < 1 || l > T)
      throw new ConfigError(`modelForward: lengths[${b}] is ${l}, expected an integer in [1, T = ${T}]`);
  }
  const sorted = Array.from({ length: B }, (_, b) => b).sort(
    (a, b) => (lengths[b] as number) - (lengths[a] as number) || a - b,
  );
  for (let r = 0; r < B; r++) [order[r], len[r]] = [sorted[r] as number, lengths[sorted[r] as number] as number];
  for (let t = 0, r = B; t < T; t++) {
    while (r > 0 && (len[r - 1] as number) <= t) r--;
    batchSizes[t] = r;
  }
  return len[B - 1] === T;
}

/** Batch-first src (B·T, C) rows (b, t) → time-major out (T·B, C) rows (t, r) with b = order[r]; padding → 0. */
export function toTimeMajorInto(out: Rows, src: Rows, rows: BatchRows, B: number, T: number, C: number): void {
  for (let r = 0; r < B; r++) {
    const [b, L] = [rows.order[r] as number, rows.lengths[r] as number];
    for (let t = 0; t < L; t++) copyRow(out, (t * B + r) * C, src, (b * T + t) * C, C);
    for (let t = L; t < T; t++) out.fill(0, (t * B + r) * C, (t * B + r + 1) * C);
  }
}

/** Time-major src (T·B, C) rows (t, r) → batch-first out (B·T, C) rows (b, t), b = order[r] (padding rows too). */
export function toBatchFirstInto(out: Rows, src: Rows, rows: BatchRows, B: number, T: number, C: number): void {
  for (let r = 0; r < B; r++) {
    const b = rows.order[r] as number;
    for (let t = 0; t < T; t++) copyRow(out, (b * T + t) * C, src, (t * B + r) * C, C);
  }
}

/** out (B, C), from outOff: row order[r] = src (B, C) row r — one row per sequence back in the caller's order. */
export function unsortRowsInto(
  out: FloatArray,
  src: FloatArray,
  rows: BatchRows,
  B: number,
  C: number,
  outOff = 0,
): void {
  for (let r = 0; r < B; r++) copyRow(out, outOff + (rows.order[r] as number) * C, src, r * C, C);
}

/** out (B, C) row r = src (B, C) row order[r]: the caller's rows in the workspace's order. */
export function sortRowsInto(out: FloatArray, src: FloatArray, rows: BatchRows, B: number, C: number): void {
  for (let r = 0; r < B; r++) copyRow(out, r * C, src, (rows.order[r] as number) * C, C);
}

/** Time-major (T·B, C) with each row's steps reversed within its length, into out (which must not be src). */
export function reverseWithinLengthsInto(out: Rows, src: Rows, rows: BatchRows, B: number, T: number, C: number): void {
  for (let r = 0; r < B; r++) {
    const L = rows.lengths[r] as number;
    for (let s = 0; s < L; s++) copyRow(out, (s * B + r) * C, src, ((L - 1 - s) * B + r) * C, C);
    for (let s = L; s < T; s++) out.fill(0, (s * B + r) * C, (s * B + r + 1) * C);
  }
}

/** into (T·B, C) += src (T·B, C) with each row's steps reversed within its length (src's padding is ignored). */
export function addReversedWithinLengths(
  into: FloatArray,
  src: FloatArray,
  rows: BatchRows,
  B: number,
  C: number,
): void {
  for (let r = 0; r < B; r++) {
    const L = rows.lengths[r] as number;
    for (let t = 0; t < L; t++) {
      const [o, q] = [(t * B + r) * C, ((L - 1 - t) * B + r) * C];
      for (let i = 0; i < C; i++) into[o + i] = (into[o + i] as number) + (src[q + i] as number);
    }
  }
}

/** out (B, C) row r = src (T·B, C) at row r of step lengths[r] − 1: each sequence's last step. */
export function gatherLastStepsInto(out: FloatArray, src: FloatArray, rows: BatchRows, B: number, C: number): void {
  for (let r = 0; r < B; r++) copyRow(out, r * C, src, (((rows.lengths[r] as number) - 1) * B + r) * C, C);
}

/** into (T·B, C) at row r of step lengths[r] − 1 += src (B, C) row r: the backward of gatherLastStepsInto. */
export function scatterLastStepsAccumulate(
  into: FloatArray,
  src: FloatArray,
  rows: BatchRows,
  B: number,
  C: number,
): void {
  for (let r = 0; r < B; r++) {
    const o = (((rows.lengths[r] as number) - 1) * B + r) * C;
    for (let i = 0; i < C; i++) into[o + i] = (into[o + i] as number) + (src[r * C + i] as number);
  }
}

/** out[to … to+n) = src[from … from+n). A loop: for short rows it beats subarray + set. */
export function copyRow(out: Rows, to: number, src: Rows, from: number, n: number): void {
  for (let i = 0; i < n; i++) out[to + i] = src[from + i] as number;
}

/**
 * A bidirectional layer's output (T·B, 2H): [h_fwd,t ; h_bwd,t] at every step of every row, from the
 * two directions' states hs ((T+1)·B, H) each; the reverse direction handled time t of row r at its
 * step lengths[r] − 1 − t (state row block lengths[r] − t). Padding rows are zero.
 */
export function concatDirectionsInto(
  out: FloatArray,
  fwd: FloatArray,
  bwd: FloatArray,
  rows: BatchRows,
  B: number,
  T: number,
  H: number,
): void {
  for (let r = 0; r < B; r++) {
    const L = rows.lengths[r] as number;
    for (let t = 0; t < L; t++) {
      const row = (t * B + r) * 2 * H;
      copyRow(out, row, fwd, ((t + 1) * B + r) * H, H);
      copyRow(out, row + H, bwd, ((L - t) * B + r) * H, H);
    }
    for (let t = L; t < T; t++) out.fill(0, (t * B + r) * 2 * H, (t * B + r + 1) * 2 * H);
  }
}

/** Direction d's share of ∂L/∂output (T·B, 2H), in that direction's step order, into out (T·B, H); padding → 0. */
export function splitDirectionInto(
  out: FloatArray,
  dOut: FloatArray,
  d: number,
  rows: BatchRows,
  B: number,
  T: number,
  H: number,
): void {
  for (let r = 0; r < B; r++) {
    const L = rows.lengths[r] as number;
    for (let s = 0; s < L; s++) {
      const t = d === 0 ? s : L - 1 - s; // the reverse direction handles time t at its step L − 1 − t
      copyRow(out, (s * B + r) * H, dOut, (t * B + r) * 2 * H + d * H, H);
    }
    for (let s = L; s < T; s++) out.fill(0, (s * B + r) * H, (s * B + r + 1) * H);
  }
}
