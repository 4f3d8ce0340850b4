/**
 * The adding problem (Hochreiter & Schmidhuber 1997, Experiment 4) — long memory, held against the
 * paper's Table 7: the LSTM with chrono-initialised gates, a tanh RNN of the same size, and the IRNN
 * (identity recurrence, ReLU; Le et al. 2015), each on an endless stream of fresh sequences until the
 * paper's criterion holds or the budget ends, then scored on 2,560 fresh test sequences.
 *   pnpm --filter @unrolled/examples adding [--epochs N] [--seq-len T]     (an epoch is 2,000 sequences)
 */
import { parseArgs } from "node:util";
import { presetByName, presetConfig, type TrainConfig } from "@unrolled/train";
import { save, train } from "./lib.js";

const { values } = parseArgs({
  options: { epochs: { type: "string" }, out: { type: "string" }, "seq-len": { type: "string", default: "100" } },
});
const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
const T = Number(values["seq-len"]);
if ((epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 1)) || !(Number.isInteger(T) && T >= 20)) {
  console.error(`--epochs must be an integer ≥ 1 and --seq-len an integer ≥ 20, got ${values.epochs}, ${T}`);
  process.exit(2);
}
const out = values.out ?? new URL("out", import.meta.url).pathname;

const preset = presetByName("adding");
const lstm = { ...preset.defaults, seqLen: T, seed: 1 }; // seed 1: the first row of the README's table
// the gateless cells at the LSTM's parameter count (33 units against 16), with the same budget
const rnn: TrainConfig = { ...presetConfig(preset, "default", "rnn"), seqLen: T, hidden: 33, seed: 1 };
const irnn: TrainConfig = { ...rnn, initScheme: "irnn", nonlinearity: "relu", lr: 1e-3 }; // Le et al.'s small step

console.log(`adding problem, T = ${T}: training sequences until the paper's criterion, then 2,560 test sequences`);
console.log("  Hochreiter & Schmidhuber 1997 (LSTM, mean of 10 trials): T = 100 after 74,000, T = 500 after 209,000");
const runs: [string, TrainConfig][] = [
  ["LSTM, 16 units, chrono init", lstm],
  ["tanh RNN, 33 units", rnn],
  ["IRNN, 33 units, lr 1e-3", irnn],
];
let best = null;
for (const [label, cfg] of runs) {
  const r = await train(preset.prepare(null, cfg), cfg, epochs);
  const c = r.report.result;
  if (c === null || c === undefined) throw new Error("the adding task reports a result");
  const seen = c.sequencesSeen.toLocaleString("en-US");
  console.log(
    `  ${label.padEnd(28)} ${c.solved ? `solved after ${seen}` : `not solved in ${seen}`} training sequences; ${c.testWrong} of ${c.testTotal} test sequences wrong`,
  );
  best ??= r;
}
if (best !== null) save(out, "adding", best.params, best.sections);
