/**
 * The kernel tier of @unrolled/linalg: unchecked functions over flat arrays with an offset into each,
 * for loops whose buffers are already laid out (rnn-core's workspaces). Nothing is validated here —
 * the checked tier (matmul.ts, activations.ts, softmax.ts, on Matrix) is the API for everyone else.
 * One naming rule in both tiers: `Into` overwrites its output, `Accumulate` adds into it; the gemms
 * take `acc` (false overwrites, true adds), as BLAS takes β.
 *
 * They run on the backend backend/select.ts chose:
 *
 *   "wasm"  WebAssembly SIMD (assembly/), chosen by default wherever it loads. float32 and float64.
 *   "js"    the TypeScript kernels (gemm.ts, Math.tanh): the readable reference and the fallback.
 *
 * A WebAssembly kernel can only address its own memory, so arrays that should run fast are
 * allocated there with allocFast() (rnn-core's workspaces are). A product whose operands live
 * elsewhere runs in TypeScript when small, and is copied in and out when large enough to pay for
 * the copy. float64 products are bit-identical on both backends (the kernels share one summation
 * order, see gemm.ts); float32 ones agree to float32 rounding; tanh and σ in float32 differ by a few
 * ulp (backend/wasm.test.ts measures both).
 */
import { sigmoidScalar } from "./activations.js";
import { kernelsInUse, threadPool } from "./backend/select.js";
import { GEMM_WORK_BYTES, THREADED_MIN, type ThreadPool } from "./backend/threads.js";
import type { WasmKernels } from "./backend/wasm.js";
import { tsGemmNN, tsGemmNT, tsGemmTN } from "./gemm.js";
import type { FloatArray } from "./matrix.js";

// ---------------------------------------------------------------------------------------------
// Matrix products. Shapes as in gemm.ts; nothing is checked here (matmul.ts is the checked API).

/** Products smaller than this (M·N·K) run in TypeScript: crossing into WebAssembly costs more. */
const WASM_MIN = 64;
/** Products smaller than this are not worth copying into WebAssembly memory. */
const COPY_MIN = 1 << 15;
let scratch = -1; // a staging block in WebAssembly memory for operands that live outside it
let scratchBytes = 0;

type Layout = 0 | 1 | 2 | 3; // NN, NT, TN, NN with B in panels (packed.ts)

const gemmWork = new WeakMap<WasmKernels, number>(); // this thread's scratch for gemm_f32's packed blocks
export function workOf(k: WasmKernels): number {
  let at = gemmWork.get(k);
  if (at === undefined) {
    at = k.memory.alloc(GEMM_WORK_BYTES);
    gemmWork.set(k, at);
  }
  return at;
}

/** Floats B (K, N) takes in panels of 8 columns (packed.ts): K·⌈N/8⌉·8. */
export function packedLength(K: number, N: number): number {
  return K * Math.ceil(N / 8) * 8;
}

/** B (K, N) into d as panels of 8 columns, each K rows of 8 floats (zeros past N), where B(p, j) = b[bOff + p·sP + j·sJ]. */
export function packPanels(
  d: FloatArray,
  K: number,
  N: number,
  b: FloatArray,
  bOff: number,
  sP: number,
  sJ: number,
): void {
  for (let j0 = 0; j0 < N; j0 += 8) {
    const w = Math.min(8, N - j0);
    for (let p = 0; p < K; p++) {
      const at = j0 * K + p * 8; // panel j0/8 starts at 8·K·(j0/8) = j0·K
      for (let l = 0; l < w; l++) d[at + l] = b[bOff + p * sP + (j0 + l) * sJ] as number;
      for (let l = w; l < 8; l++) d[at + l] = 0;
    }
  }
}

/**
 * Products with this many rows or more read B in panels (gemm_f32 copies it into them itself, as
 * assembly/gemm-f32.ts's PACK_ROWS): each panel is then read at least four times. Below it B is read
 * where it is. packed.ts prepares recurrent weights by the same rule; float32 A·Bᵀ packs Bᵀ once per
 * product by it (N·K copies against M·N·K multiply-adds), as the dot-product kernel's horizontal sums
 * are slower (a layer's input share X·W_ihᵀ, the head's h·W_hyᵀ). float64 keeps its order.
 */
export const PANEL_ROWS = 16;
let panels = -1; // the panels of Bᵀ, in WebAssembly memory
let panelsBytes = 0;

/** A·Bᵀ through panels of Bᵀ; a and c at byte addresses pa, pc in WebAssembly memory. */
function gemmNTPanels(
  k: WasmKernels,
  M: number,
  N: number,
  K: number,
  pa: number,
  b: FloatArray,
  bOff: number,
  pc: number,
  acc: number,
): void {
  const bytes = packedLength(K, N) * 4;
  if (bytes > panelsBytes) {
    if (panels >= 0) k.memory.release(panels);
    panelsBytes = Math.max(bytes, 2 * panelsBytes);
    panels = k.memory.alloc(panelsBytes);
  }
  packPanels(new Float32Array(k.memory.buffer(), panels, bytes / 4), K, N, b, bOff, 1, K); // Bᵀ(p, j) = b[j·K + p]
  packedProduct(k, M, N, K, pa, panels, pc, acc);
}

/** C (M, N) (+)= A (M, K) · B with B in panels (gemm_packed_f32), across the pool when large; byte addresses. */
export function packedProduct(
  k: WasmKernels,
  M: number,
  N: number,
  K: number,
  pa: number,
  pb: number,
  pc: number,
  acc: number,
): void {
  const pool = M * N * K >= THREADED_MIN ? threadPool(k) : null;
  if (pool) runBands(pool, 3, true, M, N, K, pa, K, 1, pb, pc, acc, 4, workOf(k));
  else k.exports.gemm_packed_f32(M, N, K, pa, K, 1, pb, 8 * K, pc, N, acc, workOf(k));
}

/** Makes the staging block at least `bytes` long. */
function reserveScratch(k: WasmKernels, bytes: number): void {
  if (bytes <= scratchBytes) return;
  if (scratch >= 0) k.memory.release(scratch);
  scratchBytes = Math.max(bytes, 2 * scratchBytes);
  scratch = k.memory.alloc(scratchBytes);
}

/** The address at scratch + slot where x[off … off+n) is staged for a kernel (copied in, if `copy`). */
function staged(k: WasmKernels, x: FloatArray, off: number, n: number, slot: number, copy: boolean): number {
  const at = scratch + slot;
  if (copy) {
    const buf = k.memory.buffer();
    const view = x instanceof Float32Array ? new Float32Array(buf, at, n) : new Float64Array(buf, at, n);
    view.set(x.subarray(off, off + n));
  }
  return at;
}

/** Runs a product in WebAssembly if it pays; false leaves it to TypeScript. */
function wasmGemm(
  k: WasmKernels,
  layout: Layout,
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  acc: boolean,
): boolean {
  const macs = M * N * K;
  const f32 = a instanceof Float32Array;
  if (f32 !== b instanceof Float32Array || f32 !== c instanceof Float32Array) return false;
  const mem = k.memory;
  const bufC = c.buffer;
  const ownC = mem.ownsBuffer(bufC);
  const ownA = a.buffer === bufC ? ownC : mem.owns(a); // operands of one workspace share a buffer
  const ownB = b.buffer === bufC ? ownC : mem.owns(b);
  const copies = !(ownA && ownB && ownC);
  if (copies && macs < COPY_MIN) return false;
  const size = f32 ? 4 : 8;
  const [nA, nB, nC] = [M * K, K * N, M * N];
  const slotB = Math.ceil((nA * size) / 64) * 64;
  const slotC = slotB + Math.ceil((nB * size) / 64) * 64;
  if (copies) reserveScratch(k, slotC + nC * size);
  const pa = ownA ? a.byteOffset + aOff * size : staged(k, a, aOff, nA, 0, true);
  const ntPanels = layout === 1 && f32 && M >= PANEL_ROWS; // B is read from b itself into panels
  const pb = ownB || ntPanels ? b.byteOffset + bOff * size : staged(k, b, bOff, nB, slotB, true);
  const pc = ownC ? c.byteOffset + cOff * size : staged(k, c, cOff, nC, slotC, acc);
  const e = k.exports;
  const flag = acc ? 1 : 0;
  const [sai, sap] = layout === 2 ? [1, M] : [K, 1]; // A(i, p) = a[i·sai + p·sap]
  const p = macs >= THREADED_MIN ? threadPool(k) : null;
  const work = workOf(k);
  if (ntPanels) gemmNTPanels(k, M, N, K, pa, b, bOff, pc, flag);
  else if (p) runBands(p, layout, f32, M, N, K, pa, sai, sap, pb, pc, flag, size, work);
  else if (layout === 1) (f32 ? e.gemm_nt_f32 : e.gemm_nt_f64)(M, N, K, pa, K, pb, K, pc, N, flag);
  else if (f32) e.gemm_f32(M, N, K, pa, sai, sap, pb, N, pc, N, flag, work);
  else e.gemm_f64(M, N, K, pa, sai, sap, pb, N, pc, N, flag);
  if (!ownC) {
    const buf = mem.buffer();
    c.set(f32 ? new Float32Array(buf, pc, nC) : new Float64Array(buf, pc, nC), cOff);
  }
  return true;
}

/**
 * One product split across the pool: bands of rows of C (multiples of 4), or of columns (multiples
 * of 8) when C has too few rows or is wider than tall. Arguments as the kernels take them, with byte
 * addresses; for B in panels (layout 3) `pb` is the first panel, 8·K floats apart.
 */
function runBands(
  p: ThreadPool,
  layout: Layout,
  f32: boolean,
  M: number,
  N: number,
  K: number,
  pa: number,
  sai: number,
  sap: number,
  pb: number,
  pc: number,
  acc: number,
  size: number,
  work: number,
): void {
  const op = layout === 3 ? 4 : (f32 ? 0 : 2) + (layout === 1 ? 1 : 0);
  const parts = p.size + 1;
  // columns when C is wide (an RNN's per-step product, B × 4H): each thread then packs only its own
  // columns of B, where bands of rows would each pack all of it
  const byRows = M >= 8 * parts && (M >= N || N < 16 * parts);
  const [extent, unit] = byRows ? [M, 4] : [N, 8];
  const step = Math.ceil(extent / parts / unit) * unit;
  p.run(
    op,
    parts,
    (k) => {
      const [from, to] = [k * step, Math.min(extent, (k + 1) * step)];
      if (from >= to) return null;
      const n = to - from;
      if (layout === 3) {
        return byRows
          ? [n, N, K, pa + from * sai * size, sai, sap, pb, 8 * K, pc + from * N * size, N, acc]
          : [M, n, K, pa, sai, sap, pb + from * K * size, 8 * K, pc + from * size, N, acc];
      }
      if (layout === 1) {
        return byRows
          ? [n, N, K, pa + from * K * size, K, pb, K, pc + from * N * size, N, acc]
          : [M, n, K, pa, K, pb + from * K * size, K, pc + from * size, N, acc];
      }
      return byRows
        ? [n, N, K, pa + from * sai * size, sai, sap, pb, N, pc + from * N * size, N, acc]
        : [M, n, K, pa, sai, sap, pb + from * size, N, pc + from * size, N, acc];
    },
    work,
  );
}

/** c[cOff…] (M, N) (+)= a[aOff…] (M, K) · b[bOff…] (K, N). */
export function gemmNN(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  acc: boolean,
): void {
  const k = kernelsInUse();
  if (k === null || M * N * K < WASM_MIN || !wasmGemm(k, 0, M, N, K, a, aOff, b, bOff, c, cOff, acc))
    tsGemmNN(M, N, K, a, aOff, b, bOff, c, cOff, acc);
}

/** c[cOff…] (M, N) (+)= a[aOff…] (M, K) · b[bOff…] (N, K)ᵀ. */
export function gemmNT(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  acc: boolean,
): void {
  const k = kernelsInUse();
  if (k === null || M * N * K < WASM_MIN || !wasmGemm(k, 1, M, N, K, a, aOff, b, bOff, c, cOff, acc))
    tsGemmNT(M, N, K, a, aOff, b, bOff, c, cOff, acc);
}

/** c[cOff…] (M, N) (+)= a[aOff…] (K, M)ᵀ · b[bOff…] (K, N). */
export function gemmTN(
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  acc: boolean,
): void {
  const k = kernelsInUse();
  if (k === null || M * N * K < WASM_MIN || !wasmGemm(k, 2, M, N, K, a, aOff, b, bOff, c, cOff, acc))
    tsGemmTN(M, N, K, a, aOff, b, bOff, c, cOff, acc);
}

// ---------------------------------------------------------------------------------------------
// Activations over a range: y[yOff … yOff+n) = f(x[xOff … xOff+n)); x and y may be the same array.

function wasmUnary(
  f: "tanh_f32" | "sigmoid_f32",
  x: FloatArray,
  xOff: number,
  y: FloatArray,
  yOff: number,
  n: number,
): boolean {
  const k = kernelsInUse();
  if (k === null || !(x instanceof Float32Array && y instanceof Float32Array)) return false;
  if (!(k.memory.owns(x) && k.memory.owns(y))) return false;
  k.exports[f](x.byteOffset + 4 * xOff, y.byteOffset + 4 * yOff, n);
  return true;
}

/** y = tanh(x) over n elements. */
export function tanhRange(x: FloatArray, xOff: number, y: FloatArray, yOff: number, n: number): void {
  if (wasmUnary("tanh_f32", x, xOff, y, yOff, n)) return;
  for (let i = 0; i < n; i++) y[yOff + i] = Math.tanh(x[xOff + i] as number);
}

/** y = σ(x) = 1 / (1 + e^(−x)) over n elements. */
export function sigmoidRange(x: FloatArray, xOff: number, y: FloatArray, yOff: number, n: number): void {
  if (wasmUnary("sigmoid_f32", x, xOff, y, yOff, n)) return;
  for (let i = 0; i < n; i++) y[yOff + i] = sigmoidScalar(x[xOff + i] as number);
}

// ---------------------------------------------------------------------------------------------
// Bias broadcasts over the R rows of a row-major (R, C) block, and their gradients.

/** The kernels, when x and y are WebAssembly arrays of one dtype; else null. */
function wasmPair(x: FloatArray, y: FloatArray): WasmKernels | null {
  const k = kernelsInUse();
  if (k === null || x instanceof Float32Array !== y instanceof Float32Array) return null;
  return k.memory.owns(x) && k.memory.owns(y) ? k : null;
}

/** z[zOff + r·C + j] += b[bOff + j] for every row r < R: a bias broadcast over the rows of z. */
export function addRowVectorAccumulate(
  z: FloatArray,
  zOff: number,
  R: number,
  C: number,
  b: FloatArray,
  bOff: number,
): void {
  const k = R * C >= 256 ? wasmPair(z, b) : null;
  if (k) {
    const size = z.BYTES_PER_ELEMENT;
    (size === 4 ? k.exports.add_rows_f32 : k.exports.add_rows_f64)(
      z.byteOffset + zOff * size,
      R,
      C,
      b.byteOffset + bOff * size,
    );
    return;
  }
  for (let r = 0; r < R; r++) {
    const o = zOff + r * C;
    for (let j = 0; j < C; j++) z[o + j] = (z[o + j] as number) + (b[bOff + j] as number);
  }
}

/** out[outOff + j] += Σ_r z[zOff + r·C + j], each column summed from 0 in row order: a bias gradient. */
export function sumRowsAccumulate(
  out: FloatArray,
  outOff: number,
  z: FloatArray,
  zOff: number,
  R: number,
  C: number,
): void {
  const k = R * C >= 256 ? wasmPair(z, out) : null;
  if (k) {
    const size = z.BYTES_PER_ELEMENT;
    (size === 4 ? k.exports.sum_rows_f32 : k.exports.sum_rows_f64)(
      out.byteOffset + outOff * size,
      z.byteOffset + zOff * size,
      R,
      C,
    );
    return;
  }
  for (let j = 0; j < C; j++) {
    let s = 0;
    for (let r = 0; r < R; r++) s += z[zOff + r * C + j] as number;
    out[outOff + j] = (out[outOff + j] as number) + s;
  }
}
