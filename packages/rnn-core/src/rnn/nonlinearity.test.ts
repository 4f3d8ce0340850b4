import { checkGradients } from "@unrolled/gradcheck";
import { createRng } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import type { Nonlinearity } from "../config.js";
import { phiBackward, phiRange } from "./nonlinearity.js";

// One step of n units: h = φ(a), and L = Σ (up + dhNext) ⊙ h, so phiBackward's da is ∂L/∂a.
// hs holds the step's h at offset o + n, as the sequence buffers do (hs row t+1 is hₜ).
const n = 6;
const o = 2 * n; // a step inside the buffer, not at 0
const rng = createRng(3);
const up = rng.fillNormal(new Float64Array(3 * n), 0, 1);
const dhNext = rng.fillNormal(new Float64Array(n), 0, 1);

function analytic(phi: Nonlinearity, a: Float64Array): { da: Float64Array; sq: number } {
  const hs = new Float64Array(4 * n);
  phiRange(phi, a, 0, hs, o + n, n);
  const da = new Float64Array(3 * n);
  const sq = phiBackward(phi, da, up, dhNext, hs, o, n, n);
  return { da: da.slice(o, o + n), sq };
}

describe("phiBackward: da = (up + dhNext) ⊙ φ'(a), φ' written from h = φ(a)", () => {
  for (const phi of ["tanh", "sigmoid", "relu"] as const) {
    it(`${phi}: matches finite differences of φ`, () => {
      // relu: keep a away from its kink at 0, where no finite difference is meaningful
      const at = Float64Array.from(rng.fillNormal(new Float64Array(n), 0, 1.5), (v) =>
        Math.abs(v) < 0.1 ? v + 0.3 : v,
      );
      const f = (a: Float64Array) => {
        const h = new Float64Array(n);
        phiRange(phi, a, 0, h, 0, n);
        return h.reduce((s, v, i) => s + v * ((up[o + i] as number) + (dhNext[i] as number)), 0);
      };
      const report = checkGradients({ f, grad: (a) => analytic(phi, a).da, at, names: [{ name: "a", shape: [n] }] });
      expect(report.ok, report.summary).toBe(true);
    });

    it(`${phi}: returns ‖dh‖² with dh = up + dhNext`, () => {
      const expected = Array.from({ length: n }, (_, i) => ((up[o + i] as number) + (dhNext[i] as number)) ** 2);
      expect(analytic(phi, Float64Array.of(0.1, -0.2, 0.3, 0.4, -0.5, 0.6)).sq).toBeCloseTo(
        expected.reduce((s, v) => s + v, 0),
        14,
      );
    });
  }
});
