import { createRng } from "@unrolled/linalg";
import { Model } from "@unrolled/train";

// bit strings of 5 to 30 bits: does a string hold more ones than zeros?
const rng = createRng(1);
const strings = Array.from({ length: 1000 }, () => Array.from({ length: rng.int(5, 31) }, () => [rng.int(0, 2)]));
const label = (s) => (2 * s.filter(([bit]) => bit === 1).length > s.length ? 1 : 0);
const [train, test] = [strings.slice(0, 800), strings.slice(800)];
const model = new Model({ task: "classification", hiddenSize: 16 });
await model.fit(train, train.map(label), { epochs: 8, validationSplit: 0.1, seed: 0 });
const right = model.classify(test).filter((c, i) => c === label(test[i])).length;
console.log(`held-out accuracy: ${((100 * right) / test.length).toFixed(1)} %`);
