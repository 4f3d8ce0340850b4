import { Model } from "@unrolled/train";

// 200 arithmetic sequences of 3 to 6 values: a start, a step; predict each one's next value
const seqs = Array.from({ length: 200 }, (_, i) =>
  Array.from({ length: 4 + (i % 4) }, (_, t) => (i % 11) + ((i % 7) - 3) * t),
);
const xs = seqs.map((s) => s.slice(0, -1).map((v) => [v])); // number[][][]: sequences × steps × features
const ys = seqs.map((s) => [s.at(-1)]); // number[][]: one target vector per sequence

const model = new Model({ task: "regression", cell: "lstm", hiddenSize: 16 });
await model.fit(xs, ys, { epochs: 40, validationSplit: 0.1, seed: 0 });
console.log(
  model
    .predict([
      [[5], [6], [7]],
      [[6], [4], [2], [0]],
    ])
    .map(([v]) => v.toFixed(2)),
); // 8 and −2
