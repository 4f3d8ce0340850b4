import { decodeSafetensors, exportOnnx, importOnnx, modelToSafetensors } from "@unrolled/interop";
import { createRng } from "@unrolled/linalg";
import { allocateParams, initParams, modelConfig } from "@unrolled/rnn-core";

const head = { outputSize: 1, activation: "identity" } as const;
const config = modelConfig({ cell: "gru", inputSize: 3, hiddenSize: 8, head });
const p = initParams(allocateParams(config), { rng: createRng(0) });
const onnx = exportOnnx(p); // bytes for ONNX Runtime: x (batch, seq, 3) → y (batch, 1)
console.log(onnx.length, importOnnx(onnx).params.config.cell);
console.log([...decodeSafetensors(modelToSafetensors(p)).tensors.keys()].join(" "));
