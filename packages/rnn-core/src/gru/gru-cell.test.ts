import { fromArray, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { checkStep, type StepUnderTest } from "../__tests__/step-check.js";
import { type GruStepCache, gruCellBackward, gruCellForward } from "./gru-cell.js";

const gruStep: StepUnderTest = {
  states: 1,
  forward(p, x, [hPrev]) {
    const h = zeros(x.rows, p.W_hh.cols);
    return { outputs: [h], cache: gruCellForward(p, x, hPrev as never, h) };
  },
  backward(p, cache, [dh], grads, dx, [dhPrev]) {
    gruCellBackward(p, cache as GruStepCache, dh as never, grads, dx, dhPrev as never);
  },
};

describe("gruCellForward / gruCellBackward", () => {
  for (const [B, D, H] of [
    [3, 2, 4],
    [1, 1, 1],
    [2, 5, 1],
    [1, 3, 6],
  ] as const) {
    it(`gruCellBackward(dh, cache) matches finite differences for every weight, x and hPrev (B=${B} D=${D} H=${H})`, () => {
      const report = checkStep("gru", B, D, H, gruStep);
      expect(report.ok, report.summary).toBe(true);
    });
  }

  it("forward: h = (1 − z) ⊙ n + z ⊙ hPrev, and the reset gate scales W_hn·h + b_hn (PyTorch's variant)", () => {
    // zero weights, b_hn = 2: r = z = ½, n = tanh(0 + ½·2), h = ½·tanh(1) + ½·hPrev
    const p = { W_ih: zeros(3, 1), W_hh: zeros(3, 1), b_ih: zeros(1, 3), b_hh: fromArray([0, 0, 2], 1, 3) };
    const h = zeros(1, 1);
    gruCellForward(p, fromArray([1], 1, 1), fromArray([0.6], 1, 1), h);
    expect(h.data[0]).toBeCloseTo(0.5 * Math.tanh(1) + 0.3, 15);
  });
});
