/**
 * min-temp-rnn.txt — tomorrow's minimum temperature in Melbourne (1981–1990) from the days before, with
 * a lesson on weight initialisation, gradient clipping and early stopping.
 *
 * The tutorial compares init schemes on a look-back of one day, but its output layer never trains (its
 * gradient is computed and dropped), its "Xavier" is He's formula, and it early-stops on the test set.
 * Here: the tutorial's setup with those fixed, then the preset's defaults under four initialisers
 * (seeded, so each row is reproducible), all with early stopping on the validation split only.
 *   pnpm --filter @unrolled/examples min-temp [--epochs N]
 */
import { readDataset } from "@unrolled/datasets/node";
import type { InitScheme } from "@unrolled/rnn-core";
import { presetByName, type TrainReport } from "@unrolled/train";
import { options, printTable, save, train } from "./lib.js";

const { epochs, out } = options();
const { text } = await readDataset("min-temp");
const preset = presetByName("min-temp");

const runs: [string, TrainReport][] = [];
const tutorial = await train(preset.prepare(text, preset.tutorialConfig), preset.tutorialConfig, epochs);
runs.push(["the tutorial's setup (H=256, look-back 1, clip 1)", tutorial.report]);
let best = tutorial;
for (const initScheme of ["pytorch", "xavier-uniform", "orthogonal", "normal"] as InitScheme[]) {
  const cfg = { ...preset.defaults, initScheme, clipNorm: 1 }; // clipping keeps an unlucky init from blowing up
  const r = await train(preset.prepare(text, cfg), cfg, epochs);
  runs.push([`defaults, init ${initScheme}, best epoch ${r.report.bestEpoch ?? "-"}`, r.report]);
  if ((r.report.metrics.valid as { mse: number }).mse < (best.report.metrics.valid as { mse: number }).mse) best = r;
}
printTable("min-temp: tomorrow's minimum, °C", runs);
save(out, "min-temp", best.params, best.sections); // chosen on validation, never on test
