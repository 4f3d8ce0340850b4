import { createRng, tensor3 } from "@unrolled/linalg";
import { allocateParams, backprop, initParams, modelConfig, zerosLikeParams } from "@unrolled/rnn-core";

const H = Number(process.argv[2] ?? 128),
  B = 32,
  T = 100,
  V = 65;
for (const dtype of ["float64", "float32"] as const) {
  const c = modelConfig({
    inputSize: V,
    hiddenSize: H,
    returnSequences: true,
    head: { outputSize: V, activation: "softmax" },
  });
  const p = initParams(allocateParams(c, dtype), { rng: createRng(0) });
  const rng = createRng(1);
  const x = tensor3(B, T, V, dtype === "float32" ? new Float32Array(B * T * V) : new Float64Array(B * T * V));
  const y = new Int32Array(B * T);
  for (let i = 0; i < B * T; i++) {
    x.data[i * V + rng.int(0, V)] = 1;
    y[i] = rng.int(0, V);
  }
  const g = zerosLikeParams(p);
  for (let w = 0; w < 2; w++) backprop(p, x, y, { kind: "ce" }, g);
  const t0 = performance.now();
  const n = 5;
  for (let i = 0; i < n; i++) backprop(p, x, y, { kind: "ce" }, g);
  const ms = (performance.now() - t0) / n;
  const flops = 3 * 2 * B * T * (V * H + H * H + H * V);
  console.log(
    `${dtype} H=${H}: ${ms.toFixed(0)} ms/batch, ${(flops / ms / 1e6).toFixed(2)} GFLOP/s (dense-equivalent)`,
  );
}
