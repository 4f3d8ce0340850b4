export { exportOnnx, ONNX_IR_VERSION, ONNX_OPSET, type OnnxExportOptions } from "./onnx/export.js";
export { ONNX_ACTIVATION, ONNX_FROM_TORCH, ONNX_OP, permuteGates } from "./onnx/gates.js";
export { importOnnx } from "./onnx/import.js";
export {
  CONFIG_KEY,
  modelFromSafetensors,
  modelToSafetensors,
  PART_KEY,
  partTensors,
  type SafetensorsExportOptions,
  type SafetensorsPart,
  SECTIONS_KEY,
} from "./safetensors/model.js";
export {
  type DecodedTensor,
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER as SAFETENSORS_MAX_HEADER,
  type NamedTensor,
  type Safetensors,
  type SafetensorsDType,
} from "./safetensors/safetensors.js";
