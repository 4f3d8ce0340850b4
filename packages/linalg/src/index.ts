// @unrolled/linalg has two tiers (README "Two tiers").
//
// The checked tier — for users: functions over Matrix / Tensor3 that validate shapes and dtypes and
// throw typed errors naming the argument; they allocate, or write `…Into` an output, or add
// `…Accumulate` into one.
export {
  relu,
  reluBackward,
  reluBackwardInto,
  reluInto,
  sigmoid,
  sigmoidBackward,
  sigmoidBackwardInto,
  sigmoidInto,
  sigmoidScalar,
  tanh,
  tanhBackward,
  tanhBackwardInto,
  tanhInto,
} from "./activations.js";
export {
  allocFast,
  type BackendName,
  backendInfo,
  releaseFast,
  setBackend,
  setThreads,
} from "./backend/select.js";
export { enableRelaxedSimd, relaxedSimdSupported } from "./backend/wasm.js";
export { type ElmanPhi, elmanBackward, elmanForward } from "./elman.js";
export {
  ConfigError,
  DataError,
  DTypeError,
  type ErrorCode,
  FormatError,
  NonFiniteError,
  ShapeError,
  UnrolledError,
} from "./errors.js";
export {
  type GruStepBuffers,
  gruStepBackward,
  gruStepForward,
  type LstmStepBuffers,
  lstmStepBackward,
  lstmStepForward,
} from "./gates.js";
export { assertJsonDepth, jsonDepth, MAX_JSON_DEPTH, parseJson } from "./json.js";
// The kernel tier — for rnn-core's hot loops: unchecked functions over flat arrays with an offset
// into each, on buffers the caller has already laid out (kernels.ts, onehot.ts). The gemms take
// `acc` (false overwrites, true adds), as BLAS takes β.
export {
  addRowVectorAccumulate,
  gemmNN,
  gemmNT,
  gemmTN,
  sigmoidRange,
  sumRowsAccumulate,
  tanhRange,
} from "./kernels.js";
export {
  matmul,
  matmulAccumulate,
  matmulInto,
  matmulTransA,
  matmulTransAAccumulate,
  matmulTransAInto,
  matmulTransB,
  matmulTransBAccumulate,
  matmulTransBInto,
} from "./matmul.js";
export { matmulNaive, matmulTransANaive, matmulTransBNaive } from "./matmul-naive.js";
export {
  allocArray,
  allocLike,
  assertSameDType,
  assertSameShape,
  assertShape,
  clone,
  copyInto,
  type DType,
  dtypeOf,
  type FloatArray,
  fill,
  fromArray,
  fromRows,
  full,
  Matrix,
  reshape,
  rowsView,
  rowView,
  type Shaped,
  toRows,
  transposeInto,
  zeros,
  zerosLike,
} from "./matrix.js";
export { allFinite, dot, frobeniusNorm, maxAbs, maxAbsDiff, vectorNorm } from "./norms.js";
export { gatherColumnsInto, scatterColumnsAccumulate } from "./onehot.js";
export { gemmPacked, type PackedRight, packedLength, packedRight, packRight } from "./packed.js";
export { createRng, Rng, type RngState } from "./rng.js";
export {
  logSoftmaxRows,
  logSoftmaxRowsInto,
  rowLogSumExp,
  softmaxRows,
  softmaxRowsBackward,
  softmaxRowsBackwardInto,
  softmaxRowsInto,
} from "./softmax.js";
export {
  choleskyInPlace,
  leastSquares,
  leastSquaresRows,
  predictLinear,
  predictLinearRows,
  type Rows,
  rowsOf,
  solveSpd,
} from "./solve.js";
export { fromNested3, slice2d, type Tensor3, tensor3, toNested3, zeros3 } from "./tensor3.js";
