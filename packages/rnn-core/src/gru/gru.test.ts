import { checkGradients } from "@unrolled/gradcheck";
import { createRng, dot, fromArray, rowsView, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { modelConfig } from "../config.js";
import { initParams } from "../params/init.js";
import { allocateParams, cellAt } from "../params/params.js";
import { gruSequenceBackward, gruSequenceForward } from "./gru-sequence.js";

describe("gruSequenceForward / gruSequenceBackward", () => {
  it("over 30 steps with a loss on the last step only, ∂L/∂h₀ matches finite differences (through the (1 − z) and z paths)", () => {
    const [B, D, H, T] = [2, 3, 4, 30];
    const config = modelConfig({
      cell: "gru",
      inputSize: D,
      hiddenSize: H,
      head: { outputSize: 1, activation: "identity" },
    });
    const rng = createRng(6);
    const p = cellAt(initParams(allocateParams(config), { rng }), 0, 0);
    const xs = fromArray(rng.fillNormal(new Float64Array(T * B * D)), T * B, D);
    const w = fromArray(rng.fillNormal(new Float64Array(B * H)), B, H);
    const loss = (h0: Float64Array) =>
      dot(rowsView(gruSequenceForward(p, xs, fromArray(h0, B, H)).hs, T * B, (T + 1) * B), w);
    const grad = (h0: Float64Array) => {
      const { cache } = gruSequenceForward(p, xs, fromArray(h0, B, H));
      const dhs = zeros(T * B, H);
      rowsView(dhs, (T - 1) * B, T * B).data.set(w.data);
      const { dh0, dhNorms } = gruSequenceBackward(p, cache, dhs, cellAt(allocateParams(config), 0, 0), null);
      expect(dhNorms[0]).toBeGreaterThan(0);
      return dh0.data;
    };
    const report = checkGradients({
      f: loss,
      grad,
      at: rng.fillNormal(new Float64Array(B * H), 0, 0.5),
      names: [{ name: "h0", shape: [B, H] }],
      rng: createRng(0),
    });
    expect(report.ok, report.summary).toBe(true);
  });
});
