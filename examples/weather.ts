/**
 * weather-rnn.txt — tomorrow's maximum temperature from the last 13 days of (tmax, tmin, rain).
 *
 * The tutorial trains a 5-unit RNN with hand-written BPTT (which drops the hidden-bias gradient at
 * t = 0) and reports a test MSE of about 28 °F², without saying that "tomorrow = today" scores 24.8.
 * This script builds the same task from the CSV step by step — the way you would for your own data —
 * trains the tutorial's setup with correct gradients and then the preset's tuned one, and prints both
 * beside the baselines.
 *   pnpm --filter @unrolled/examples weather [--epochs N]
 */
import { numericColumns, parseCsv } from "@unrolled/datasets";
import { readDataset } from "@unrolled/datasets/node";
import { presetByName, seriesTask, type TrainConfig } from "@unrolled/train";
import { options, printTable, save, train } from "./lib.js";

const { epochs, out } = options();
const { text } = await readDataset("weather"); // $UNROLLED_DATA_DIR, the cache, or a verified download

// The data: a CSV with an unnamed index column; three features and a target that already looks a day ahead.
const features = ["tmax", "tmin", "rain"];
const table = numericColumns(parseCsv(text, "weather.csv"), [...features, "tmax_tomorrow"], { missing: "ffill" });

const prepare = (cfg: TrainConfig) => ({
  // windows of 13 days, split 70/15/15 in time order, scaled on the training rows only
  ...seriesTask(
    { name: "weather", table, features, target: "tmax_tomorrow", horizon: 0, units: "°F", dateColumn: null },
    cfg,
  ),
  vocabulary: null,
});

const preset = presetByName("weather");
const tutorial = await train(prepare(preset.tutorialConfig), preset.tutorialConfig, epochs); // H=5, SGD, batch 1
const tuned = await train(prepare(preset.defaults), preset.defaults, epochs); // H=32, Adam, early stopping
printTable("weather: tomorrow's tmax", [
  ["the tutorial's setup, correct gradients", tutorial.report],
  ["the preset's defaults", tuned.report],
]);
save(out, "weather", tuned.params, tuned.sections);
