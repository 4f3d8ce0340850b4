/**
 * What one direction of one layer reads and writes over a batch of B sequences of T steps: one buffer
 * type per cell, each field named after the maths (docs/glossary.md). The model's workspace
 * (model/workspace.ts) allocates them once per (B, T) and reuses them for every batch, so the BPTT
 * loops allocate nothing.
 *
 * Everything is time-major: step t of a (T·B, ·) matrix is rows [t·B, (t+1)·B), a contiguous block
 * at offset t·B·cols of its data, which is how the loops address it. Sequences of different lengths
 * sit longest first, so that the rows still running at step t are a prefix: `batchSizes[t]` of them
 * (PyTorch's PackedSequence.batch_sizes). Rows past a sequence's end hold zeros and are never read.
 */
import { ConfigError, type FloatArray, type Matrix, type PackedRight } from "@unrolled/linalg";

/** What a layer's input projection reads: dense rows, or token ids standing for one-hot rows never built. */
export type SequenceInput =
  | { readonly kind: "dense"; readonly x: Matrix<FloatArray> } // (T·B, D)
  | { readonly kind: "tokens"; readonly ids: Int32Array }; // (T·B) in [0, D)

/** The buffers every cell has. */
interface SequenceBuffers {
  readonly B: number;
  readonly T: number;
  /** (T) rows running at step t: a prefix of the batch (all B when every sequence has T steps). */
  readonly batchSizes: Int32Array;
  /**
   * The recurrent weight laid out once for the T per-step products (linalg's packRight): W_hhᵀ
   * (H, G·H) in the forward, for hₜ₋₁·W_hhᵀ; W_hh (G·H, H) in the backward, for dzₜ·W_hh.
   */
  readonly W_hhP: PackedRight;
  /** ((T+1)·B, H): h₀ in rows [0, B), then hₜ in rows [(t+1)·B, (t+2)·B). */
  readonly hs: Matrix<FloatArray>;
  /** (B, H) ∂L/∂hₜ at the step being processed. */
  readonly dh: FloatArray;
  /** (B, H) ∂L/∂hₜ carried back from step t+1; after the backward, ∂L/∂h₀. Zero it before. */
  readonly dhNext: FloatArray;
  /** (T) ‖∂L/∂hₜ‖ over the batch at each step, written by the backward. */
  readonly norms: Float64Array;
}

/** The Elman RNN: aₜ = xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh, hₜ = φ(aₜ). */
export interface RnnSequence extends SequenceBuffers {
  readonly cell: "rnn";
  /** (T·B, H) the pre-activations aₜ. */
  readonly a: Matrix<FloatArray>;
  /** (T·B, H) ∂L/∂aₜ. */
  readonly da: Matrix<FloatArray>;
}

/** The LSTM (lstm/lstm.ts). */
export interface LstmSequence extends SequenceBuffers {
  readonly cell: "lstm";
  /** (T·B, 4H) the pre-activations zₜ = z_i | z_f | z_g | z_o, overwritten by the gates i | f | g | o. */
  readonly gates: Matrix<FloatArray>;
  /** (T·B, 4H) ∂L/∂zₜ. */
  readonly dz: Matrix<FloatArray>;
  /** ((T+1)·B, H) the cell states, c₀ first. */
  readonly cs: Matrix<FloatArray>;
  /** (T·B, H) tanh(cₜ), kept for the backward. */
  readonly tanhC: Matrix<FloatArray>;
  /** (B, H) ∂L/∂cₜ carried back from step t+1; after the backward, ∂L/∂c₀. Zero it before. */
  readonly dcNext: FloatArray;
}

/** The GRU (gru/gru.ts). */
export interface GruSequence extends SequenceBuffers {
  readonly cell: "gru";
  /** (T·B, 3H) the input's shares aᵢ = a_ir | a_iz | a_in, overwritten by the gates r | z | n. */
  readonly gates: Matrix<FloatArray>;
  /** (B, 3H) the state's shares aₕ = a_hr | a_hz | a_hn of the step being computed. */
  readonly ah: FloatArray;
  /** (T·B, H) a_hn at every step, kept for the backward (r multiplies it). */
  readonly ahn: Matrix<FloatArray>;
  /** (T·B, 3H) ∂L/∂aᵢ. */
  readonly dai: Matrix<FloatArray>;
  /** (T·B, 3H) ∂L/∂aₕ. */
  readonly dah: Matrix<FloatArray>;
}

export type Sequence = RnnSequence | LstmSequence | GruSequence;

/** Backward options every cell takes. */
export interface BackwardOptions {
  /**
   * Truncated BPTT: cut the gradient flowing back through time every `truncate` steps, at the
   * boundaries of chunks [0, k), [k, 2k), …, as if each chunk started from a state carried over from
   * the previous chunk with its gradient stopped (PyTorch's `h.detach()`). dh₀ is then 0.
   */
  readonly truncate?: number;
  /** Compute ∂L/∂x for the model's input (default true; training does not need it). */
  readonly inputGradient?: boolean;
}

/** The truncation length k (0 = full BPTT), validated. */
export function truncation(fn: string, opts: BackwardOptions): number {
  const k = opts.truncate ?? 0;
  if (!Number.isInteger(k) || k < 0) throw new ConfigError(`${fn}: truncate must be an integer ≥ 0, got ${k}`);
  return k;
}

/** dh[0 … n) = dhs[off …] + dhNext: ∂L/∂hₜ from above at t, and from t+1. Returns ‖dh‖². */
export function gatherDh(dh: FloatArray, dhs: FloatArray, off: number, dhNext: FloatArray, n: number): number {
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = (dhs[off + i] as number) + (dhNext[i] as number);
    dh[i] = v;
    sq += v * v;
  }
  return sq;
}

/** The rows past the running prefix of step t's block, zeroed: (Bₜ·C … B·C] at offset `at` of `m`. */
export function zeroTail(m: FloatArray, at: number, Bt: number, B: number, C: number): void {
  if (Bt < B) m.fill(0, at + Bt * C, at + B * C);
}
