/**
 * The WebAssembly SIMD kernels behind @unrolled/linalg's fast path, in AssemblyScript. Compiled at
 * build time by scripts/build-wasm.mjs into src/backend/kernels.generated.ts. The TypeScript kernels
 * (src/gemm.ts, src/activations.ts) are the readable reference and the fallback.
 */

export { sigmoid_f32, tanh_f32 } from "./activations";
export { rnn_backward_f32, rnn_forward_f32 } from "./elman";
export {
  gru_backward_f32,
  gru_forward_f32,
  gru_step_backward_f32,
  gru_step_forward_f32,
  lstm_backward_f32,
  lstm_forward_f32,
  lstm_step_backward_f32,
  lstm_step_forward_f32,
} from "./gates";
export { gemm_f32, gemm_nt_f32 } from "./gemm-f32";
export { gemm_f64, gemm_nt_f64 } from "./gemm-f64";
export { gemm_packed_f32 } from "./gemm-packed-f32";
export { add_rows_f32, add_rows_f64, sum_rows_f32, sum_rows_f64 } from "./rows";
