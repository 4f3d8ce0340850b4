import { checkGradients } from "@unrolled/gradcheck";
import { createRng, fromArray, type Matrix } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { type HeadActivation, modelConfig } from "../config.js";
import { type LossKind, lossAndGradient, type Target } from "./loss.js";

// lossAndGradient's dy = ∂L/∂y through the head's activation and the loss, checked on y alone.
const [N, O] = [4, 3];
const rng = createRng(11);
const values = fromArray(rng.fillNormal(new Float64Array(N * O), 0, 1), N, O);
const probs = fromArray(rng.fillUniform(new Float64Array(N * O), 0.05, 0.95), N, O);
const classes = [2, 0, 1, 1];

const cases: [LossKind, HeadActivation, Target][] = [
  ["mse", "identity", values],
  ["mse", "sigmoid", probs],
  ["mse", "softmax", probs],
  ["mae", "identity", values],
  ["huber", "sigmoid", probs],
  ["ce", "softmax", classes],
  ["ce", "identity", probs],
  ["bce", "sigmoid", probs],
  ["bce", "identity", probs],
];

describe("lossAndGradient: dy matches finite differences of the loss in y", () => {
  for (const [kind, activation, target] of cases) {
    for (const reduction of ["mean", "sum"] as const) {
      it(`${kind} after a ${activation} head, ${reduction}`, () => {
        const config = modelConfig({ inputSize: 1, hiddenSize: 1, head: { outputSize: O, activation } });
        const spec = { kind, reduction, ...(kind === "huber" ? { delta: 0.3 } : {}) };
        const at = rng.fillNormal(new Float64Array(N * O), 0, 1);
        const run = (t: Float64Array) =>
          lossAndGradient(config, fromArray(t, N, O) as Matrix<Float64Array>, target, spec);
        const report = checkGradients({
          f: (t) => run(t).loss,
          grad: (t) => run(t).dy.data as Float64Array,
          at,
          names: [{ name: "y", shape: [N, O] }],
          rng: createRng(0),
        });
        expect(report.ok, report.summary).toBe(true);
      });
    }
  }
});
