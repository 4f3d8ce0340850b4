import { ConfigError, createRng, ShapeError } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { checkGradients } from "./check.js";
import { coordinateName, layoutOf, layoutSize } from "./layout.js";

// A tiny tanh recurrence written out by hand, the test subject for the checker itself:
//   h_t = tanh(W x_t + U h_{t−1} + b),  h_{−1} = 0,   L = Σ_t c · h_t
// θ = [W (H, D), U (H, H), b (H)] laid out flat.
const H = 3;
const D = 2;
const T = 4;
const names = [
  { name: "W", shape: [H, D] },
  { name: "U", shape: [H, H] },
  { name: "b", shape: [H] },
];
const rng = createRng(11);
const xs = Array.from({ length: T }, () => Array.from({ length: D }, () => rng.normal()));
const c = Array.from({ length: H }, () => rng.normal());
const theta0 = rng.fillNormal(new Float64Array(H * D + H * H + H), 0, 0.7);
const W = (t: Float64Array, i: number, j: number) => t[i * D + j] as number;
const U = (t: Float64Array, i: number, j: number) => t[H * D + i * H + j] as number;
const b = (t: Float64Array, i: number) => t[H * D + H * H + i] as number;

function forward(t: Float64Array): { loss: number; hs: number[][] } {
  const hs: number[][] = [];
  let hPrev = new Array<number>(H).fill(0);
  let loss = 0;
  for (let s = 0; s < T; s++) {
    const h = Array.from({ length: H }, (_, i) => {
      let a = b(t, i);
      for (let j = 0; j < D; j++) a += W(t, i, j) * (xs[s]?.[j] as number);
      for (let j = 0; j < H; j++) a += U(t, i, j) * (hPrev[j] as number);
      return Math.tanh(a);
    });
    for (let i = 0; i < H; i++) loss += (c[i] as number) * (h[i] as number);
    hs.push(h);
    hPrev = h;
  }
  return { loss, hs };
}

/** BPTT; with `dropBiasAtT0` it forgets the bias gradient at t = 0 (the weather tutorial's bug). */
function backward(t: Float64Array, dropBiasAtT0 = false): Float64Array {
  const { hs } = forward(t);
  const g = new Float64Array(t.length);
  let dhNext = new Array<number>(H).fill(0);
  for (let s = T - 1; s >= 0; s--) {
    const h = hs[s] as number[];
    const hPrev = s > 0 ? (hs[s - 1] as number[]) : new Array<number>(H).fill(0);
    const da = h.map((hi, i) => ((c[i] as number) + (dhNext[i] as number)) * (1 - hi * hi));
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < D; j++) g[i * D + j] = (g[i * D + j] as number) + (da[i] as number) * (xs[s]?.[j] as number);
      for (let j = 0; j < H; j++)
        g[H * D + i * H + j] = (g[H * D + i * H + j] as number) + (da[i] as number) * (hPrev[j] as number);
      if (!(dropBiasAtT0 && s === 0)) g[H * D + H * H + i] = (g[H * D + H * H + i] as number) + (da[i] as number);
    }
    dhNext = Array.from({ length: H }, (_, j) => da.reduce((acc, d, i) => acc + d * U(t, i, j), 0));
  }
  return g;
}

const f = (t: Float64Array) => forward(t).loss;

describe("checkGradients", () => {
  it("passes a correct BPTT with the default (tight) tolerances and checks every coordinate", () => {
    const report = checkGradients({ f, grad: (t) => backward(t), at: theta0, names, rng: createRng(0) });
    expect(report.ok, report.summary).toBe(true);
    expect(report.checked).toBe(theta0.length);
    expect(report.maxRelErr).toBeLessThan(1e-7);
    expect(report.tensors.map((r) => r.name)).toEqual(["W", "U", "b"]);
    expect(report.directional).toHaveLength(3);
    expect(report.summary).toMatch(/^OK: maxRelErr=/);
  });

  it("fails on a planted bug (the bias gradient at t = 0 removed) and names the parameter", () => {
    const report = checkGradients({ f, grad: (t) => backward(t, true), at: theta0, names, rng: createRng(0) });
    expect(report.ok).toBe(false);
    expect(report.failures.length).toBe(H);
    expect(report.failures.every((r) => /^b\[\d\]$/.test(r.name))).toBe(true);
    expect(report.tensors.find((r) => r.name === "b")?.failed).toBe(H);
    expect(report.tensors.find((r) => r.name === "W")?.failed).toBe(0);
    expect(report.summary).toMatch(/^b\[0\] analytic=.* NOT OK$/m);
    expect(report.directional.some((d) => !d.ok)).toBe(true);
  });

  it("the directional check alone catches a bug in coordinates that sampling skipped", () => {
    const wrong = (t: Float64Array) => {
      const g = backward(t);
      g[0] = (g[0] as number) + 0.1; // W[0,0] off by 0.1
      return g;
    };
    const only = checkGradients({
      f,
      grad: wrong,
      at: theta0,
      names: [{ name: "θ", shape: [theta0.length] }],
      sample: 1,
      rng: createRng(5),
      directions: 4,
    });
    expect(only.checked).toBe(1);
    expect(only.directional.some((d) => !d.ok)).toBe(true);
    expect(only.ok).toBe(false);
  });

  it("sample draws that many distinct coordinates per tensor, reproducibly", () => {
    const a = checkGradients({
      f,
      grad: (t) => backward(t),
      at: theta0,
      names,
      sample: 2,
      rng: createRng(9),
      directions: 0,
    });
    const b2 = checkGradients({
      f,
      grad: (t) => backward(t),
      at: theta0,
      names,
      sample: 2,
      rng: createRng(9),
      directions: 0,
    });
    expect(a.checked).toBe(6);
    expect(a.tensors.map((t) => t.worst?.name)).toEqual(b2.tensors.map((t) => t.worst?.name));
  });

  it("does not modify θ", () => {
    const at = Float64Array.from(theta0);
    checkGradients({ f, grad: (t) => backward(t), at, names });
    expect(Array.from(at)).toEqual(Array.from(theta0));
  });

  it("a NaN loss fails the check instead of passing silently", () => {
    const report = checkGradients({
      f: () => Number.NaN,
      grad: (t) => new Float64Array(t.length),
      at: theta0,
      names,
      directions: 1,
    });
    expect(report.ok).toBe(false);
  });

  it("rejects bad options with typed errors", () => {
    const base = { f, grad: (t: Float64Array) => backward(t), at: theta0, names };
    expect(() => checkGradients({ ...base, eps: 0 })).toThrow("checkGradients: eps must be > 0, got 0");
    expect(() => checkGradients({ ...base, atol: -1 })).toThrow(ConfigError);
    expect(() => checkGradients({ ...base, rtol: Number.NaN })).toThrow(ConfigError);
    expect(() => checkGradients({ ...base, sample: 0 })).toThrow(ConfigError);
    expect(() => checkGradients({ ...base, names: [{ name: "W", shape: [2, 2] }] })).toThrow(ShapeError);
    expect(() => checkGradients({ ...base, grad: () => new Float64Array(2) })).toThrow(
      "checkGradients: grad(θ) has shape [2], expected (like θ) = [18]",
    );
  });
});

describe("layout", () => {
  it("coordinateName gives row-major indices", () => {
    expect(coordinateName({ name: "W_hh", shape: [8, 8] }, 3 * 8 + 7)).toBe("W_hh[3,7]");
    expect(coordinateName({ name: "b", shape: [4] }, 2)).toBe("b[2]");
    expect(coordinateName({ name: "s", shape: [] }, 0)).toBe("s");
    expect(coordinateName({ name: "x", shape: [2, 3, 4] }, 23)).toBe("x[1,2,3]");
  });
  it("layoutOf lays tensors back to back", () => {
    const l = layoutOf(names);
    expect(l.map((s) => s.offset)).toEqual([0, 6, 15]);
    expect(layoutSize(l)).toBe(18);
    expect(() => layoutOf([{ name: "bad", shape: [-1] }])).toThrow(ConfigError);
  });
});
