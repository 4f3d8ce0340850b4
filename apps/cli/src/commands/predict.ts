/** `unrolled predict`: the model's outputs (after the head's activation) for a batch of sequences. */
import type { Command } from "@commander-js/extra-typings";
import type { FloatArray, Tensor3 } from "@unrolled/linalg";
import { applyActivationInto, modelForward } from "@unrolled/rnn-core";
import { csvTableFor, evaluateSplit, Model, taskFromPreprocessing } from "@unrolled/train";
import { CliError } from "../errors.js";
import { readJson, readText } from "../io.js";
import { readModel } from "../model-io.js";
import { choice, DTYPES } from "../options.js";
import { outputsLayout, parseInput } from "../tensors.js";
import { readTrainedModel } from "../trained-model.js";

export function registerPredict(program: Command): void {
  program
    .command("predict")
    .description("the model's outputs for the sequences in an input file (after the head's activation)")
    .requiredOption("--model <file>", "model file (JSON, format version 1)")
    .option(
      "--input <file>",
      'JSON {"x": [[[…]]]} shaped (B, T, D), optionally "lengths" [B] (padded sequences), "h0" and (LSTM) "c0" (L·dirs, B, H)',
    )
    .option(
      "--data <file.csv>",
      "or: a CSV read as the model was trained (a model from `unrolled train`); one prediction per window",
    )
    .option("--dtype <dtype>", "float64 or float32", choice(DTYPES), "float64")
    .option("--json", 'print one JSON object {"outputs": …} in the layout (B, T, O) or (B, O)')
    .action((o) => {
      if (o.data !== undefined && o.input !== undefined)
        throw new CliError("choose either --input X.json or --data FILE.csv, not both");
      if (o.data !== undefined) return predictCsv(o.model, o.data, o.json === true);
      if (o.input === undefined) throw new CliError("predict needs --input X.json or --data FILE.csv");
      const { params, sections } = readModel(o.model, o.dtype);
      const { x, ...init } = parseInput(readJson(o.input, "input file"), o.input, params.config, o.dtype);
      const [B, T] = x.dims;
      let outputs: number[][] | number[][][];
      if (isArrayModel(sections)) {
        // a Model's file: inputs scaled and outputs un-scaled as the model was trained (Model.predict)
        const model = Model.fromJSON(readJson(o.model, "model file"));
        const xs = unpad(x, init.lengths);
        outputs = params.config.returnSequences ? model.predictSteps(xs) : model.predict(xs);
      } else {
        const { y } = modelForward(params, x, init);
        applyActivationInto(params.config.head.activation, y, y);
        outputs = outputsLayout(y, params.config, B, T);
      }
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ outputs })}\n`);
        return;
      }
      const fmt = (row: number[]) => row.map((v) => v.toPrecision(6)).join(" ");
      outputs.forEach((seq, b) => {
        if (Array.isArray(seq[0])) {
          console.log(`sequence ${b}:`);
          for (const [t, row] of (seq as number[][]).entries()) console.log(`  t=${t}  ${fmt(row)}`);
        } else {
          console.log(`sequence ${b}: ${fmt(seq as number[])}`);
        }
      });
    });
}

const isArrayModel = (sections: { preprocessing?: unknown }) =>
  typeof sections.preprocessing === "object" &&
  sections.preprocessing !== null &&
  (sections.preprocessing as { kind?: unknown }).kind === "arrays";

/** x (B, T, D) as B sequences of their own lengths. */
function unpad(x: Tensor3<FloatArray>, lengths: readonly number[] | undefined): number[][][] {
  const [B, T, D] = x.dims;
  return Array.from({ length: B }, (_, b) =>
    Array.from({ length: lengths?.[b] ?? T }, (_, t) =>
      Array.from(x.data.subarray((b * T + t) * D, (b * T + t + 1) * D)),
    ),
  );
}

/** One prediction per window of a CSV, in the data's units, with the date of the row it predicts. */
function predictCsv(modelPath: string, file: string, json: boolean): void {
  const m = readTrainedModel(modelPath);
  const prep = m.preprocessing;
  if (prep.kind !== "series")
    throw new CliError(
      `${modelPath}: predict --data needs a model trained on a CSV series; this one is a ${prep.kind} model`,
    );
  const table = csvTableFor(prep, readText(file, "data file"), file);
  const task = taskFromPreprocessing(prep, table, file);
  const { predictions } = evaluateSplit(m.params, task, "test");
  const rows = Array.from({ length: predictions?.pred.length ?? 0 }, (_, i) => {
    const row = table.length - (predictions?.pred.length ?? 0) + i; // windows end at consecutive rows
    return {
      date: table.dates?.[row] ?? null,
      prediction: predictions?.pred[i] as number,
      actual: predictions?.actual[i] as number,
    };
  });
  if (json) {
    process.stdout.write(`${JSON.stringify({ target: prep.target, units: prep.units, predictions: rows })}\n`);
    return;
  }
  console.log(`date${" ".repeat(8)}prediction  actual  (${prep.target}${prep.units ? `, ${prep.units}` : ""})`);
  for (const r of rows)
    console.log(`${(r.date ?? "").padEnd(12)}${r.prediction.toPrecision(6).padStart(10)}  ${r.actual.toPrecision(6)}`);
}
