import { Model } from "@unrolled/train";
import { label, test, train } from "./data.mjs";

const model = new Model({ task: "classification", hiddenSize: 16 });
await model.fit(train, train.map(label), { epochs: 8, validationSplit: 0.1, seed: 0 });
const right = model.classify(test).filter((c, i) => c === label(test[i])).length;
console.log(right / test.length);
