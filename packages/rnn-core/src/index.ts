export {
  CELL_KINDS,
  type CellKind,
  directions,
  type HeadActivation,
  type HeadConfig,
  LIMITS,
  type ModelConfig,
  modelConfig,
  type Nonlinearity,
  validateConfig,
} from "./config.js";
export {
  loadModel,
  MODEL_FORMAT,
  MODEL_SECTIONS,
  MODEL_VERSION,
  type ModelFile,
  type ModelSections,
  serializeModel,
  type TensorJson,
  toModelFile,
} from "./format/model-file.js";
export { type GruStepCache, gruCellBackward, gruCellForward } from "./gru/gru-cell.js";
export { type GruSequenceCache, gruSequenceBackward, gruSequenceForward } from "./gru/gru-sequence.js";
export { type LstmStepCache, lstmCellBackward, lstmCellForward } from "./lstm/lstm-cell.js";
export { type LstmSequenceCache, lstmSequenceBackward, lstmSequenceForward } from "./lstm/lstm-sequence.js";
export { SEQUENCES, type SequenceCache, type SequenceKernel } from "./model/cells.js";
export { applyActivationInto, headBackward, headForward } from "./model/head.js";
export {
  type BackpropResult,
  backprop,
  LOSS_KINDS,
  type LossKind,
  type LossSpec,
  lossAndGradient,
  lossOfParams,
  type Target,
} from "./model/loss.js";
export {
  type BackwardResult,
  type ForwardOptions,
  type ForwardResult,
  type ModelCache,
  modelBackward,
  modelForward,
} from "./model/model.js";
export { initialState, modelStep, type StepState } from "./model/step.js";
export { reverseTime, toBatchFirst, toTimeMajor } from "./model/time-major.js";
export { INIT_SCHEMES, type InitOptions, type InitScheme, initParams, orthogonalInto } from "./params/init.js";
export {
  allocateParams,
  type CellParams,
  castParams,
  cellAt,
  cloneParams,
  type HeadParams,
  type ModelParams,
  paramSlots,
  paramsFromFlat,
  type SpecSlot,
  zeroGrads,
  zerosLikeParams,
} from "./params/params.js";
export { countParams, GATES, hiddenSizeForBudget, type ParamSpec, paramSpec } from "./params/spec.js";

export { phiBackwardInto, phiInto } from "./rnn/nonlinearity.js";
export { type RnnStepCache, rnnCellBackward, rnnCellForward } from "./rnn/rnn-cell.js";
export {
  type BackwardOptions,
  type RnnSequenceCache,
  rnnSequenceBackward,
  rnnSequenceForward,
} from "./rnn/rnn-sequence.js";
export { inputProjectionBackward, inputProjectionInto } from "./shared/projection.js";
