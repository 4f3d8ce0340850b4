import { ConfigError, createRng, type FloatArray, type Matrix, matmulTransB } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { modelConfig } from "../config.js";
import { INIT_SCHEMES, type InitScheme, initParams, orthogonalInto } from "./init.js";
import { allocateParams } from "./params.js";

const H = 64;
const D = 32;
const config = modelConfig({
  inputSize: D,
  hiddenSize: H,
  bidirectional: true,
  head: { outputSize: 8, activation: "identity" },
});
const init = (scheme: InitScheme, extra = {}) =>
  initParams(allocateParams(config), { rng: createRng(1), scheme, ...extra });
const stats = (m: Matrix<FloatArray>) => {
  const v = Array.from(m.data);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, max: Math.max(...v.map(Math.abs)) };
};
const t = (p: ReturnType<typeof init>, name: string) => p.tensors.get(name) as Matrix<FloatArray>;

describe("initParams", () => {
  it('"pytorch": every RNN tensor ~ U(−1/√H, 1/√H), the head ~ U(−1/√(H·dirs), …) (nn.RNN and nn.Linear defaults)', () => {
    const p = init("pytorch");
    for (const name of ["rnn.weight_ih_l0", "rnn.weight_hh_l0_reverse", "rnn.bias_ih_l0", "rnn.bias_hh_l0"]) {
      const s = stats(t(p, name));
      expect(s.max).toBeLessThanOrEqual(1 / Math.sqrt(H));
      if (!name.includes("bias")) expect(s.std).toBeCloseTo(1 / Math.sqrt(H) / Math.sqrt(3), 2);
    }
    expect(stats(t(p, "head.weight")).max).toBeLessThanOrEqual(1 / Math.sqrt(2 * H));
    expect(stats(t(p, "head.bias")).max).toBeGreaterThan(0);
  });

  it("xavier and he draw with the standard deviations of their papers; biases are zero", () => {
    const fanIn = D;
    const fanOut = H;
    expect(stats(t(init("xavier-uniform"), "rnn.weight_ih_l0")).max).toBeLessThanOrEqual(
      Math.sqrt(6 / (fanIn + fanOut)),
    );
    expect(stats(t(init("xavier-uniform"), "rnn.weight_ih_l0")).std).toBeCloseTo(Math.sqrt(2 / (fanIn + fanOut)), 2);
    expect(stats(t(init("xavier-normal"), "rnn.weight_ih_l0")).std).toBeCloseTo(Math.sqrt(2 / (fanIn + fanOut)), 2);
    expect(stats(t(init("he-normal"), "rnn.weight_hh_l0")).std).toBeCloseTo(Math.sqrt(2 / H), 2);
    expect(stats(t(init("he-uniform"), "rnn.weight_hh_l0")).max).toBeLessThanOrEqual(Math.sqrt(6 / H));
    expect(stats(t(init("he-normal"), "rnn.bias_ih_l0")).max).toBe(0);
  });

  it('"orthogonal" makes each W_hh orthogonal (W·Wᵀ = I)', () => {
    const W = t(init("orthogonal"), "rnn.weight_hh_l0");
    const I = matmulTransB(W, W);
    for (let i = 0; i < H; i++)
      for (let j = 0; j < H; j++) expect(Math.abs(I.get(i, j) - (i === j ? 1 : 0))).toBeLessThan(1e-12);
    // non-square: a tall (3, 1) matrix gets a unit column, a wide (1, 3) one a unit row
    const small = allocateParams(
      modelConfig({ inputSize: 1, hiddenSize: 3, head: { outputSize: 1, activation: "identity" } }),
    );
    for (const m of [t(small, "rnn.weight_ih_l0"), small.head.W_hy]) {
      orthogonalInto(m, createRng(2));
      expect(Math.abs(Array.from(m.data).reduce((a, v) => a + v * v, 0) - 1)).toBeLessThan(1e-12);
    }
  });

  it('"normal" (std 0.01 by default, the tutorials\' randn·0.01) and "uniform" (U(0, 1), the sine tutorial)', () => {
    expect(stats(t(init("normal"), "rnn.weight_hh_l0")).std).toBeCloseTo(0.01, 3);
    const u = stats(t(init("uniform"), "rnn.weight_hh_l0"));
    expect(u.mean).toBeCloseTo(0.5, 1);
    expect(Math.min(...t(init("uniform"), "rnn.weight_hh_l0").data)).toBeGreaterThanOrEqual(0);
    expect(stats(t(init("normal", { std: 1, biases: "same" }), "rnn.bias_ih_l0")).std).toBeGreaterThan(0.5);
  });

  it('"irnn": each W_hh is the identity, the other weights ~ N(0, 0.001²), biases 0 (Le, Jaitly & Hinton 2015)', () => {
    const p = init("irnn");
    const W = t(p, "rnn.weight_hh_l0_reverse");
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) expect(W.get(i, j)).toBe(i === j ? 1 : 0);
    expect(stats(t(p, "rnn.weight_ih_l0")).std).toBeCloseTo(0.001, 4);
    expect(stats(t(p, "rnn.bias_hh_l0")).max).toBe(0);
    expect(stats(t(init("irnn", { std: 0.1 }), "head.weight")).std).toBeCloseTo(0.1, 1);
  });

  it("chrono (Tallec & Ollivier 2018): the LSTM's b_f = log U(1, T − 1) and b_i = −b_f; the GRU's z; only in b_ih", () => {
    for (const cell of ["lstm", "gru"] as const) {
      const c = modelConfig({ cell, inputSize: 3, hiddenSize: 200, head: { outputSize: 1, activation: "identity" } });
      const p = initParams(allocateParams(c), { rng: createRng(2), scheme: "xavier-uniform", chrono: 100 });
      const [bih, bhh] = [t(p, "rnn.bias_ih_l0").data, t(p, "rnn.bias_hh_l0").data];
      const f = Array.from(bih.subarray(200, 400));
      expect(Math.min(...f)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...f)).toBeLessThanOrEqual(Math.log(99));
      expect(Math.max(...f)).toBeGreaterThan(4); // spread over log 1 … log 99
      expect(Array.from(bhh.subarray(cell === "lstm" ? 0 : 200, 400)).every((v) => v === 0)).toBe(true);
      if (cell === "lstm") expect(Array.from(bih.subarray(0, 200))).toEqual(f.map((v) => -v));
    }
    const rnn = allocateParams(
      modelConfig({ inputSize: 1, hiddenSize: 2, head: { outputSize: 1, activation: "identity" } }),
    );
    expect(() => initParams(rnn, { rng: createRng(1), chrono: 100 })).toThrow(
      /needs an LSTM or GRU with biases, got rnn/,
    );
    const lstm = allocateParams(
      modelConfig({ cell: "lstm", inputSize: 1, hiddenSize: 2, head: { outputSize: 1, activation: "identity" } }),
    );
    expect(() => initParams(lstm, { rng: createRng(1), chrono: 2 })).toThrow(
      /chrono must be a number of steps > 2, got 2/,
    );
    expect(() => initParams(lstm, { rng: createRng(1), chrono: 50, forgetBias: 1 })).toThrow(/not both/);
  });

  it("is reproducible from the seed and different across seeds", () => {
    for (const scheme of INIT_SCHEMES) {
      const a = initParams(allocateParams(config), { rng: createRng(5), scheme }).flat;
      const b = initParams(allocateParams(config), { rng: createRng(5), scheme }).flat;
      const c = initParams(allocateParams(config), { rng: createRng(6), scheme }).flat;
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Array.from(a)).not.toEqual(Array.from(c));
    }
  });

  it("rejects unknown schemes and bad options with ConfigError", () => {
    expect(() => init("zeros" as InitScheme)).toThrow(ConfigError);
    expect(() => init("normal", { std: 0 })).toThrow("init: std must be > 0, got 0");
    expect(() => init("uniform", { low: 1, high: 1 })).toThrow(ConfigError);
  });
});

describe("forgetBias", () => {
  it("sets the LSTM forget-gate block of both biases to half the value each, and nothing else", () => {
    const c = modelConfig({
      cell: "lstm",
      inputSize: 2,
      hiddenSize: 3,
      head: { outputSize: 1, activation: "identity" },
    });
    const p = initParams(allocateParams(c), { rng: createRng(1), forgetBias: 1 });
    for (const name of ["rnn.bias_ih_l0", "rnn.bias_hh_l0"]) {
      const b = Array.from(t(p, name).data);
      expect(b.slice(3, 6)).toEqual([0.5, 0.5, 0.5]);
      expect(b.slice(0, 3).every((v) => v !== 0.5)).toBe(true);
    }
    const rnn = initParams(allocateParams(config), { rng: createRng(1), forgetBias: 1 });
    expect(Array.from(rnn.flat)).toEqual(Array.from(init("pytorch").flat)); // ignored for other cells
    expect(() => initParams(allocateParams(c), { rng: createRng(1), forgetBias: Number.NaN })).toThrow(ConfigError);
  });
});
