import { fromArray } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { sequenceProblem } from "../__tests__/sequence-check.js";
import { createSequence } from "../model/workspace.js";
import { gruForward } from "./gru.js";

describe("gruForward / gruBackward", () => {
  for (const [B, D, H] of [
    [3, 2, 4],
    [1, 1, 1],
    [2, 5, 1],
    [1, 3, 6],
  ] as const) {
    it(`one step matches finite differences for every weight, x and h0 (B=${B} D=${D} H=${H})`, () => {
      const report = sequenceProblem("gru", "tanh", B, D, H, 1).check();
      expect(report.ok, report.summary).toBe(true);
    });
  }

  it("fan-out: when one x feeds two steps, its gradient is the sum of both paths (backward accumulates)", () => {
    const report = sequenceProblem("gru", "tanh", 2, 3, 4, 3).checkFanOut();
    expect(report.ok, report.summary).toBe(true);
  });

  it("7 steps with a loss at every step match finite differences for every weight, x and h0", () => {
    const report = sequenceProblem("gru", "tanh", 2, 3, 4, 7, 4).check();
    expect(report.ok, report.summary).toBe(true);
  });

  it("forward: h = (1 − z) ⊙ n + z ⊙ hPrev, and the reset gate scales W_hn·h + b_hn (PyTorch's variant)", () => {
    // zero weights, b_hn = 2: r = z = ½, n = tanh(0 + ½·2), h = ½·tanh(1) + ½·hPrev
    const s = createSequence("gru", "float64", 1, 1, 1);
    s.hs.data[0] = 0.6;
    const zero = (r: number, c: number) => fromArray(new Float64Array(r * c), r, c);
    const p = { W_ih: zero(3, 1), W_hh: zero(3, 1), b_ih: zero(1, 3), b_hh: fromArray([0, 0, 2], 1, 3) };
    gruForward(p, s, { kind: "dense", x: fromArray([1], 1, 1) });
    expect(s.hs.data[1]).toBeCloseTo(0.5 * Math.tanh(1) + 0.3, 15);
  });

  it("over 30 steps with a loss on the last step only, ∂L/∂h₀ matches finite differences (through the (1 − z) and z paths)", () => {
    const report = sequenceProblem("gru", "tanh", 2, 3, 4, 30, 6).checkLastStepToStart();
    expect(report.ok, report.summary).toBe(true);
  });
});
