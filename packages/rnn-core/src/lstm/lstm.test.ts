import { checkGradients } from "@unrolled/gradcheck";
import { createRng, dot, fromArray, rowsView, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { modelConfig } from "../config.js";
import { initParams } from "../params/init.js";
import { allocateParams, cellAt } from "../params/params.js";
import { lstmSequenceBackward, lstmSequenceForward } from "./lstm-sequence.js";

describe("lstmSequenceForward / lstmSequenceBackward", () => {
  it("over 30 steps with a loss on the last step only, ∂L/∂h₀ and ∂L/∂c₀ match finite differences (the cell state carries the gradient)", () => {
    const [B, D, H, T] = [2, 3, 4, 30];
    const config = modelConfig({
      cell: "lstm",
      inputSize: D,
      hiddenSize: H,
      head: { outputSize: 1, activation: "identity" },
    });
    const rng = createRng(6);
    const p = cellAt(initParams(allocateParams(config), { rng }), 0, 0);
    const xs = fromArray(rng.fillNormal(new Float64Array(T * B * D)), T * B, D);
    const w = fromArray(rng.fillNormal(new Float64Array(B * H)), B, H);
    const loss = (state: Float64Array) => {
      const { hs } = lstmSequenceForward(
        p,
        xs,
        fromArray(state.subarray(0, B * H), B, H),
        fromArray(state.subarray(B * H), B, H),
      );
      return dot(rowsView(hs, T * B, (T + 1) * B), w);
    };
    const grad = (state: Float64Array) => {
      const { cache } = lstmSequenceForward(
        p,
        xs,
        fromArray(state.subarray(0, B * H), B, H),
        fromArray(state.subarray(B * H), B, H),
      );
      const dhs = zeros(T * B, H);
      rowsView(dhs, (T - 1) * B, T * B).data.set(w.data);
      const g = cellAt(allocateParams(config), 0, 0);
      const { dh0, dc0, dhNorms } = lstmSequenceBackward(p, cache, dhs, g, null);
      expect(dhNorms[0]).toBeGreaterThan(0);
      return Float64Array.from([...dh0.data, ...dc0.data]);
    };
    const at = rng.fillNormal(new Float64Array(2 * B * H), 0, 0.5);
    const report = checkGradients({
      f: loss,
      grad,
      at,
      names: [
        { name: "h0", shape: [B, H] },
        { name: "c0", shape: [B, H] },
      ],
      rng: createRng(0),
    });
    expect(report.ok, report.summary).toBe(true);
  });
});
