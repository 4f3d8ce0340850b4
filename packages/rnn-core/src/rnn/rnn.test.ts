import { checkGradients } from "@unrolled/gradcheck";
import { ConfigError, createRng, dot, fromArray, type Matrix, rowsView, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { modelConfig } from "../config.js";
import { initParams } from "../params/init.js";
import { allocateParams, cellAt, paramsFromFlat } from "../params/params.js";
import { rnnSequenceBackward, rnnSequenceForward } from "./rnn-sequence.js";

// One layer over T steps; L = Σₜ wₜ ⊙ hₜ (a loss at every step, so gradient flows back through time).
const B = 2;
const D = 3;
const H = 4;
const config = modelConfig({ inputSize: D, hiddenSize: H, head: { outputSize: 1, activation: "identity" } });
const rng = createRng(3);
const p0 = initParams(allocateParams(config), { rng, scheme: "normal", std: 0.7, biases: "same" });
const names = p0.slots.map((s) => ({ name: s.name, shape: s.shape }));

function problem(T: number) {
  const xs = fromArray(rng.fillNormal(new Float64Array(T * B * D)), T * B, D);
  const h0 = fromArray(rng.fillNormal(new Float64Array(B * H), 0, 0.5), B, H);
  const w = fromArray(rng.fillNormal(new Float64Array(T * B * H)), T * B, H);
  const loss = (theta: Float64Array, start: Matrix, from: number, to: number) => {
    const c = cellAt(paramsFromFlat(config, theta), 0, 0);
    const { hs } = rnnSequenceForward(c, "tanh", rowsView(xs, from * B, to * B), start);
    return dot(rowsView(hs, B, (to - from + 1) * B), rowsView(w, from * B, to * B));
  };
  const grad = (theta: Float64Array, truncate = 0) => {
    const q = paramsFromFlat(config, theta);
    const { cache } = rnnSequenceForward(cellAt(q, 0, 0), "tanh", xs, h0);
    const g = allocateParams(config);
    const dxs = zeros(T * B, D);
    const r = rnnSequenceBackward(cellAt(q, 0, 0), "tanh", cache, w, cellAt(g, 0, 0), dxs, { truncate });
    return { g: g.flat, ...r };
  };
  return { xs, h0, w, loss, grad };
}

describe("rnnSequenceForward / rnnSequenceBackward (BPTT)", () => {
  it("rnnSequenceBackward matches finite differences for every weight over 12 steps", () => {
    const T = 12;
    const pr = problem(T);
    const report = checkGradients({
      f: (t) => pr.loss(t, pr.h0, 0, T),
      grad: (t) => pr.grad(t).g,
      at: p0.flat as Float64Array,
      names,
      rng: createRng(0),
    });
    expect(report.ok, report.summary).toBe(true);
  });

  it("a long sequence carries gradient from the last step back to t = 0 (dh0 is checked too)", () => {
    const T = 40;
    const pr = problem(T);
    pr.w.data.fill(0, 0, (T - 1) * B * H); // the loss only looks at the last step
    const { dh0, dhNorms } = pr.grad(p0.flat as Float64Array);
    expect(dhNorms[0]).toBeGreaterThan(0);
    const eps = 1e-6;
    for (let i = 0; i < B * H; i++) {
      const plus = fromArray(pr.h0.data, B, H);
      const minus = fromArray(pr.h0.data, B, H);
      plus.data[i] = (plus.data[i] as number) + eps;
      minus.data[i] = (minus.data[i] as number) - eps;
      const numeric =
        (pr.loss(p0.flat as Float64Array, plus, 0, T) - pr.loss(p0.flat as Float64Array, minus, 0, T)) / (2 * eps);
      expect(Math.abs(numeric - (dh0.data[i] as number))).toBeLessThan(1e-9);
    }
  });

  for (const k of [1, 3, 5]) {
    it(`truncated BPTT (k=${k}) equals the exact gradient of the chunked loss with detached chunk starts`, () => {
      const T = 11;
      const pr = problem(T);
      // the states at chunk boundaries, computed once at θ0 and then held constant (detached)
      const { hs } = rnnSequenceForward(cellAt(p0, 0, 0), "tanh", pr.xs, pr.h0);
      const starts = Array.from({ length: Math.ceil(T / k) }, (_, c) =>
        fromArray(rowsView(hs, c * k * B, (c * k + 1) * B).data, B, H),
      );
      const f = (t: Float64Array) =>
        starts.reduce((s, start, c) => s + pr.loss(t, start, c * k, Math.min(T, (c + 1) * k)), 0);
      const report = checkGradients({
        f,
        grad: (t) => pr.grad(t, k).g,
        at: p0.flat as Float64Array,
        names,
        rng: createRng(0),
      });
      expect(report.ok, report.summary).toBe(true);
      expect(Array.from(pr.grad(p0.flat as Float64Array, k).dh0.data).every((v) => v === 0)).toBe(true);
    });
  }

  it("truncate ≥ T is the full gradient; a bad truncate is a ConfigError", () => {
    const pr = problem(6);
    const full = pr.grad(p0.flat as Float64Array, 0);
    const big = pr.grad(p0.flat as Float64Array, 100);
    expect(Array.from(big.g)).toEqual(Array.from(full.g)); // only dh0 is cut
    expect(() => pr.grad(p0.flat as Float64Array, -1)).toThrow(ConfigError);
    expect(() => pr.grad(p0.flat as Float64Array, 1.5)).toThrow(ConfigError);
  });
});
