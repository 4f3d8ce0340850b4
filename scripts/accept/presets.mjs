// Acceptance (datasets/training issue): every preset's default configuration reaches its target from
// a clean clone, reported beside its baselines in the data's units. Runs `unrolled train --preset NAME
// --json` for each and checks the numbers; prints the seconds each took.
//   node scripts/accept/presets.mjs [name …]
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const pct = (v) => `${(100 * v).toFixed(2)}%`;
const CHECKS = {
  sine: (r) => [
    r.metrics.valid.rmse <= 0.01,
    `valid RMSE ${r.metrics.valid.rmse.toExponential(2)} ≤ 0.01 (persistence ${r.baselines.persistence.rmse.toFixed(3)})`,
  ],
  weather: (r) => [
    r.metrics.test.mse <= 21.5,
    `test MSE ${r.metrics.test.mse.toFixed(2)} °F² ≤ 21.5 (persistence ${r.baselines.persistence.mse.toFixed(2)}, linear ${r.baselines.linear.mse.toFixed(2)})`,
  ],
  mod3: (r) => [
    r.metrics.test.accuracy === 1,
    `accuracy on 1,000 unseen sequences ${pct(r.metrics.test.accuracy)} = 100%`,
  ],
  "min-temp": (r) => [
    r.metrics.test.mse <= 5.8,
    `test MSE ${r.metrics.test.mse.toFixed(2)} °C² ≤ 5.8 (persistence ${r.baselines.persistence.mse.toFixed(2)}, linear ${r.baselines.linear.mse.toFixed(2)})`,
  ],
  googl: (r) => [
    r.metrics.test.rmse <= 1.3 * r.baselines.persistence.rmse,
    `test RMSE $${r.metrics.test.rmse.toFixed(3)} = ${(r.metrics.test.rmse / r.baselines.persistence.rmse).toFixed(3)}× persistence's $${r.baselines.persistence.rmse.toFixed(3)} (≤ 1.3×)`,
  ],
  shakespeare: (r) => [
    r.metrics.valid.loss <= 1.9,
    `valid ${r.metrics.valid.loss.toFixed(3)} nats/char ≤ 1.9 (bigram ${r.baselines.linear.loss.toFixed(3)}, unigram ${r.baselines.mean.loss.toFixed(3)})`,
  ],
  airline: (r) => [
    true,
    `test RMSE ${r.metrics.test.rmse.toFixed(2)} (persistence ${r.baselines.persistence.rmse.toFixed(2)}, linear ${r.baselines.linear.rmse.toFixed(2)})`,
  ],
};
const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(CHECKS);
let failed = 0;
const reports = {};
for (const name of names) {
  const t0 = Date.now();
  const run = spawnSync("pnpm", ["-s", "unrolled", "train", "--preset", name, "--json"], { encoding: "utf8" });
  const wall = ((Date.now() - t0) / 1000).toFixed(1);
  if (run.status !== 0) {
    console.log(`FAIL ${name}: exit ${run.status}: ${run.stderr.trim()}`);
    failed++;
    continue;
  }
  const r = JSON.parse(run.stdout);
  reports[name] = r;
  const [ok, text] = CHECKS[name](r);
  if (!ok) failed++;
  console.log(
    `${ok ? "ok  " : "FAIL"} ${name.padEnd(12)} ${text}; ${r.epochs} epochs, training ${r.seconds.toFixed(1)} s, wall ${wall} s`,
  );
}
// later checks (lstm-vs-rnn.mjs) reuse these runs instead of training them again
writeFileSync(join(tmpdir(), "unrolled-accept-presets.json"), JSON.stringify(reports));
console.log(`\npresets: ${names.length - failed}/${names.length} reach their targets`);
process.exit(failed > 0 ? 1 : 0);
