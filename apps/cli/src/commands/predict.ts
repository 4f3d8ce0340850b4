/** `unrolled predict`: the model's outputs (after the head's activation) for a batch of sequences. */
import type { Command } from "@commander-js/extra-typings";
import { applyActivationInto, modelForward } from "@unrolled/rnn-core";
import { readJson } from "../io.js";
import { readModel } from "../model-io.js";
import { choice, DTYPES } from "../options.js";
import { outputsLayout, parseInput } from "../tensors.js";

export function registerPredict(program: Command): void {
  program
    .command("predict")
    .description("the model's outputs for the sequences in an input file (after the head's activation)")
    .requiredOption("--model <file>", "model file (JSON, format version 1)")
    .requiredOption("--input <file>", 'JSON {"x": [[[…]]]} shaped (B, T, D), optionally "h0" (L·dirs, B, H)')
    .option("--dtype <dtype>", "float64 or float32", choice(DTYPES), "float64")
    .option("--json", 'print one JSON object {"outputs": …} in the layout (B, T, O) or (B, O)')
    .action((o) => {
      const { params } = readModel(o.model, o.dtype);
      const { x, h0 } = parseInput(readJson(o.input, "input file"), o.input, params.config, o.dtype);
      const [B, T] = x.dims;
      const { y } = modelForward(params, x, h0 ? { h0 } : {});
      applyActivationInto(params.config.head.activation, y, y);
      const outputs = outputsLayout(y, params.config, B, T);
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ outputs })}\n`);
        return;
      }
      const fmt = (row: number[]) => row.map((v) => v.toPrecision(6)).join(" ");
      outputs.forEach((seq, b) => {
        if (params.config.returnSequences) {
          console.log(`sequence ${b}:`);
          for (const [t, row] of (seq as number[][]).entries()) console.log(`  t=${t}  ${fmt(row)}`);
        } else {
          console.log(`sequence ${b}: ${fmt(seq as number[])}`);
        }
      });
    });
}
