import { fromArray, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { checkStep, type StepUnderTest } from "../__tests__/step-check.js";
import { type LstmStepCache, lstmCellBackward, lstmCellForward } from "./lstm-cell.js";

const lstmStep: StepUnderTest = {
  states: 2,
  forward(p, x, [hPrev, cPrev]) {
    const h = zeros(x.rows, p.W_hh.cols);
    const c = zeros(x.rows, p.W_hh.cols);
    const cache = lstmCellForward(p, x, hPrev as never, cPrev as never, h, c);
    return { outputs: [h, c], cache };
  },
  backward(p, cache, [dh, dc], grads, dx, [dhPrev, dcPrev]) {
    lstmCellBackward(p, cache as LstmStepCache, dh as never, dc as never, grads, dx, dhPrev as never, dcPrev as never);
  },
};

describe("lstmCellForward / lstmCellBackward", () => {
  for (const [B, D, H] of [
    [3, 2, 4],
    [1, 1, 1],
    [2, 5, 1],
    [1, 3, 6],
  ] as const) {
    it(`lstmCellBackward(dh, dc, cache) matches finite differences for every weight, x, hPrev and cPrev (B=${B} D=${D} H=${H})`, () => {
      const report = checkStep("lstm", B, D, H, lstmStep);
      expect(report.ok, report.summary).toBe(true);
    });
  }

  it("forward: c = f ⊙ cPrev + i ⊙ g and h = o ⊙ tanh(c) (zero weights: all gates ½, g = 0)", () => {
    const x = fromArray([1, 2], 1, 2);
    const p = { W_ih: zeros(4, 2), W_hh: zeros(4, 1), b_ih: null, b_hh: null };
    const h = zeros(1, 1);
    const c = zeros(1, 1);
    lstmCellForward(p, x, zeros(1, 1), fromArray([0.8], 1, 1), h, c);
    expect(c.data[0]).toBeCloseTo(0.4, 15); // f = ½ keeps half the old memory
    expect(h.data[0]).toBeCloseTo(0.5 * Math.tanh(0.4), 15);
  });
});
