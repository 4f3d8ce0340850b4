/**
 * googl-rnn.txt — GOOGL's next opening price from the previous 50 (2020-04 … 2023-03).
 *
 * The tutorial's gradients are wrong almost everywhere, it refits its scaler on the test data, and it
 * never says that "tomorrow's open = today's open" is hard to beat on a random-walk-like price. Here:
 * its setup with correct gradients and the scaler fitted on training rows only, the preset's defaults,
 * and the honest comparison — the ratio to persistence is the number that matters.
 *   pnpm --filter @unrolled/examples googl [--epochs N]
 */
import { readDataset } from "@unrolled/datasets/node";
import { presetByName, type RegressionMetrics } from "@unrolled/train";
import { options, printTable, save, train } from "./lib.js";

const { epochs, out } = options();
const { text } = await readDataset("googl");
const preset = presetByName("googl");
const tutorial = await train(preset.prepare(text, preset.tutorialConfig), preset.tutorialConfig, epochs);
const tuned = await train(preset.prepare(text, preset.defaults), preset.defaults, epochs);
printTable("googl: tomorrow's opening price, $", [
  ["the tutorial's setup (H=50, SGD)", tutorial.report],
  ["the preset's defaults", tuned.report],
]);
const rmse = (m: unknown) => (m as RegressionMetrics).rmse;
const persistence = rmse(tuned.report.baselines.persistence);
for (const [label, r] of [
  ["tutorial", tutorial.report],
  ["defaults", tuned.report],
] as const)
  console.log(`${label}: test RMSE = ${(rmse(r.metrics.test) / persistence).toFixed(3)} × persistence's`);
save(out, "googl", tuned.params, tuned.sections);
