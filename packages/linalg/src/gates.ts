/**
 * One step of the gated cells in float32 WebAssembly (assembly/gates.ts), for rnn-core's LSTM and GRU
 * loops (kernel tier: nothing checked): the recurrent product and the elementwise pass — gates, cell
 * update, hₜ, and their backward — fused per band of rows, the bands split across threads when the
 * step is large, so that a step is one hand-off. Each returns false where it cannot run (float64, the
 * TypeScript backend, arrays outside WebAssembly memory, H not a multiple of 4) and the caller's own
 * product and loops, which are the readable reference, run instead; the fused pass agrees with them
 * to float32 rounding (rnn-core's cells.test.ts holds both to the float64 result).
 *
 * Buffers are time-major, as rnn-core's sequences: step t of a (T·B, C) buffer starts at t·B·C.
 */
import { kernelsInUse, threadPool } from "./backend/select.js";
import { OPS, THREADED_MIN } from "./backend/threads.js";
import type { WasmKernels } from "./backend/wasm.js";
import { addRowVectorAccumulate, workOf } from "./kernels.js";
import type { FloatArray } from "./matrix.js";
import { gemmPacked, type PackedRight } from "./packed.js";

/** What an LSTM step reads and writes (rnn-core's LstmSequence, flat). */
export interface LstmStepBuffers {
  readonly B: number;
  readonly H: number;
  /** W_hhᵀ (H, 4H) in the forward, W_hh (4H, H) in the backward, by packRight. */
  readonly W: PackedRight;
  readonly gates: FloatArray; // (T·B, 4H) zₜ, then i | f | g | o
  readonly hs: FloatArray; // ((T+1)·B, H)
  readonly cs: FloatArray; // ((T+1)·B, H)
  readonly tanhC: FloatArray; // (T·B, H)
  readonly dz: FloatArray; // (T·B, 4H)
  readonly dh: FloatArray; // (B, H)
  readonly dhNext: FloatArray; // (B, H)
  readonly dcNext: FloatArray; // (B, H)
}

/** What a GRU step reads and writes (rnn-core's GruSequence, flat). */
export interface GruStepBuffers {
  readonly B: number;
  readonly H: number;
  /** W_hhᵀ (H, 3H) in the forward, W_hh (3H, H) in the backward, by packRight. */
  readonly W: PackedRight;
  readonly b_hh: FloatArray | null; // (3H)
  readonly gates: FloatArray; // (T·B, 3H) aᵢ, then r | z | n
  readonly ah: FloatArray; // (B, 3H)
  readonly ahn: FloatArray; // (T·B, H)
  readonly hs: FloatArray; // ((T+1)·B, H)
  readonly dai: FloatArray; // (T·B, 3H)
  readonly dah: FloatArray; // (T·B, 3H)
  readonly dh: FloatArray; // (B, H)
  readonly dhNext: FloatArray; // (B, H)
}

/** The kernels, when H suits them (a multiple of 4: whole vectors); else null. */
function kernelsFor(H: number): WasmKernels | null {
  const k = kernelsInUse();
  return k !== null && H % 4 === 0 ? k : null;
}

/** Whether the kernels can read x: float32, in their memory (null: an absent bias). Checked per step, allocating nothing. */
const readable = (k: WasmKernels, x: FloatArray | null): boolean =>
  x === null || (x instanceof Float32Array && k.memory.owns(x));

/** Byte address of x[off]. */
const at = (x: FloatArray, off: number): number => x.byteOffset + 4 * off;

/**
 * Runs OPS[op] over rows [0, Bt) as one task, or in bands of a multiple of 4 rows, one per thread,
 * when the step's product is large; args(r) gives a band's arguments after its row count, for rows from r.
 */
function bands(k: WasmKernels, op: number, Bt: number, macs: number, args: (r: number) => number[]): void {
  const work = workOf(k);
  const pool = macs >= THREADED_MIN && Bt >= 8 ? threadPool(k) : null;
  if (pool === null) {
    (k.exports[OPS[op] as keyof WasmKernels["exports"]] as (...a: number[]) => void)(Bt, ...args(0), work);
    return;
  }
  const parts = pool.size + 1;
  const step = Math.ceil(Bt / parts / 4) * 4;
  pool.run(
    op,
    parts,
    (p) => {
      const [from, to] = [p * step, Math.min(Bt, (p + 1) * step)];
      return from < to ? [to - from, ...args(from)] : null;
    },
    work,
  );
}

/** LSTM step t over its Bt running rows: zₜ += hₜ₋₁·W_hhᵀ, the gates, cₜ, tanh(cₜ) and hₜ. */
export function lstmStepForward(s: LstmStepBuffers, t: number, Bt: number): boolean {
  const { B, H, W, gates, hs, cs, tanhC } = s;
  const k = kernelsFor(H);
  if (k === null || !(readable(k, gates) && readable(k, hs) && readable(k, cs) && readable(k, tanhC))) return false;
  const n = B * H;
  const [z, prev, next] = [t * 4 * n, t * n, (t + 1) * n]; // zₜ; hₜ₋₁, cₜ₋₁, tanh(cₜ); hₜ, cₜ
  if (!W.panels) {
    gemmPacked(Bt, hs, prev, W, gates, z, true);
    k.exports.lstm_forward_f32(at(gates, z), at(cs, prev), at(cs, next), at(tanhC, prev), at(hs, next), Bt, H);
    return true;
  }
  bands(k, 5, Bt, Bt * 4 * H * H, (r) => {
    const [q, g] = [r * H, r * 4 * H]; // row r in the (B, H) and (B, 4H) blocks
    const cells = [at(cs, prev + q), at(cs, next + q), at(tanhC, prev + q), at(hs, next + q)];
    return [H, at(hs, prev + q), W.data.byteOffset, at(gates, z + g), ...cells, 0, 0];
  });
  return true;
}

/** Back through LSTM step t's Bt running rows: dz from dh and dcNext, ∂L/∂cₜ₋₁ into dcNext, dhNext = dzₜ·W_hh. */
export function lstmStepBackward(s: LstmStepBuffers, t: number, Bt: number): boolean {
  const { B, H, W, gates, cs, tanhC, dz, dh, dcNext, dhNext } = s;
  const k = kernelsFor(H);
  if (k === null || !(readable(k, gates) && readable(k, cs) && readable(k, tanhC) && readable(k, dz))) return false;
  if (!(readable(k, dh) && readable(k, dcNext) && readable(k, dhNext))) return false;
  const n = B * H;
  const [z, prev] = [t * 4 * n, t * n];
  if (!W.panels) {
    const e = k.exports;
    e.lstm_backward_f32(at(gates, z), at(cs, prev), at(tanhC, prev), at(dh, 0), at(dcNext, 0), at(dz, z), Bt, H);
    gemmPacked(Bt, dz, z, W, dhNext, 0, false);
    return true;
  }
  bands(k, 6, Bt, Bt * 4 * H * H, (r) => {
    const [q, g] = [r * H, r * 4 * H];
    const state = [at(cs, prev + q), at(tanhC, prev + q), at(dh, q), at(dcNext, q)];
    return [H, at(gates, z + g), ...state, at(dz, z + g), W.data.byteOffset, at(dhNext, q), 0];
  });
  return true;
}

/** GRU step t over its Bt running rows: aₕ = hₜ₋₁·W_hhᵀ + b_hh, the gates r | z | n, a_hn kept, and hₜ. */
export function gruStepForward(s: GruStepBuffers, t: number, Bt: number): boolean {
  const { B, H, W, b_hh, gates, ah, ahn, hs } = s;
  const k = kernelsFor(H);
  if (k === null || !(readable(k, gates) && readable(k, ah) && readable(k, ahn) && readable(k, hs))) return false;
  if (!readable(k, b_hh)) return false;
  const n = B * H;
  const [a, prev, next] = [t * 3 * n, t * n, (t + 1) * n]; // aᵢ; hₜ₋₁ and a_hn; hₜ
  if (!W.panels) {
    gemmPacked(Bt, hs, prev, W, ah, 0, false);
    if (b_hh !== null) addRowVectorAccumulate(ah, 0, Bt, 3 * H, b_hh, 0);
    k.exports.gru_forward_f32(at(gates, a), at(ah, 0), at(ahn, prev), at(hs, prev), at(hs, next), Bt, H);
    return true;
  }
  const bias = b_hh === null ? [0, 0] : [at(b_hh, 0), 1];
  bands(k, 7, Bt, Bt * 3 * H * H, (r) => {
    const [q, g] = [r * H, r * 3 * H];
    return [
      H,
      at(hs, prev + q),
      W.data.byteOffset,
      at(ah, g),
      ...bias,
      at(gates, a + g),
      at(ahn, prev + q),
      at(hs, next + q),
      0,
    ];
  });
  return true;
}

/** Back through GRU step t's Bt running rows: ∂L/∂aᵢ, ∂L/∂aₕ, and dhNext = dh ⊙ z + ∂L/∂aₕ·W_hh. */
export function gruStepBackward(s: GruStepBuffers, t: number, Bt: number): boolean {
  const { B, H, W, gates, ahn, hs, dai, dah, dh, dhNext } = s;
  const k = kernelsFor(H);
  if (k === null || !(readable(k, gates) && readable(k, ahn) && readable(k, hs) && readable(k, dai))) return false;
  if (!(readable(k, dah) && readable(k, dh) && readable(k, dhNext))) return false;
  const n = B * H;
  const [a, prev] = [t * 3 * n, t * n];
  if (!W.panels) {
    const e = k.exports;
    e.gru_backward_f32(
      at(gates, a),
      at(ahn, prev),
      at(hs, prev),
      at(dh, 0),
      at(dhNext, 0),
      at(dai, a),
      at(dah, a),
      Bt,
      H,
    );
    gemmPacked(Bt, dah, a, W, dhNext, 0, true);
    return true;
  }
  bands(k, 8, Bt, Bt * 3 * H * H, (r) => {
    const [q, g] = [r * H, r * 3 * H];
    const rows = [at(gates, a + g), at(ahn, prev + q), at(hs, prev + q), at(dh, q), at(dhNext, q)];
    return [H, ...rows, at(dai, a + g), at(dah, a + g), W.data.byteOffset, 0];
  });
  return true;
}
