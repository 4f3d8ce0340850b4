/**
 * What one direction of one layer reads and writes over a batch of B sequences of T steps: every
 * buffer a cell's forward fills and its backward reads. The model's workspace (model/workspace.ts)
 * allocates them once per (B, T) and reuses them for every batch, so the BPTT loops allocate nothing.
 *
 * Everything is time-major: step t of a (T·B, ·) matrix is rows [t·B, (t+1)·B), a contiguous block
 * at offset t·B·cols of its data, which is how the loops address it.
 */
import { ConfigError, type FloatArray, type Matrix } from "@unrolled/linalg";

export interface Sequence {
  readonly B: number;
  readonly T: number;
  /** (T·B, D) this direction's input; the reverse direction's is in reversed time order. */
  readonly x: Matrix<FloatArray>;
  /** (T·B) the column of each row's 1 when every row of x is one-hot (a character model). */
  readonly ids: Int32Array;
  /** Whether x was one-hot in the last forward (then ids is valid). */
  oneHot: boolean;
  /**
   * (H, G·H) W_hhᵀ, which the forward writes first and reads at every step: hₜ₋₁·W_hhᵀ as hₜ₋₁ times a
   * row-major matrix is the product whose rows vectorise best (see @unrolled/linalg's kernels).
   */
  readonly W_hhT: Matrix<FloatArray>;
  /** (T·B, G·H) pre-activations z = x·W_ihᵀ + b_ih + …; the LSTM and GRU overwrite them with their gates. */
  readonly z: Matrix<FloatArray>;
  /** ((T+1)·B, H): h₀ in rows [0, B), then hₜ in rows [(t+1)·B, (t+2)·B). */
  readonly hs: Matrix<FloatArray>;
  /** (T·B, H) the first T row blocks of hs: hₜ₋₁ for every step t. */
  readonly hPrev: Matrix<FloatArray>;
  /** LSTM: ((T+1)·B, H) the cell states, c₀ first; else null. */
  readonly cs: Matrix<FloatArray> | null;
  /** (T·B, H) LSTM: tanh(cₜ); GRU: a_hn = hₜ₋₁·W_hnᵀ + b_hn; else null. */
  readonly aux: Matrix<FloatArray> | null;
  /** (T·B, G·H) ∂L/∂z; for the GRU ∂L/∂aᵢ, the input's share. */
  readonly dz: Matrix<FloatArray>;
  /** GRU: (T·B, 3H) ∂L/∂aₕ, the state's share; else null. */
  readonly dzh: Matrix<FloatArray> | null;
  /** GRU: (B, 3H) aₕ of the current step; else null. */
  readonly ah: FloatArray | null;
  /** (B, H) ∂L/∂hₜ at the step being processed. */
  readonly dh: FloatArray;
  /** (B, H) ∂L/∂hₜ carried back from step t+1; after the backward, ∂L/∂h₀. Zero it before. */
  readonly dhNext: FloatArray;
  /** LSTM: (B, H) ∂L/∂cₜ carried back from step t+1; after the backward, ∂L/∂c₀. Zero it before. */
  readonly dcNext: FloatArray | null;
  /** (T) ‖∂L/∂hₜ‖ over the batch at each step, written by the backward. */
  readonly norms: Float64Array;
}

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

/** dh = dhs[step t] + dhNext over the (B, H) block at `off`; returns ‖dh‖². */
export function gatherDh(dh: FloatArray, dhs: FloatArray, off: number, dhNext: FloatArray): number {
  let sq = 0;
  for (let i = 0; i < dh.length; i++) {
    const v = (dhs[off + i] as number) + (dhNext[i] as number); // ∂L/∂hₜ: from above at t, and from t+1
    dh[i] = v;
    sq += v * v;
  }
  return sq;
}
