import { checkGradients } from "@unrolled/gradcheck";
import { createRng, fromArray, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { headBackward, headForwardInto } from "./head.js";

// θ = [W_hy (O, Hd), b_y (O), h (N, Hd)] and L = Σ w ⊙ y for fixed random w, so ∂L/∂y = w.
const [N, Hd, O] = [4, 5, 3];
const rng = createRng(7);
const w = fromArray(rng.fillNormal(new Float64Array(N * O), 0, 1), N, O); // (N, O)
const names = [
  { name: "W_hy", shape: [O, Hd] },
  { name: "b_y", shape: [O] },
  { name: "h", shape: [N, Hd] },
];
const split = (t: Float64Array) => ({
  W_hy: fromArray(t.slice(0, O * Hd), O, Hd),
  b_y: fromArray(t.slice(O * Hd, O * Hd + O), 1, O),
  h: fromArray(t.slice(O * Hd + O), N, Hd),
});
const loss = (t: Float64Array) => {
  const { W_hy, b_y, h } = split(t);
  const y = headForwardInto({ W_hy, b_y }, h, zeros(N, O));
  let L = 0;
  for (let i = 0; i < N * O; i++) L += (y.data[i] as number) * (w.data[i] as number);
  return L;
};
/** The analytic gradient, accumulated `times` times into zeroed buffers (so `times` = 2 doubles it). */
const gradient = (t: Float64Array, times = 1) => {
  const { W_hy, b_y, h } = split(t);
  const g = { W_hy: zeros(O, Hd), b_y: zeros(1, O) };
  const dh = zeros(N, Hd);
  for (let k = 0; k < times; k++) headBackward({ W_hy, b_y }, h, w, g, dh);
  return Float64Array.from([...g.W_hy.data, ...g.b_y.data, ...dh.data]);
};

describe("headForwardInto / headBackward: y = h·W_hyᵀ + b_y", () => {
  const at = rng.fillNormal(new Float64Array(O * Hd + O + N * Hd), 0, 1);

  it("dW_hy, db_y and dh match finite differences", () => {
    const report = checkGradients({ f: loss, grad: gradient, at, names, rng: createRng(0) });
    expect(report.ok, report.summary).toBe(true);
  });

  it("accumulates (+=) into dW_hy, db_y and dh", () => {
    const once = gradient(at);
    expect(Array.from(gradient(at, 2))).toEqual(Array.from(once, (v) => 2 * v));
  });
});
