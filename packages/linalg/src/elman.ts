/**
 * A small Elman layer's whole recurrence in one float32 WebAssembly call (assembly/elman.ts), for
 * rnn-core's rnn.ts (kernel tier: nothing checked). With a few units per step (a tutorial's RNN: H = 5,
 * one sequence), the product and φ of a step are a few dozen operations, and calling into WebAssembly
 * for each of them, twice per step, was most of the update. Each returns false where it does not run —
 * float64, the TypeScript backend, arrays outside WebAssembly memory, sequences of different lengths, a
 * step larger than SMALL_STEP, or a weight in panels — and the caller's loop, which is the readable
 * reference, runs instead; the two agree to float32 rounding (rnn-core's cells.test.ts).
 *
 * Buffers are time-major, as rnn-core's sequences: step t of a (T·B, H) buffer starts at t·B·H.
 */
import { kernelsInUse } from "./backend/select.js";
import { GEMM_WORK_BYTES } from "./backend/threads.js";
import type { WasmKernels } from "./backend/wasm.js";
import { workOf } from "./kernels.js";
import type { FloatArray } from "./matrix.js";
import type { PackedRight } from "./packed.js";

/** Multiply-adds of one step's product (B·H·H) up to which the whole recurrence runs in one call. */
export const SMALL_STEP = 1024;

/** The Elman cell's nonlinearities, as rnn-core names them. */
export type ElmanPhi = "tanh" | "sigmoid" | "relu";
const PHI: Readonly<Record<ElmanPhi, number>> = { tanh: 0, sigmoid: 1, relu: 2 }; // assembly/elman.ts's `kind`

/** The kernels, when B rows of H units are a small step; else null. */
function kernelsFor(B: number, H: number, W: PackedRight): WasmKernels | null {
  const k = B * H * H <= SMALL_STEP && !W.panels ? kernelsInUse() : null;
  return k !== null && readable(k, W.rows) ? k : null;
}

const readable = (k: WasmKernels, x: FloatArray): boolean => x instanceof Float32Array && k.memory.owns(x);

/** Byte address of x[off]. */
const at = (x: FloatArray, off: number): number => x.byteOffset + 4 * off;

/**
 * aₜ += hₜ₋₁·W_hhᵀ, hₜ = φ(aₜ) for t = 0 … T−1, every one of the B rows running all T steps; W is
 * W_hhᵀ (H, H) by packRight, a (T·B, H) holds the input's share, hs ((T+1)·B, H) starts with h₀.
 */
export function elmanForward(
  T: number,
  B: number,
  H: number,
  phi: ElmanPhi,
  a: FloatArray,
  hs: FloatArray,
  W: PackedRight,
): boolean {
  const k = kernelsFor(B, H, W);
  if (k === null || !(readable(k, a) && readable(k, hs))) return false;
  k.exports.rnn_forward_f32(T, B, H, at(a, 0), at(hs, 0), at(W.rows, W.rowsOff), PHI[phi]);
  return true;
}

let squares: Float64Array | null = null; // this thread's work block, as float64: ‖∂L/∂hₜ‖² by step

/**
 * BPTT through the recurrence elmanForward ran: daₜ from up (T·B, H) (∂L/∂hₜ from above) and dhNext
 * (B, H), which ends as ∂L/∂h₀; norms[t] = ‖∂L/∂hₜ‖; W is W_hh (H, H) by packRight; truncate > 0 cuts
 * the gradient every `truncate` steps.
 */
export function elmanBackward(
  T: number,
  B: number,
  H: number,
  phi: ElmanPhi,
  [da, up, dhNext, hs]: [FloatArray, FloatArray, FloatArray, FloatArray],
  W: PackedRight,
  norms: Float64Array,
  truncate: number,
): boolean {
  const k = kernelsFor(B, H, W);
  if (k === null || 8 * T > GEMM_WORK_BYTES) return false;
  if (!(readable(k, da) && readable(k, up) && readable(k, dhNext) && readable(k, hs))) return false;
  const work = workOf(k);
  const buffer = k.memory.buffer();
  if (squares === null || squares.buffer !== buffer || squares.byteOffset !== work)
    squares = new Float64Array(buffer, work, GEMM_WORK_BYTES / 8); // again only when the memory grew
  const [pa, pu, pd, ph] = [at(da, 0), at(up, 0), at(dhNext, 0), at(hs, 0)];
  k.exports.rnn_backward_f32(T, B, H, pa, pu, pd, ph, at(W.rows, W.rowsOff), work, truncate, PHI[phi]);
  for (let t = 0; t < T; t++) norms[t] = Math.sqrt(squares[t] as number);
  return true;
}
