// Acceptance (LSTM/GRU issue): `train --preset shakespeare --cell lstm` reaches a lower validation loss
// than the preset's RNN with the same number of parameters (the LSTM is sized to at most the RNN's
// count) and the same number of steps. Reuses the RNN run of presets.mjs when it is there.
//   node scripts/accept/lstm-vs-rnn.mjs
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const train = (args) => {
  const r = spawnSync("pnpm", ["-s", "unrolled", "train", "--preset", "shakespeare", ...args, "--json"], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`train ${args.join(" ")}: exit ${r.status}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
};
const cache = join(tmpdir(), "unrolled-accept-presets.json");
const rnn = (existsSync(cache) && JSON.parse(readFileSync(cache, "utf8")).shakespeare) || train([]);
const lstm = train(["--cell", "lstm"]);
const steps = (r) => r.epochs * r.config.batchesPerEpoch;
const line = (r) =>
  `${r.modelConfig.cell.padEnd(4)} H=${String(r.modelConfig.hiddenSize).padEnd(4)} ${String(r.parameters).padStart(6)} parameters, ${steps(r)} steps: valid ${r.metrics.valid.loss.toFixed(4)} nats/char (${r.seconds.toFixed(0)} s)`;
console.log(line(rnn));
console.log(line(lstm));
const ok =
  lstm.parameters <= rnn.parameters && steps(lstm) === steps(rnn) && lstm.metrics.valid.loss < rnn.metrics.valid.loss;
console.log(
  `${ok ? "ok  " : "FAIL"} the LSTM is ${(rnn.metrics.valid.loss - lstm.metrics.valid.loss).toFixed(4)} nats/char lower with ${rnn.parameters - lstm.parameters} fewer parameters and the same steps`,
);
process.exit(ok ? 0 : 1);
