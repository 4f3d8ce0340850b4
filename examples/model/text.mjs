import { readDataset } from "@unrolled/datasets/node";
import { Model } from "@unrolled/train";

const { text } = await readDataset("shakespeare"); // Tiny Shakespeare, checksummed (downloaded once)
const model = new Model({ task: "text", hiddenSize: 64 });
await model.fit(text.slice(0, 200_000), { epochs: 2, seed: 0 });
console.log(`ROMEO:${model.generate({ length: 160, prime: "ROMEO:", temperature: 0.7, seed: 1 })}`);
