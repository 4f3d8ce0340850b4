import { createRng, fromArray, fromNested3 } from "@unrolled/linalg";
import { allocateParams, backprop, initParams, modelConfig, zerosLikeParams } from "@unrolled/rnn-core";

const config = modelConfig({ inputSize: 1, hiddenSize: 8, head: { outputSize: 1, activation: "identity" } });
const p = initParams(allocateParams(config), { rng: createRng(0) }); // PyTorch's default init, seeded
const x = fromNested3([[[0.1], [0.2], [0.3]]]); // (B=1, T=3, D=1); many-to-one: predict the next value
const grads = zerosLikeParams(p); // the caller owns (and zeroes) the gradient buffers
const r = backprop(p, x, fromArray([0.4], 1, 1), { kind: "mse" }, grads);
console.log(r.loss.toFixed(6), grads.tensors.get("rnn.weight_hh_l0")?.shape);
console.log(r.hiddenGradNorms[0]?.map((n) => n.toFixed(4)).join(" ")); // ‖∂L/∂hₜ‖, t = 0, 1, 2
