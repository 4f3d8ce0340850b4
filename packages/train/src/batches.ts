/**
 * An epoch's batches. Sequences of one length: a seeded permutation (or the samples' own order) cut
 * into batches of B, the last one smaller. Sequences of different lengths are bucketed so that a
 * batch holds sequences of similar length and little padding: the shuffled indices are taken in
 * pools of 50 batches, each pool sorted by length and cut into batches, and the batches shuffled.
 * An endless stream's epoch e is its next `count` sequences, in order (they are random already).
 */
import type { Rng } from "@unrolled/linalg";
import type { Samples } from "./samples.js";

/** Batches per pool when bucketing by length. */
const POOL = 50;

export function epochBatches(samples: Samples, B: number, shuffle: boolean, rng: Rng, epoch = 0): number[][] {
  const N = samples.count;
  if (samples.endless)
    return chunks(
      Array.from({ length: N }, (_, i) => epoch * N + i),
      B,
    );
  const order = shuffle ? rng.permutation(N) : Int32Array.from({ length: N }, (_, i) => i);
  const lengths = samples.lengths;
  if (lengths === null) return chunks(Array.from(order), B);
  const batches: number[][] = [];
  for (let at = 0; at < N; at += POOL * B) {
    const pool = Array.from(order.subarray(at, Math.min(N, at + POOL * B)));
    pool.sort((a, b) => (lengths[b] as number) - (lengths[a] as number) || a - b);
    batches.push(...chunks(pool, B));
  }
  if (shuffle) {
    const perm = rng.permutation(batches.length);
    return Array.from(perm, (i) => batches[i] as number[]);
  }
  return batches;
}

function chunks(xs: number[], B: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < xs.length; i += B) out.push(xs.slice(i, i + B));
  return out;
}
