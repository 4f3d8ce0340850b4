/**
 * What every example shares: its two flags, running a preset under a protocol, a table of the model
 * beside the baselines (in the data's units), and saving the model as a model file and as ONNX.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { exportOnnx } from "@unrolled/interop";
import { type ModelParams, type ModelSections, serializeModel } from "@unrolled/rnn-core";
import {
  isRegression,
  type Metrics,
  type Prepared,
  runTraining,
  type TrainConfig,
  type TrainReport,
} from "@unrolled/train";

/** `--epochs N` shortens every run (the tests use 1); `--out DIR` is where models go (default examples/out). */
export function options(): { epochs: number | undefined; out: string } {
  const { values } = parseArgs({ options: { epochs: { type: "string" }, out: { type: "string" } } });
  const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 1)) {
    console.error(`--epochs must be an integer ≥ 1, got ${values.epochs}`);
    process.exit(2);
  }
  return { epochs, out: values.out ?? new URL("out", import.meta.url).pathname };
}

/** Trains `prepared` with `cfg` (epochs overridden when given) and returns the report and the model. */
export async function train(
  prepared: Prepared,
  cfg: TrainConfig,
  epochs: number | undefined,
): Promise<{ report: TrainReport; params: ModelParams; sections: ModelSections }> {
  const c = epochs === undefined ? cfg : { ...cfg, epochs };
  const { report, params, sections } = await runTraining(prepared, c);
  if (report === null) throw new Error("training was interrupted");
  return { report, params, sections };
}

const num = (v: number): string => (v !== 0 && Math.abs(v) < 0.01 ? v.toExponential(2) : v.toFixed(4));
const metric = (m: Metrics | null): string =>
  m === null
    ? "—"
    : isRegression(m)
      ? `RMSE ${num(m.rmse)}  MSE ${num(m.mse)}`
      : `accuracy ${(100 * m.accuracy).toFixed(2)} %`;

/** Prints each run beside the baselines of the split its headline is measured on. */
export function printTable(title: string, runs: readonly (readonly [string, TrainReport])[]): void {
  const first = runs[0]?.[1];
  if (first === undefined) return;
  const split = first.evaluatedOn;
  const rows: [string, string][] = runs.map(([label, r]) => [
    `${label} (${r.parameters} params, ${r.epochs} epochs)`,
    metric((split === "test" ? r.metrics.test : r.metrics.valid) ?? r.metrics.valid),
  ]);
  const names =
    first.task === "regression"
      ? ["persistence (tomorrow = today)", "training mean", "least squares on the window"]
      : ["repeat the previous symbol", "class frequencies (unigram)", "current → next symbol table (bigram)"];
  // Baselines are computed on each run's own windows; runs with other windows (another look-back) get their own.
  // Baselines are computed on each run's own data and windows (another look-back, fewer training
  // sequences); when runs differ, each set is printed and says which runs it belongs to.
  const seen = new Map<string, { r: TrainReport; tags: Set<string> }>();
  for (const [label, r] of runs) {
    const key = JSON.stringify(r.baselines);
    const entry = seen.get(key) ?? { r, tags: new Set<string>() };
    entry.tags.add(label.split(/[(,]/)[0]?.trim() ?? label);
    seen.set(key, entry);
  }
  for (const { r, tags } of seen.values()) {
    const on = seen.size > 1 ? ` (for ${[...tags].join(", ")})` : "";
    rows.push([`baseline: ${names[0]}${on}`, metric(r.baselines.persistence)]);
    rows.push([`baseline: ${names[1]}${on}`, metric(r.baselines.mean)]);
    rows.push([`baseline: ${names[2]}${on}`, metric(r.baselines.linear)]);
  }
  const w = Math.max(...rows.map(([l]) => l.length));
  console.log(`\n${title} — ${split} split${first.units ? `, ${first.units}` : ""}`);
  for (const [l, v] of rows) console.log(`  ${l.padEnd(w)}  ${v}`);
}

/** Writes NAME.json (the model file `unrolled` reads) and NAME.onnx (for ONNX Runtime), atomically. */
export function save(out: string, name: string, params: ModelParams, sections: ModelSections): void {
  mkdirSync(out, { recursive: true });
  const write = (file: string, data: string | Uint8Array) => {
    writeFileSync(`${join(out, file)}.tmp`, data);
    renameSync(`${join(out, file)}.tmp`, join(out, file));
  };
  write(`${name}.json`, serializeModel(params, sections));
  write(`${name}.onnx`, exportOnnx(params, { sections }));
  console.log(`\nsaved ${join(out, name)}.json and .onnx`);
}
