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
export { gruBackward, gruForward } from "./gru/gru.js";
export { lstmBackward, lstmForward } from "./lstm/lstm.js";
export { sequenceBackward, sequenceForward } from "./model/cells.js";
export { applyActivationInto, headBackward, headForwardInto } from "./model/head.js";
export {
  type BackpropResult,
  backprop,
  LOSS_KINDS,
  type LossKind,
  type LossSpec,
  lossAndGradient,
  lossOfParams,
  maskPadding,
  type Target,
} from "./model/loss.js";
export {
  type BackwardResult,
  type ForwardOptions,
  type ForwardResult,
  isTokenBatch,
  type ModelCache,
  type ModelInput,
  modelBackward,
  modelForward,
  type TokenBatch,
} from "./model/model.js";
export { initialState, modelStep, type StepState } from "./model/step.js";
export {
  type BatchRows,
  type Carved,
  createSequence,
  type HeadDropoutBuffers,
  type LayerBuffers,
  Workspace,
  workspaceElements,
  workspaceFor,
} from "./model/workspace.js";
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

export { phiBackward, phiRange } from "./rnn/nonlinearity.js";
export { rnnBackward, rnnForward } from "./rnn/rnn.js";
export { projectInputs, projectInputsBackward } from "./shared/projection.js";
export {
  type BackwardOptions,
  type GruSequence,
  type LstmSequence,
  type RnnSequence,
  type Sequence,
  type SequenceInput,
  truncation,
} from "./shared/sequence.js";
