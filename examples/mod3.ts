/**
 * mod3-rnn.txt — read a sequence of numbers in {0, 1, 2} and, at every step, say the next one mod 3.
 *
 * The tutorial's hand-written backward gets U, W and the bias wrong, and it trains on 10 sequences.
 * Here the same task (one-hot digits in, a softmax over {0, 1, 2} out at every step) is trained with
 * the tutorial's setup and with the preset's, and then the model reads a sequence you can check by hand.
 *   pnpm --filter @unrolled/examples mod3 [--epochs N]
 */
import { tensor3 } from "@unrolled/linalg";
import { applyActivationInto, modelForward } from "@unrolled/rnn-core";
import { presetByName } from "@unrolled/train";
import { options, printTable, save, train } from "./lib.js";

const { epochs, out } = options();
const preset = presetByName("mod3"); // its sequences are generated from the seed: no file needed
const tutorial = await train(preset.prepare(null, preset.tutorialConfig), preset.tutorialConfig, epochs);
const tuned = await train(preset.prepare(null, preset.defaults), preset.defaults, epochs);
printTable("mod3: (x + 1) mod 3 at every step", [
  ["the tutorial's setup (10 sequences), correct gradients", tutorial.report],
  ["the preset's defaults (1,000 sequences)", tuned.report],
]);

// One sequence to check by hand: inputs are one-hot numbers, the answer at each step is (x + 1) mod 3.
const xs = [1, 2, 2, 0, 1, 1, 2, 0, 0, 1];
const x = tensor3(1, xs.length, 3, new Float64Array(xs.length * 3)); // (B=1, T=10, D=3)
for (const [t, v] of xs.entries()) x.data[t * 3 + v] = 1;
const { y } = modelForward(tuned.params, x); // (B·T, 3) logits
applyActivationInto("softmax", y, y);
const argmax = (t: number) =>
  [0, 1, 2].reduce((b, k) => ((y.data[t * 3 + k] as number) > (y.data[t * 3 + b] as number) ? k : b));
console.log(`\nx            ${xs.join(" ")}\n(x + 1) % 3  ${xs.map((v) => (v + 1) % 3).join(" ")}`);
console.log(`predicted    ${xs.map((_, t) => argmax(t)).join(" ")}`);
save(out, "mod3", tuned.params, tuned.sections);
