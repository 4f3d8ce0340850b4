/** `unrolled gradcheck`: finite differences against BPTT on every parameter of a model. */
import type { Command } from "@commander-js/extra-typings";
import { checkGradients } from "@unrolled/gradcheck";
import { createRng, fromArray, tensor3 } from "@unrolled/linalg";
import {
  allocateParams,
  CELL_KINDS,
  initParams,
  lossOfParams,
  type ModelParams,
  modelConfig,
  type Target,
} from "@unrolled/rnn-core";
import { CliError } from "../errors.js";
import { sci, table } from "../format.js";
import { CLI_LIMITS as L } from "../limits.js";
import { readModel } from "../model-io.js";
import { atMost, choice, int, positive } from "../options.js";

export function registerGradcheck(program: Command): void {
  program
    .command("gradcheck")
    .description(
      "check BPTT against central finite differences on every parameter (float64); exit 1 if any check fails",
    )
    .option("--model <file>", "check this model file (default: a fresh random model built from the flags below)")
    .option("--cell <cell>", "rnn, lstm or gru", choice(CELL_KINDS), "rnn")
    .option("--input-size <D>", atMost("features per step", L.gradcheckSize), int(1, L.gradcheckSize), 3)
    .option("--hidden <H>", atMost("hidden units", L.gradcheckSize), int(1, L.gradcheckSize), 5)
    .option("--layers <L>", atMost("stacked layers", L.gradcheckLayers), int(1, L.gradcheckLayers), 2)
    .option("--output-size <O>", atMost("head outputs (classes for ce)", L.gradcheckSize), int(1, L.gradcheckSize), 2)
    .option("--nonlinearity <phi>", "tanh, relu or sigmoid", choice(["tanh", "relu", "sigmoid"] as const), "tanh")
    .option("--no-bias", "cells without b_ih and b_hh")
    .option("--bidirectional", "two directions per layer")
    .option("--many-to-one", "head at the last step only (default: every step)")
    .option("--batch <B>", atMost("sequences in the random batch", L.gradcheckBatch), int(1, L.gradcheckBatch), 2)
    .option("--steps <T>", atMost("time steps in the random batch", L.gradcheckSteps), int(1, L.gradcheckSteps), 6)
    .option("--loss <kind>", "mse or ce", choice(["mse", "ce"] as const), "mse")
    .option(
      "--sample <n>",
      `check at most n coordinates per tensor (needed past ${L.gradcheckCoordinates.toLocaleString("en-US")} coordinates)`,
      int(1),
    )
    .option("--rtol <r>", "relative tolerance", positive(), 1e-6)
    .option("--atol <a>", "absolute tolerance", positive(true), 1e-8)
    .option("--seed <n>", "seed for the random model, batch and sampling", int(), 0)
    .option("--json", "print the report as JSON")
    .action((o) => {
      const rng = createRng(o.seed);
      let p: ModelParams;
      if (o.model) p = readModel(o.model).params;
      else {
        const config = modelConfig({
          cell: o.cell,
          inputSize: o.inputSize,
          hiddenSize: o.hidden,
          numLayers: o.layers,
          nonlinearity: o.cell === "rnn" ? o.nonlinearity : "tanh",
          bias: o.bias,
          bidirectional: o.bidirectional ?? false,
          returnSequences: !o.manyToOne,
          head: { outputSize: o.outputSize, activation: "identity" },
        });
        p = initParams(allocateParams(config), { rng, scheme: "normal", std: 0.5, biases: "same" });
      }
      const c = p.config;
      const coordinates = p.slots.reduce((n, s) => n + Math.min(s.size, o.sample ?? s.size), 0);
      if (coordinates > L.gradcheckCoordinates)
        throw new CliError(
          `gradcheck: ${o.model ?? "the model"} has ${coordinates.toLocaleString("en-US")} coordinates to check by finite differences, at most ${L.gradcheckCoordinates.toLocaleString("en-US")} are: give --sample N to check N per tensor`,
        );
      const [B, T] = [o.batch, o.steps];
      const N = c.returnSequences ? B * T : B;
      const x = tensor3(B, T, c.inputSize, rng.fillNormal(new Float64Array(B * T * c.inputSize)));
      const target: Target =
        o.loss === "ce"
          ? Array.from({ length: N }, () => rng.int(0, c.head.outputSize))
          : fromArray(rng.fillNormal(new Float64Array(N * c.head.outputSize)), N, c.head.outputSize);
      const { f, grad } = lossOfParams(c, x, target, { kind: o.loss });
      const report = checkGradients({
        f,
        grad,
        at: Float64Array.from(p.flat),
        names: p.slots,
        rng,
        rtol: o.rtol,
        atol: o.atol,
        ...(o.sample ? { sample: o.sample } : {}),
      });
      if (o.json)
        process.stdout.write(
          `${JSON.stringify({ ok: report.ok, checked: report.checked, maxRelErr: report.maxRelErr, tensors: report.tensors, directional: report.directional })}\n`,
        );
      else {
        const rows = [["parameter", "checked", "max rel err", "worst coordinate", "analytic", "numeric", ""]];
        for (const r of report.tensors) {
          const w = r.worst;
          rows.push([
            r.name,
            String(r.checked),
            sci(r.maxRelErr),
            w?.name ?? "-",
            w ? sci(w.analytic) : "-",
            w ? sci(w.numeric) : "-",
            r.failed > 0 ? "NOT OK" : "ok",
          ]);
        }
        console.log(table(rows));
        console.log(
          `\n${report.ok ? "OK" : "NOT OK"}: ${report.checked} coordinates and ${report.directional.length} random directions checked (rtol ${o.rtol}, atol ${o.atol})`,
        );
      }
      if (!report.ok) process.exitCode = 1;
    });
}
