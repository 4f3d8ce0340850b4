/**
 * Loads the WebAssembly SIMD kernels (assembly/, compiled at build time) over a shared memory: the
 * relaxed-SIMD build (float32 products with fused multiply-add) where the engine accepts it —
 * Chromium since 114; Node 20 after enableRelaxedSimd() — else the plain-SIMD build. Returns null
 * where WebAssembly, SIMD or shared memory is missing (a browser page that is not cross-origin
 * isolated, say); the TypeScript kernels then run instead.
 */
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from "./kernels.generated.js";
import { LinearMemory, type WasmMemory } from "./memory.js";

/** The part of the WebAssembly JS API used here (the ES2022 library the packages compile against does not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  validate(bytes: Uint8Array): boolean;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** The WebAssembly object of this platform, if it has one. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

type Gemm = (
  M: number,
  N: number,
  K: number,
  a: number,
  sai: number,
  sap: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  acc: number,
) => void;
/** gemm_f32 also takes `work`: GEMM_WORK_BYTES of its own thread's memory for packed copies (threads.ts). */
type GemmF32 = (...args: [...Parameters<Gemm>, work: number]) => void;
type GemmNT = (
  M: number,
  N: number,
  K: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  acc: number,
) => void;
type Unary = (x: number, y: number, n: number) => void;
type Rows = (p: number, q: number, R: number, C: number) => void;

export interface WasmExports {
  readonly gemm_f32: GemmF32;
  /** gemm_f32 with B in panels (assembly/gemm-packed-f32.ts): `ldb` is then the distance between panels. */
  readonly gemm_packed_f32: GemmF32;
  readonly gemm_nt_f32: GemmNT;
  readonly gemm_f64: Gemm;
  readonly gemm_nt_f64: GemmNT;
  readonly tanh_f32: Unary;
  readonly sigmoid_f32: Unary;
  readonly add_rows_f32: (z: number, R: number, C: number, b: number) => void;
  readonly add_rows_f64: (z: number, R: number, C: number, b: number) => void;
  readonly sum_rows_f32: Rows;
  readonly sum_rows_f64: Rows;
  // the gated cells' elementwise step (pointers, then Bt and H), and whole steps (assembly/gates.ts)
  readonly lstm_forward_f32: (...args: number[]) => void;
  readonly lstm_backward_f32: (...args: number[]) => void;
  readonly gru_forward_f32: (...args: number[]) => void;
  readonly gru_backward_f32: (...args: number[]) => void;
  readonly lstm_step_forward_f32: (...args: number[]) => void;
  readonly lstm_step_backward_f32: (...args: number[]) => void;
  readonly gru_step_forward_f32: (...args: number[]) => void;
  readonly gru_step_backward_f32: (...args: number[]) => void;
  // a small Elman layer's whole recurrence, forward and backward (assembly/elman.ts)
  readonly rnn_forward_f32: (T: number, B: number, H: number, a: number, hs: number, Wt: number, phi: number) => void;
  readonly rnn_backward_f32: (...args: number[]) => void;
}

export interface WasmKernels {
  readonly exports: WasmExports;
  readonly memory: LinearMemory;
  readonly module: object;
  /** The relaxed-SIMD build: float32 products use fused multiply-add. */
  readonly fma: boolean;
}

/** The smallest module that uses relaxed SIMD (f32x4.relaxed_madd): whether the engine accepts the feature. */
const RELAXED_PROBE = new Uint8Array([
  ...[0, 97, 115, 109, 1, 0, 0, 0], // "\0asm", version 1
  ...[1, 8, 1, 96, 3, 123, 123, 123, 1, 123], // one type: (v128, v128, v128) → v128
  ...[3, 2, 1, 0], // one function of that type
  ...[10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11], // local.get 0, 1, 2; f32x4.relaxed_madd; end
]);

/** Whether this engine runs relaxed-SIMD modules. */
export function relaxedSimdSupported(): boolean {
  const api = wasmApi();
  try {
    return api?.validate(RELAXED_PROBE) === true;
  } catch {
    return false;
  }
}

/**
 * Node only: turns on V8's relaxed SIMD where it is behind a flag (Node 20), so that kernels loaded
 * afterwards use fused multiply-add. Call before the first product; returns whether it is on. A
 * no-op in browsers and where the engine has it already.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdSupported()) return true;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const v8 = proc?.getBuiltinModule?.("node:v8") as { setFlagsFromString?: (flags: string) => void } | undefined;
  v8?.setFlagsFromString?.("--experimental-wasm-relaxed-simd");
  return relaxedSimdSupported();
}

/** Reserved address space: 1 GiB, else 256 MiB where a platform refuses that much. */
const MAX_PAGES = [16384, 4096];

function decode(base64: string): Uint8Array {
  const s = atob(base64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/** Compiles and instantiates the kernels synchronously; null (with the reason) if this platform cannot. */
export function loadWasmKernels(): { kernels: WasmKernels | null; reason: string } {
  const api = wasmApi();
  if (api === undefined) return { kernels: null, reason: "no WebAssembly" };
  let module: object;
  const fma = relaxedSimdSupported();
  try {
    module = new api.Module(decode(fma ? KERNELS_RELAXED_WASM_BASE64 : KERNELS_WASM_BASE64));
  } catch (e) {
    return { kernels: null, reason: `WebAssembly SIMD unavailable (${(e as Error).message})` };
  }
  for (const maximum of MAX_PAGES) {
    try {
      const memory = new api.Memory({ initial: 2, maximum, shared: true });
      const instance = new api.Instance(module, {
        env: {
          memory,
          abort: () => {
            throw new Error("unrolled wasm kernel aborted");
          },
        },
      });
      const exports = instance.exports as unknown as WasmExports;
      return { kernels: { exports, memory: new LinearMemory(memory, maximum), module, fma }, reason: "" };
    } catch (e) {
      if (maximum === MAX_PAGES[MAX_PAGES.length - 1]) {
        return { kernels: null, reason: `shared WebAssembly memory unavailable (${(e as Error).message})` };
      }
    }
  }
  return { kernels: null, reason: "unreachable" };
}
