import * as tf from "@tensorflow/tfjs";
import { label, test, train } from "./data.mjs";

const T = Math.max(...train.map((s) => s.length), ...test.map((s) => s.length));
const pad = (s) => [...s.map(([b]) => [b]), ...Array.from({ length: T - s.length }, () => [-1])]; // -1 marks padding
const model = tf.sequential();
model.add(tf.layers.masking({ maskValue: -1, inputShape: [T, 1] }));
model.add(tf.layers.lstm({ units: 16 }));
model.add(tf.layers.dense({ units: 2, activation: "softmax" }));
model.compile({ optimizer: tf.train.adam(0.01), loss: "sparseCategoricalCrossentropy" });
await model.fit(tf.tensor3d(train.map(pad)), tf.tensor1d(train.map(label)), {
  epochs: 8,
  validationSplit: 0.1,
  verbose: 0,
});
const predicted = model
  .predict(tf.tensor3d(test.map(pad)))
  .argMax(-1)
  .dataSync();
console.log(predicted.filter((c, i) => c === label(test[i])).length / test.length);
