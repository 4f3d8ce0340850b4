/** `unrolled backprop`: one forward and backward pass of a model file on a batch, PyTorch's numbers. */
import type { Command } from "@commander-js/extra-typings";
import { maxAbs, vectorNorm } from "@unrolled/linalg";
import { backprop, LOSS_KINDS, zerosLikeParams } from "@unrolled/rnn-core";
import { sci, sparkline, table } from "../format.js";
import { readJson } from "../io.js";
import { readModel } from "../model-io.js";
import { choice, DTYPES, int } from "../options.js";
import { outputsLayout, parseInput, parseTarget } from "../tensors.js";

export function registerBackprop(program: Command): void {
  program
    .command("backprop")
    .description(
      "one forward and backward pass: the loss, the head's outputs, every gradient (PyTorch names) and ‖∂L/∂hₜ‖ per step",
    )
    .requiredOption("--model <file>", "model file (JSON, format version 1)")
    .requiredOption(
      "--input <file>",
      'JSON {"x": [[[…]]]} shaped (B, T, D), optionally "lengths" [B] (padded sequences), "h0" and (LSTM) "c0" (L·dirs, B, H)',
    )
    .requiredOption(
      "--target <file>",
      'JSON {"y": …}: (B, T, O) or (B, O) values for mse; class indices (B, T) or (B) for ce',
    )
    .option("--loss <kind>", `loss, the mean as in PyTorch (${LOSS_KINDS.join(", ")})`, choice(LOSS_KINDS), "mse")
    .option("--dtype <dtype>", "float64 or float32", choice(DTYPES), "float64")
    .option("--truncate <k>", "truncated BPTT: cut the gradient through time every k steps", int(1))
    .option("--json", "print one JSON object {loss, outputs, grads, hiddenGradNorms}")
    .action((o) => {
      const { params } = readModel(o.model, o.dtype);
      const { x, ...init } = parseInput(readJson(o.input, "input file"), o.input, params.config, o.dtype);
      const [B, T] = x.dims;
      const target = parseTarget(readJson(o.target, "target file"), o.target, params.config, o.loss, B, T, o.dtype);
      const grads = zerosLikeParams(params);
      const r = backprop(params, x, target, { kind: o.loss }, grads, {
        ...init,
        ...(o.truncate ? { truncate: o.truncate } : {}),
      });
      const gradTensors = Object.fromEntries(
        grads.slots.map((s) => [
          s.name,
          { shape: s.shape, data: Array.from(grads.flat.subarray(s.offset, s.offset + s.size)) },
        ]),
      );
      if (o.json) {
        const outputs = outputsLayout(r.y, params.config, B, T);
        process.stdout.write(
          `${JSON.stringify({ loss: r.loss, outputs, grads: gradTensors, hiddenGradNorms: r.hiddenGradNorms })}\n`,
        );
        return;
      }
      const rows = [["parameter", "shape", "‖∂L/∂θ‖", "max |∂L/∂θ|"]];
      for (const s of grads.slots) {
        const g = grads.flat.subarray(s.offset, s.offset + s.size);
        rows.push([s.name, `[${s.shape.join(", ")}]`, sci(vectorNorm(g)), sci(maxAbs(g))]);
      }
      console.log(`loss ${r.loss.toPrecision(8)} (${o.loss}, mean; batch B=${B}, T=${T} steps)\n`);
      console.log(table(rows));
      console.log(`\n‖∂L/∂hₜ‖ for t = 0 … ${T - 1} (log scale; small on the left = vanishing gradient)`);
      r.hiddenGradNorms.forEach((n, k) => {
        console.log(`  layer ${k}  ${sparkline(n)}  ${sci(n[0] ?? 0)} … ${sci(n[n.length - 1] ?? 0)}`);
      });
    });
}
