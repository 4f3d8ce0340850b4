/**
 * Which kernels run: the WebAssembly ones where they load (and are not switched off), else the
 * TypeScript ones; how many threads large products may use; and memory the WebAssembly kernels can
 * address. kernels.ts asks `kernelsInUse()` on every call.
 */
import { ConfigError } from "../errors.js";
import type { DType, FloatArray } from "../matrix.js";
import { startThreads, type ThreadPool } from "./threads.js";
import { loadWasmKernels, type WasmKernels } from "./wasm.js";

export type BackendName = "wasm" | "js";

let wasm: WasmKernels | null | undefined; // undefined until first use
let unavailable = ""; // why wasm could not load, if it could not
let active: WasmKernels | null = null; // the kernels in use; null = TypeScript

/** The WebAssembly kernels in use, or null when TypeScript runs (loads them on first use). */
export function kernelsInUse(): WasmKernels | null {
  return wasm === undefined ? init() : active;
}

function init(): WasmKernels | null {
  if (wasm === undefined) {
    const { kernels, reason } = loadWasmKernels();
    wasm = kernels;
    unavailable = reason;
    active = kernels;
  }
  return active;
}

let threads = defaultThreads(); // threads for large products, the caller's included
let pool: ThreadPool | null | undefined; // undefined until a product needs it

function defaultThreads(): number {
  const g = globalThis as {
    navigator?: { hardwareConcurrency?: number };
    process?: { getBuiltinModule?: (id: string) => unknown };
  };
  const os = g.process?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
  const cores = os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(4, cores));
}

/**
 * How many threads large WebAssembly products may use, this one included (default: the cores, at
 * most 4). 1 keeps everything on the calling thread. Results do not depend on it.
 */
export function setThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`setThreads: expected an integer ≥ 1, got ${n}`);
  pool?.stop();
  pool = undefined;
  threads = n;
}

/** The helper threads, started on first need; null when there are none. */
export function threadPool(k: WasmKernels): ThreadPool | null {
  if (pool === undefined) pool = threads > 1 ? startThreads(k, threads - 1) : null;
  return pool;
}

/** Selects the backend for every later call; "wasm" throws a ConfigError where it cannot load. */
export function setBackend(name: BackendName): void {
  init();
  if (name === "js") active = null;
  else if (name === "wasm") {
    if (!wasm) throw new ConfigError(`the wasm backend is unavailable here: ${unavailable}`);
    active = wasm;
  } else throw new ConfigError(`unknown backend ${JSON.stringify(name)}, expected "wasm" or "js"`);
}

/** The backend in use, and why WebAssembly is not, if it is not available. */
export function backendInfo(): {
  name: BackendName;
  wasmAvailable: boolean;
  /** The relaxed-SIMD kernels are in use: float32 products with fused multiply-add. */
  fma: boolean;
  reason: string;
  wasmBytes: number;
  threads: number;
  helperBands: number;
} {
  const k = init();
  return {
    name: k ? "wasm" : "js",
    wasmAvailable: wasm !== null,
    fma: k?.fma ?? false,
    reason: unavailable,
    wasmBytes: wasm ? wasm.memory.byteLength : 0,
    threads: k ? threads : 1,
    helperBands: pool?.helped ?? 0,
  };
}

/**
 * A zeroed array of n elements, inside WebAssembly memory when the wasm backend is active (so the
 * fast kernels can address it), else an ordinary typed array. Pair with releaseFast().
 */
export function allocFast(dtype: "float32", n: number): Float32Array;
export function allocFast(dtype: "float64", n: number): Float64Array;
export function allocFast(dtype: DType, n: number): FloatArray;
export function allocFast(dtype: DType, n: number): FloatArray {
  const k = init();
  if (!k) return dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  const bytes = dtype === "float32" ? 4 : 8;
  const start = k.memory.alloc(n * bytes);
  const buf = k.memory.buffer();
  return dtype === "float32" ? new Float32Array(buf, start, n) : new Float64Array(buf, start, n);
}

/** Gives an array from allocFast() back; it must not be used afterwards. Other arrays are ignored. */
export function releaseFast(data: FloatArray): void {
  if (wasm?.memory.owns(data)) wasm.memory.release(data.byteOffset);
}
