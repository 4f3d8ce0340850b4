import { checkGradients } from "@unrolled/gradcheck";
import { createRng, dot, fromArray, rowsView, ShapeError, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { modelConfig, type Nonlinearity } from "../config.js";
import { initParams } from "../params/init.js";
import { allocateParams, cellAt, paramsFromFlat } from "../params/params.js";
import { rnnCellBackward, rnnCellForward } from "./rnn-cell.js";

// θ = [cell params…, x (B, D), hPrev (B, H)], loss = Σ w ⊙ hₜ for fixed random weights w
function setup(B: number, D: number, H: number, phi: Nonlinearity, bias = true) {
  const config = modelConfig({
    inputSize: D,
    hiddenSize: H,
    nonlinearity: phi,
    bias,
    head: { outputSize: 1, activation: "identity" },
  });
  const rng = createRng(7);
  const p = initParams(allocateParams(config), { rng, scheme: "normal", std: 0.6, biases: "same" });
  const P = p.flat.length;
  const at = new Float64Array(P + B * D + B * H);
  at.set(p.flat);
  rng.fillNormal(at.subarray(P));
  const w = fromArray(rng.fillNormal(new Float64Array(B * H)), B, H);
  const split = (t: Float64Array) => {
    const q = paramsFromFlat(config, t.subarray(0, P));
    return { q, x: fromArray(t.subarray(P, P + B * D), B, D), hPrev: fromArray(t.subarray(P + B * D), B, H) };
  };
  const names = [
    ...p.slots.map((s) => ({ name: s.name, shape: s.shape })),
    { name: "x", shape: [B, D] },
    { name: "hPrev", shape: [B, H] },
  ];
  return { config, split, at, w, names, P };
}

describe("rnnCellForward / rnnCellBackward", () => {
  for (const phi of ["tanh", "relu", "sigmoid"] as const) {
    for (const [B, D, H] of [
      [3, 2, 4],
      [1, 1, 1],
      [2, 5, 1],
      [1, 3, 6],
    ] as const) {
      it(`rnnCellBackward(dh, cache) matches finite differences for every weight, x and hPrev (${phi}, B=${B} D=${D} H=${H})`, () => {
        const { config, split, at, w, names, P } = setup(B, D, H, phi);
        const f = (t: Float64Array) => {
          const { q, x, hPrev } = split(t);
          const h = zeros(B, H);
          rnnCellForward(cellAt(q, 0, 0), phi, x, hPrev, h);
          return dot(h, w);
        };
        const grad = (t: Float64Array) => {
          const { q, x, hPrev } = split(t);
          const h = zeros(B, H);
          const cache = rnnCellForward(cellAt(q, 0, 0), phi, x, hPrev, h);
          const g = new Float64Array(t.length);
          const gq = paramsFromFlat(config, g.subarray(0, P));
          const dx = fromArray(new Float64Array(B * D), B, D);
          const dhPrev = zeros(B, H);
          rnnCellBackward(cellAt(q, 0, 0), phi, cache, w, cellAt(gq, 0, 0), dx, dhPrev);
          g.set(dx.data, P);
          g.set(dhPrev.data, P + B * D);
          return g;
        };
        const report = checkGradients({ f, grad, at, names, rng: createRng(1) });
        expect(report.ok, report.summary).toBe(true);
      });
    }
  }

  it("fan-out: when one x feeds two steps, dx is the sum of both paths (backward accumulates)", () => {
    const B = 2;
    const D = 3;
    const H = 4;
    const { config, split, at, w } = setup(B, D, H, "tanh");
    const h1 = zeros(B, H);
    const h2 = zeros(B, H);
    // L = Σ w ⊙ cell(x, cell(x, hPrev)): x is used twice
    const f = (t: Float64Array) => {
      const { q, x, hPrev } = split(t);
      const c = cellAt(q, 0, 0);
      rnnCellForward(c, "tanh", x, hPrev, h1);
      rnnCellForward(c, "tanh", x, h1, h2);
      return dot(h2, w);
    };
    const { q, x, hPrev } = split(at);
    const c = cellAt(q, 0, 0);
    const c1 = rnnCellForward(c, "tanh", x, hPrev, h1);
    const c2 = rnnCellForward(c, "tanh", x, h1, h2);
    const g = allocateParams(config);
    const dx = zeros(B, D);
    const dh1 = zeros(B, H);
    const dh0 = zeros(B, H);
    rnnCellBackward(c, "tanh", c2, w, cellAt(g, 0, 0), dx, dh1);
    rnnCellBackward(c, "tanh", c1, dh1, cellAt(g, 0, 0), dx, dh0);
    const P = q.flat.length;
    const eps = 1e-6;
    for (let i = 0; i < B * D; i++) {
      const tp = Float64Array.from(at);
      const tm = Float64Array.from(at);
      tp[P + i] = (tp[P + i] as number) + eps;
      tm[P + i] = (tm[P + i] as number) - eps;
      expect(Math.abs((f(tp) - f(tm)) / (2 * eps) - (dx.data[i] as number))).toBeLessThan(1e-8);
    }
    // and the parameter gradients accumulated over both uses: compare W_hh[0,0] numerically
    const k = q.slots.find((s) => s.name === "rnn.weight_hh_l0")?.offset as number;
    const tp = Float64Array.from(at);
    const tm = Float64Array.from(at);
    tp[k] = (tp[k] as number) + eps;
    tm[k] = (tm[k] as number) - eps;
    expect(Math.abs((f(tp) - f(tm)) / (2 * eps) - (g.flat[k] as number))).toBeLessThan(1e-8);
  });

  it("checks shapes and names the argument", () => {
    const { split, at } = setup(2, 3, 4, "tanh");
    const { q, x, hPrev } = split(at);
    expect(() => rnnCellForward(cellAt(q, 0, 0), "tanh", rowsView(x, 0, 1), hPrev, zeros(2, 4))).toThrow(
      "rnnCellForward: x has shape [1, 3], expected (B, D) = [2, 3]",
    );
    expect(() => rnnCellForward(cellAt(q, 0, 0), "tanh", x, hPrev, zeros(2, 5))).toThrow(ShapeError);
  });
});
