// The same task (data.mjs: variable-length bit strings, more ones than zeros?) in Unrolled, brain.js 2
// and tfjs-layers: each script's lines (non-blank, imports included, the shared data left out), its
// held-out accuracy and its seconds, in one run. `pnpm accept` runs it; the README quotes the table.
//   node --conditions=@unrolled/source --import tsx bench/compare/run.mjs
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
console.log("| library | lines | held-out accuracy | seconds |\n|---|---|---|---|");
for (const [name, file] of [
  ["Unrolled", "unrolled.mjs"],
  ["brain.js 2.0β (recurrent.LSTM on strings)", "brain.mjs"],
  ["tfjs-layers 4.22 (masking + lstm)", "tfjs.mjs"],
]) {
  const lines = readFileSync(`${here}${file}`, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "").length;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--conditions=@unrolled/source", "--import", "tsx", `${here}${file}`], {
    encoding: "utf8",
    cwd: `${here}..`,
  });
  const seconds = (performance.now() - t0) / 1000;
  const acc = Number(r.stdout.trim().split("\n").pop());
  console.log(
    `| ${name} | ${lines} | ${r.status === 0 ? `${(100 * acc).toFixed(1)} %` : "failed"} | ${seconds.toFixed(1)} |`,
  );
}
