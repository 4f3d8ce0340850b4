/**
 * sine-rnn.txt — the next value of sin(t) from the previous 50, trained with truncated BPTT.
 *
 * The tutorial's hand-written truncated backward is wrong almost everywhere (checked by finite
 * differences), so its network learns little. Here: its setup (sigmoid units, no bias, U(0, 1) init,
 * gradients cut every 5 steps) with correct gradients, the preset's defaults with full BPTT and with
 * truncation at 5 and 10 steps, and then a 30-step forecast fed back on itself.
 *   pnpm --filter @unrolled/examples sine [--epochs N]
 */
import { sineSeries } from "@unrolled/datasets";
import { forecastSeries, presetByName, readPreprocessing, type TrainReport } from "@unrolled/train";
import { options, printTable, save, train } from "./lib.js";

const { epochs, out } = options();
const preset = presetByName("sine"); // generated data: sin(0 … 199)

const runs: [string, TrainReport][] = [];
const tutorial = await train(preset.prepare(null, preset.tutorialConfig), preset.tutorialConfig, epochs);
runs.push(["the tutorial's setup (tbptt 5), correct gradients", tutorial.report]);
const full = await train(preset.prepare(null, preset.defaults), preset.defaults, epochs);
runs.push(["defaults, full BPTT over 50 steps", full.report]);
for (const k of [10, 5]) {
  const cfg = { ...preset.defaults, truncate: k };
  runs.push([`defaults, truncated BPTT k=${k}`, (await train(preset.prepare(null, cfg), cfg, epochs)).report]);
}
printTable("sine: the next value of sin(t)", runs);

// Forecast sin(200 …) from sin(150 … 199), each prediction fed back as the next input.
const series = sineSeries(230);
const pre = readPreprocessing(full.sections.preprocessing);
if (pre.kind !== "series") throw new Error("expected a series model");
const scalers = { feature: pre.featureScaler, target: pre.targetScaler };
const forecast = forecastSeries(full.params, scalers, series.subarray(150, 200), 30);
const err = forecast.reduce((m, v, i) => Math.max(m, Math.abs(v - (series[200 + i] as number))), 0);
console.log(`\n30-step forecast from t = 200: max |error| ${err.toFixed(4)} (the series spans [−1, 1])`);
save(out, "sine", full.params, full.sections);
