import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FloatArray, fromArray, fromRows, type Matrix } from "./matrix.js";
import { logSoftmaxRows, rowLogSumExp, softmaxRows, softmaxRowsBackward } from "./softmax.js";

const row = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 12 });

describe("softmaxRows / logSoftmaxRows", () => {
  it("rows sum to 1 and exp(logSoftmax) equals softmax", () => {
    fc.assert(
      fc.property(row, (z) => {
        const m = fromArray(z, 1, z.length);
        const p = softmaxRows(m);
        const lp = logSoftmaxRows(m);
        const s = Array.from(p.data).reduce((x, y) => x + y, 0);
        expect(Math.abs(s - 1)).toBeLessThan(1e-12);
        for (let j = 0; j < z.length; j++)
          expect(Math.abs(Math.exp(lp.data[j] as number) - (p.data[j] as number))).toBeLessThan(1e-12);
      }),
    );
  });

  it("does not overflow on huge logits and is invariant to a shift", () => {
    const p = softmaxRows(
      fromRows([
        [1000, 1001, 1002],
        [-1000, -999, -998],
      ]),
    );
    expect(Array.from(p.data).every(Number.isFinite)).toBe(true);
    for (let j = 0; j < 3; j++) expect(p.get(0, j)).toBeCloseTo(p.get(1, j), 14);
    expect(logSoftmaxRows(fromRows([[1000, 0]])).get(0, 1)).toBeCloseTo(-1000, 10);
  });

  it("rowLogSumExp of an empty row is −∞", () => {
    expect(rowLogSumExp(new Float64Array(0), 0, 0)).toBe(Number.NEGATIVE_INFINITY);
  });

  it("softmaxRowsBackward(dp, p) matches finite differences of Σ dp ⊙ softmax(z)", () => {
    fc.assert(
      fc.property(row, row, (z, g) => {
        const C = Math.min(z.length, g.length);
        const zz = fromArray(z.slice(0, C), 1, C);
        const dp = fromArray(g.slice(0, C), 1, C);
        const L = (m: Matrix<FloatArray>) =>
          Array.from(softmaxRows(m).data).reduce((s, v, j) => s + v * (dp.data[j] as number), 0);
        const dz = softmaxRowsBackward(dp, softmaxRows(zz));
        const eps = 1e-6;
        for (let j = 0; j < C; j++) {
          const plus = fromArray(zz.data, 1, C);
          const minus = fromArray(zz.data, 1, C);
          plus.data[j] = (plus.data[j] as number) + eps;
          minus.data[j] = (minus.data[j] as number) - eps;
          const numeric = (L(plus) - L(minus)) / (2 * eps);
          expect(Math.abs(numeric - (dz.data[j] as number))).toBeLessThan(1e-7 * (1 + Math.abs(numeric)) * 50);
        }
      }),
      { numRuns: 50 },
    );
  });
});
