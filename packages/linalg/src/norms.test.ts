import { describe, expect, it } from "vitest";
import { fromRows, zeros } from "./matrix.js";
import { allFinite, dot, frobeniusNorm, maxAbs, maxAbsDiff, vectorNorm } from "./norms.js";

describe("norms", () => {
  it("vectorNorm, frobeniusNorm and maxAbs", () => {
    expect(vectorNorm([3, 4])).toBe(5);
    expect(
      frobeniusNorm(
        fromRows([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toBe(5);
    expect(
      maxAbs(
        fromRows([
          [1, -7],
          [2, 4],
        ]),
      ),
    ).toBe(7);
    expect(maxAbs(zeros(0, 0))).toBe(0);
  });
  it("NaN anywhere makes maxAbs and maxAbsDiff NaN (never hidden by a later element)", () => {
    expect(maxAbs([Number.NaN, 1, 2])).toBeNaN();
    expect(maxAbsDiff(fromRows([[Number.NaN, 1]]), fromRows([[0, 0]]))).toBeNaN();
    expect(maxAbsDiff(fromRows([[1, 5]]), fromRows([[0, 2]]))).toBe(3);
  });
  it("dot is the Frobenius inner product and checks shapes", () => {
    expect(
      dot(
        fromRows([
          [1, 2],
          [3, 4],
        ]),
        fromRows([
          [1, 0],
          [2, -1],
        ]),
      ),
    ).toBe(1 + 6 - 4);
    expect(() => dot(zeros(1, 2), zeros(2, 1))).toThrow(/dot: b has shape/);
  });
  it("allFinite rejects NaN and ±∞", () => {
    expect(allFinite([1, 2])).toBe(true);
    expect(allFinite([1, Number.POSITIVE_INFINITY])).toBe(false);
    expect(allFinite(new Float32Array([Number.NaN]))).toBe(false);
  });
  it("maxAbsDiff requires equal shapes", () => {
    expect(() => maxAbsDiff(zeros(1, 2), zeros(2, 1))).toThrow(/maxAbsDiff: b has shape \[2, 1\]/);
  });
});
