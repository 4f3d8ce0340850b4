/**
 * The gated cells' elementwise step in one float32 WebAssembly pass (assembly/gates.ts), for
 * rnn-core's LSTM and GRU loops (kernel tier: nothing checked). Each returns false where it cannot
 * run — float64, the TypeScript backend, arrays outside WebAssembly memory, H not a multiple of 4 —
 * and the caller's own loops, which are the readable reference, run instead. Arguments are
 * (array, offset) pairs in elements; the fused pass agrees with the loops to float32 rounding
 * (rnn-core's float32 tests hold both to the float64 result).
 */
import { kernelsInUse } from "./backend/select.js";
import type { WasmKernels } from "./backend/wasm.js";
import type { FloatArray } from "./matrix.js";

/** The kernels, when H suits them; else null. */
function kernelsFor(H: number): WasmKernels | null {
  const k = kernelsInUse();
  return k !== null && H % 4 === 0 ? k : null;
}

/** Whether the kernels can read x: float32, in their memory. */
const mine = (k: WasmKernels, x: FloatArray): boolean => x instanceof Float32Array && k.memory.owns(x);

/** Byte address of x[off]. */
const at = (x: FloatArray, off: number): number => x.byteOffset + 4 * off;

/** LSTM step forward over rows [0, Bt): z (Bt, 4H) at G[zOff] becomes the gates; writes cₜ, tanh(cₜ), hₜ (Bt, H). */
export function lstmStepForward(
  G: FloatArray,
  zOff: number,
  cs: FloatArray,
  cPrevOff: number,
  cOff: number,
  tanhC: FloatArray,
  tcOff: number,
  hs: FloatArray,
  hOff: number,
  Bt: number,
  H: number,
): boolean {
  const k = kernelsFor(H);
  if (k === null || !(mine(k, G) && mine(k, cs) && mine(k, tanhC) && mine(k, hs))) return false;
  k.exports.lstm_forward_f32(at(G, zOff), at(cs, cPrevOff), at(cs, cOff), at(tanhC, tcOff), at(hs, hOff), Bt, H);
  return true;
}

/** LSTM step backward over rows [0, Bt): writes dz (Bt, 4H) from dh and dcNext (Bt, H); leaves ∂L/∂cₜ₋₁ in dcNext. */
export function lstmStepBackward(
  G: FloatArray,
  gOff: number,
  cs: FloatArray,
  cPrevOff: number,
  tanhC: FloatArray,
  tcOff: number,
  dh: FloatArray,
  dcNext: FloatArray,
  dz: FloatArray,
  Bt: number,
  H: number,
): boolean {
  const k = kernelsFor(H);
  if (k === null || !(mine(k, G) && mine(k, cs) && mine(k, tanhC) && mine(k, dh) && mine(k, dcNext) && mine(k, dz)))
    return false;
  const e = k.exports;
  e.lstm_backward_f32(at(G, gOff), at(cs, cPrevOff), at(tanhC, tcOff), at(dh, 0), at(dcNext, 0), at(dz, gOff), Bt, H);
  return true;
}

/** GRU step forward over rows [0, Bt): A (Bt, 3H) at aOff becomes the gates, from aₕ (Bt, 3H); writes a_hn and hₜ (Bt, H). */
export function gruStepForward(
  A: FloatArray,
  aOff: number,
  ah: FloatArray,
  ahn: FloatArray,
  ahnOff: number,
  hs: FloatArray,
  hPrevOff: number,
  hOff: number,
  Bt: number,
  H: number,
): boolean {
  const k = kernelsFor(H);
  if (k === null || !(mine(k, A) && mine(k, ah) && mine(k, ahn) && mine(k, hs))) return false;
  k.exports.gru_forward_f32(at(A, aOff), at(ah, 0), at(ahn, ahnOff), at(hs, hPrevOff), at(hs, hOff), Bt, H);
  return true;
}

/** GRU step backward over rows [0, Bt): writes ∂L/∂aᵢ, ∂L/∂aₕ (Bt, 3H) at gOff and dhNext = dh ⊙ z. */
export function gruStepBackward(
  A: FloatArray,
  gOff: number,
  ahn: FloatArray,
  ahnOff: number,
  hs: FloatArray,
  hPrevOff: number,
  dh: FloatArray,
  dhNext: FloatArray,
  dai: FloatArray,
  dah: FloatArray,
  Bt: number,
  H: number,
): boolean {
  const k = kernelsFor(H);
  if (k === null || !(mine(k, A) && mine(k, ahn) && mine(k, hs) && mine(k, dh) && mine(k, dhNext))) return false;
  if (!(mine(k, dai) && mine(k, dah))) return false;
  const e = k.exports;
  e.gru_backward_f32(
    at(A, gOff),
    at(ahn, ahnOff),
    at(hs, hPrevOff),
    at(dh, 0),
    at(dhNext, 0),
    at(dai, gOff),
    at(dah, gOff),
    Bt,
    H,
  );
  return true;
}
