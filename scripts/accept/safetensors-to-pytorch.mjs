// Acceptance (interop issue): a safetensors file written by `unrolled export` loads in PyTorch with
// load_state_dict (the whole model into a ModuleDict; the --part rnn / head files into a bare
// nn.RNN/LSTM/GRU and nn.Linear) and gives `unrolled predict`'s outputs to 1e-6. Models: N random ones drawn by
// PyTorch (every cell, layers, directions, heads) plus the trained sine model in models/.
//   node scripts/accept/safetensors-to-pytorch.mjs [N] [SEED]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const N = Number(process.argv[2] ?? 12);
const seed = Number(process.argv[3] ?? Date.now() % 1e9);
const dir = mkdtempSync(join(tmpdir(), "unrolled-accept-st-"));
execFileSync(
  "/usr/bin/python3",
  ["apps/cli/test/fixtures/gen_unseen.py", String(N), String(seed), join(dir, "unseen.json")],
  {
    stdio: "inherit",
  },
);
const models = JSON.parse(readFileSync(join(dir, "unseen.json"), "utf8")).cases.map((c, i) => ({
  name: `random-${i}`,
  model: c.model,
  x: c.x,
}));
const sine = JSON.parse(readFileSync("models/sine.json", "utf8"));
models.push({ name: "sine (trained)", model: sine, x: [Array.from({ length: 20 }, (_, t) => [Math.sin(t / 3)])] });

const unrolled = (args) => {
  const r = spawnSync("pnpm", ["-s", "unrolled", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`unrolled ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout;
};
let failed = 0;
for (const m of models) {
  const [model, input, st, pred] = [
    "m.json",
    "x.json",
    `${m.name.replace(/\W+/g, "-").replace(/-$/, "")}.safetensors`,
    "p.json",
  ].map((f) => join(dir, f));
  writeFileSync(model, JSON.stringify(m.model));
  writeFileSync(input, JSON.stringify({ x: m.x }));
  unrolled(["export", "--model", model, "--format", "safetensors", "--out", st]);
  const [rnnPart, headPart] = ["rnn", "head"].map((part) => {
    const f = st.replace(/\.safetensors$/, `.${part}.safetensors`);
    unrolled(["export", "--model", model, "--format", "safetensors", "--part", part, "--out", f]);
    return f;
  });
  const { outputs } = JSON.parse(unrolled(["predict", "--model", model, "--input", input, "--json"]));
  writeFileSync(pred, JSON.stringify({ x: m.x, outputs }));
  const r = spawnSync(
    "/usr/bin/python3",
    ["packages/interop/src/__fixtures__/gen_safetensors.py", "check", st, pred, rnnPart, headPart],
    {
      encoding: "utf8",
    },
  );
  process.stdout.write(r.stdout);
  if (r.status !== 0) {
    failed++;
    process.stdout.write(r.stderr);
  }
}
console.log(
  `\nsafetensors → PyTorch: ${models.length - failed}/${models.length} models give unrolled predict's outputs to 1e-6 (seed ${seed})`,
);
process.exit(failed === 0 ? 0 : 1);
