/** Random models of every shape the exporters must handle, and their float64 predictions. */
import { createRng, type FloatArray, tensor3 } from "@unrolled/linalg";
import {
  allocateParams,
  applyActivationInto,
  type CellKind,
  initParams,
  type ModelConfig,
  type ModelParams,
  modelConfig,
  modelForward,
} from "@unrolled/rnn-core";

export interface Variant {
  readonly name: string;
  readonly config: ModelConfig;
}

/** RNN (tanh, relu), LSTM and GRU; 1–2 layers; uni- and bidirectional; many-to-one and many-to-many; with and without bias; every head activation. */
export function variants(): Variant[] {
  const out: Variant[] = [];
  const cells: CellKind[] = ["rnn", "lstm", "gru"];
  for (const cell of cells) {
    const base = { cell, inputSize: 3, hiddenSize: 5 };
    const add = (name: string, c: Partial<ModelConfig> & { head: ModelConfig["head"] }) =>
      out.push({ name: `${cell} ${name}`, config: modelConfig({ ...base, ...c }) });
    add("1 layer, many-to-one, identity", { head: { outputSize: 2, activation: "identity" } });
    add("2 layers, many-to-many, softmax", {
      numLayers: 2,
      returnSequences: true,
      head: { outputSize: 4, activation: "softmax" },
    });
    add("bidirectional, many-to-one, sigmoid", { bidirectional: true, head: { outputSize: 1, activation: "sigmoid" } });
    add("2 layers bidirectional, many-to-many, no bias", {
      numLayers: 2,
      bidirectional: true,
      bias: false,
      returnSequences: true,
      head: { outputSize: 2, activation: "identity" },
    });
  }
  out.push({
    name: "rnn relu, 3 layers, many-to-many",
    config: modelConfig({
      inputSize: 2,
      hiddenSize: 4,
      numLayers: 3,
      nonlinearity: "relu",
      returnSequences: true,
      head: { outputSize: 1, activation: "identity" },
    }),
  });
  return out;
}

export function randomModel(config: ModelConfig, seed: number): ModelParams {
  return initParams(allocateParams(config), { rng: createRng(seed), scheme: "pytorch" });
}

export function randomInput(B: number, T: number, D: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: B * T * D }, () => rng.normal());
}

/** What `unrolled predict` prints: outputs after the head's activation, (B, T, O) or (B, O) flat. */
export function predict(p: ModelParams, x: Float64Array, B: number, T: number, lengths?: number[]): FloatArray {
  const { y } = modelForward(p, tensor3(B, T, p.config.inputSize, x), lengths ? { lengths } : {});
  applyActivationInto(p.config.head.activation, y, y);
  return y.data;
}
