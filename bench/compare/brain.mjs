import brain from "brain.js-2";
import { label, test, train } from "./data.mjs";

const net = new brain.recurrent.LSTM({ hiddenLayers: [16] });
net.train(
  train.map((s) => ({ input: s.map(([b]) => b).join(""), output: String(label(s)) })),
  { iterations: 200 },
);
const right = test.filter((s) => net.run(s.map(([b]) => b).join("")) === String(label(s))).length;
console.log(right / test.length);
