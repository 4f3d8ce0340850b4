// Acceptance (rnn-core issue): `unrolled backprop` agrees with PyTorch on random models it has never
// seen. Draws N brand-new random models with Debian's PyTorch (a fresh seed every run), runs the CLI on
// each, and compares the loss, outputs, every gradient and the hidden-gradient norms to 1e-8.
//   node scripts/accept/backprop-vs-pytorch.mjs [N] [SEED]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const N = Number(process.argv[2] ?? 40);
const seed = Number(process.argv[3] ?? Date.now() % 1e9);
const dir = mkdtempSync(join(tmpdir(), "unrolled-accept-"));
const out = join(dir, "unseen.json");
execFileSync("/usr/bin/python3", ["apps/cli/test/fixtures/gen_unseen.py", String(N), String(seed), out], {
  stdio: "inherit",
});
const { cases } = JSON.parse(readFileSync(out, "utf8"));

const flat = (v) => (Array.isArray(v) ? v.flat(3) : [v]);
const maxDiff = (a, b) =>
  a.length !== b.length ? Number.POSITIVE_INFINITY : a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
let worst = 0;
let failed = 0;
for (const c of cases) {
  const B = c.x.length;
  const T = c.x[0].length;
  const y = c.model.config.returnSequences
    ? Array.from({ length: B }, (_, b) => c.target.slice(b * T, (b + 1) * T))
    : c.target;
  writeFileSync(join(dir, "m.json"), JSON.stringify(c.model));
  writeFileSync(
    join(dir, "x.json"),
    JSON.stringify({
      x: c.x,
      ...(c.lengths ? { lengths: c.lengths } : {}),
      ...(c.h0 ? { h0: c.h0 } : {}),
      ...(c.c0 ? { c0: c.c0 } : {}),
    }),
  );
  writeFileSync(join(dir, "y.json"), JSON.stringify({ y }));
  const r = spawnSync(
    "pnpm",
    [
      "-s",
      "unrolled",
      "backprop",
      "--model",
      join(dir, "m.json"),
      "--input",
      join(dir, "x.json"),
      "--target",
      join(dir, "y.json"),
      "--loss",
      c.loss,
      "--json",
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) {
    console.log(`FAIL ${c.name}: exit ${r.status} ${r.stderr.trim()}`);
    failed++;
    continue;
  }
  const got = JSON.parse(r.stdout);
  const diffs = [Math.abs(got.loss - c.expected.loss), maxDiff(flat(got.outputs), flat(c.expected.y))];
  // packed cases: PyTorch's modules keep no per-step hₜ, so there are no norms to compare
  if (c.expected.hiddenGradNorms) diffs.push(maxDiff(flat(got.hiddenGradNorms), flat(c.expected.hiddenGradNorms)));
  for (const [name, g] of Object.entries(c.expected.grads)) diffs.push(maxDiff(got.grads[name]?.data ?? [], g));
  const d = Math.max(...diffs);
  worst = Math.max(worst, d);
  const ok = d <= 1e-8;
  if (!ok) failed++;
  console.log(`${ok ? "ok  " : "FAIL"} max |Δ| ${d.toExponential(2)}  ${c.name}`);
}
console.log(
  `\nbackprop vs PyTorch: ${cases.length - failed}/${cases.length} random models agree to 1e-8 (worst |Δ| ${worst.toExponential(2)}, seed ${seed})`,
);
process.exit(failed > 0 ? 1 : 0);
