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
export {
  add,
  addInto,
  addRowVector,
  addRowVectorInto,
  axpy,
  axpyAccumulate,
  hadamard,
  hadamardAccumulate,
  hadamardInto,
  scale,
  scaleInto,
  sub,
  subInto,
  sumAll,
  sumRows,
  sumRowsAccumulate,
} from "./elementwise.js";
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
export { tsGemmNN, tsGemmNT, tsGemmTN } from "./gemm.js";
export { addToRows, gemmNN, gemmNT, gemmTN, sigmoidRange, sumRowsInto, tanhRange } from "./kernels.js";
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
export { gatherColumns, oneHotRows, scatterColumnsAccumulate } from "./onehot.js";
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
export { choleskyInPlace, leastSquares, predictLinear, solveSpd } from "./solve.js";
export { fromNested3, slice2d, type Tensor3, tensor3, toNested3, zeros3 } from "./tensor3.js";
