/**
 * JSB Chorales — polyphonic music, held against published tables: from each frame of a Bach chorale
 * (88 notes on or off) predict the next, as 88 independent sigmoids; the figure is the negative
 * log-likelihood of a frame (the binary cross-entropy summed over the notes) averaged over every test
 * frame. Trains the tanh RNN, the GRU and the LSTM at about 300K parameters (Bai et al. 2018's size)
 * and prints them beside the baselines and the published rows of Chung et al. 2014 and Bai et al.
 *   pnpm --filter @unrolled/examples jsb [--epochs N]     (the full runs take 3–6 minutes each)
 */
import { readDataset } from "@unrolled/datasets/node";
import type { CellKind } from "@unrolled/rnn-core";
import { type ClassMetrics, presetByName, presetConfig, sizedLikePreset } from "@unrolled/train";
import { options, save, train } from "./lib.js";

const { epochs, out } = options();
const { text } = await readDataset("jsb");
const preset = presetByName("jsb");
const nll = (m: unknown) => (m as ClassMetrics).loss ?? Number.NaN;

console.log("jsb: the next frame of a Bach chorale — test split, nats/frame");
let lstm = null;
for (const cell of ["rnn", "gru", "lstm"] as const satisfies readonly CellKind[]) {
  const base = { ...presetConfig(preset, "default", cell), seed: 1 }; // the README's first seed
  const prepared = preset.prepare(text, base);
  const { cfg } = sizedLikePreset(preset, "default", base, prepared.task); // ≤ the LSTM's parameter count
  const r = await train(prepared, cfg, epochs);
  const rows = r.report.published.filter((p) => p.cell === cell).map((p) => `${p.source.split(",")[0]} ${p.value}`);
  console.log(
    `  ${cell.toUpperCase().padEnd(4)} ${String(cfg.hidden).padStart(3)} units, ${r.report.parameters.toLocaleString("en-US")} parameters: ${nll(r.report.metrics.test).toFixed(3)}   (${rows.join(", ")})`,
  );
  if (cell === "lstm") lstm = r;
}
const lstmReport = lstm?.report;
if (lstmReport) {
  console.log(`  baseline: repeat the last frame        ${nll(lstmReport.baselines.persistence).toFixed(3)}`);
  console.log(`  baseline: the training notes' frequencies ${nll(lstmReport.baselines.mean).toFixed(3)}`);
}
if (lstm) save(out, "jsb", lstm.params, lstm.sections);
