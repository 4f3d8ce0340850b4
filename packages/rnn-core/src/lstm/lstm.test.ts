import { fromArray } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { sequenceProblem } from "../__tests__/sequence-check.js";
import { createSequence } from "../model/workspace.js";
import { lstmForward } from "./lstm.js";

describe("lstmForward / lstmBackward", () => {
  for (const [B, D, H] of [
    [3, 2, 4],
    [1, 1, 1],
    [2, 5, 1],
    [1, 3, 6],
  ] as const) {
    it(`one step matches finite differences for every weight, x, h0 and c0 (B=${B} D=${D} H=${H})`, () => {
      const report = sequenceProblem("lstm", "tanh", B, D, H, 1).check();
      expect(report.ok, report.summary).toBe(true);
    });
  }

  it("fan-out: when one x feeds two steps, its gradient is the sum of both paths (backward accumulates)", () => {
    const report = sequenceProblem("lstm", "tanh", 2, 3, 4, 3).checkFanOut();
    expect(report.ok, report.summary).toBe(true);
  });

  it("7 steps with a loss at every step match finite differences for every weight, x, h0 and c0", () => {
    const report = sequenceProblem("lstm", "tanh", 2, 3, 4, 7, 4).check();
    expect(report.ok, report.summary).toBe(true);
  });

  it("forward: c = f ⊙ cPrev + i ⊙ g and h = o ⊙ tanh(c) (zero weights: all gates ½, g = 0)", () => {
    const s = createSequence("lstm", "float64", 1, 1, 1);
    s.cs.data[0] = 0.8;
    const p = {
      W_ih: fromArray(new Float64Array(8), 4, 2),
      W_hh: fromArray(new Float64Array(4), 4, 1),
      b_ih: null,
      b_hh: null,
    };
    lstmForward(p, s, { kind: "dense", x: fromArray([1, 2], 1, 2) });
    expect(s.cs.data[1]).toBeCloseTo(0.4, 15); // f = ½ keeps half the old memory
    expect(s.hs.data[1]).toBeCloseTo(0.5 * Math.tanh(0.4), 15);
  });

  it("over 30 steps with a loss on the last step only, ∂L/∂h₀ and ∂L/∂c₀ match finite differences (the cell state carries the gradient)", () => {
    const report = sequenceProblem("lstm", "tanh", 2, 3, 4, 30, 6).checkLastStepToStart();
    expect(report.ok, report.summary).toBe(true);
  });
});
