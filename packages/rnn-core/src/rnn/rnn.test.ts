import { checkGradients } from "@unrolled/gradcheck";
import { ConfigError, createRng } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { sequenceProblem } from "../__tests__/sequence-check.js";
import { paramsFromFlat } from "../params/params.js";
import { truncation } from "../shared/sequence.js";

describe("rnnForward / rnnBackward (BPTT)", () => {
  for (const phi of ["tanh", "relu", "sigmoid"] as const) {
    for (const [B, D, H] of [
      [3, 2, 4],
      [1, 1, 1],
      [2, 5, 1],
      [1, 3, 6],
    ] as const) {
      it(`one step matches finite differences for every weight, x and h0 (${phi}, B=${B} D=${D} H=${H})`, () => {
        const report = sequenceProblem("rnn", phi, B, D, H, 1).check();
        expect(report.ok, report.summary).toBe(true);
      });
    }
  }

  it("12 steps with a loss at every step match finite differences for every weight, x and h0", () => {
    const report = sequenceProblem("rnn", "tanh", 2, 3, 4, 12, 3).check();
    expect(report.ok, report.summary).toBe(true);
  });

  it("fan-out: when one x feeds two steps, its gradient is the sum of both paths (backward accumulates)", () => {
    const report = sequenceProblem("rnn", "tanh", 2, 3, 4, 3).checkFanOut();
    expect(report.ok, report.summary).toBe(true);
  });

  it("a long sequence carries gradient from the last step back to t = 0 (dh0 is checked too)", () => {
    const report = sequenceProblem("rnn", "tanh", 2, 3, 4, 40, 3).checkLastStepToStart();
    expect(report.ok, report.summary).toBe(true);
  });

  for (const k of [1, 3, 5]) {
    it(`truncated BPTT (k=${k}) equals the exact gradient of the chunked loss with detached chunk starts`, () => {
      const [B, D, H, T] = [2, 3, 4, 11];
      const pr = sequenceProblem("rnn", "tanh", B, D, H, T, 3);
      const hs = pr.run(pr.p, pr.xs, pr.h0).hs.data; // the states at chunk boundaries, held constant (detached)
      const chunks = Math.ceil(T / k);
      // one chunk [c·k, end) from its start state, with the loss weights of its steps
      const chunkLoss = (theta: Float64Array, c: number) => {
        const [from, to] = [c * k, Math.min(T, (c + 1) * k)];
        const sub = sequenceProblem("rnn", "tanh", B, D, H, to - from, 3);
        sub.w.data.set(pr.w.data.subarray(from * B * H, to * B * H));
        return sub.run(
          paramsFromFlat(pr.config, theta),
          pr.xs.subarray(from * B * D, to * B * D),
          hs.subarray(from * B * H, (from + 1) * B * H),
        ).loss;
      };
      const report = checkGradients({
        f: (t) => Array.from({ length: chunks }, (_, c) => chunkLoss(t, c)).reduce((a, b) => a + b, 0),
        grad: (t) => pr.backward(paramsFromFlat(pr.config, t), pr.xs, pr.h0, k).g,
        at: pr.p.flat as Float64Array,
        names: pr.p.slots,
        rng: createRng(0),
      });
      expect(report.ok, report.summary).toBe(true);
      expect(Array.from(pr.backward(pr.p, pr.xs, pr.h0, k).dInit).every((v) => v === 0)).toBe(true);
    });
  }

  it("truncate ≥ T is the full gradient; a bad truncate is a ConfigError", () => {
    const pr = sequenceProblem("rnn", "tanh", 2, 3, 4, 6, 3);
    const full = pr.backward(pr.p, pr.xs, pr.h0, 0);
    const big = pr.backward(pr.p, pr.xs, pr.h0, 100);
    expect(Array.from(big.g)).toEqual(Array.from(full.g)); // only dh0 is cut
    expect(() => truncation("f", { truncate: -1 })).toThrow(ConfigError);
    expect(() => truncation("f", { truncate: 1.5 })).toThrow("f: truncate must be an integer ≥ 0, got 1.5");
  });
});
