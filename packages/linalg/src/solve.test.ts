import { describe, expect, it } from "vitest";
import { DataError, ShapeError } from "./errors.js";
import { matmul, matmulTransA } from "./matmul.js";
import { fromArray, fromRows } from "./matrix.js";
import { maxAbsDiff } from "./norms.js";
import { createRng } from "./rng.js";
import { choleskyInPlace, leastSquares, predictLinear, solveSpd } from "./solve.js";

describe("Cholesky and least squares", () => {
  it("solveSpd solves A·X = B for a random SPD matrix", () => {
    const rng = createRng(1);
    const M = fromArray(rng.fillNormal(new Float64Array(36)), 6, 6);
    const A = matmulTransA(M, M);
    for (let i = 0; i < 6; i++) A.set(i, i, A.get(i, i) + 0.5);
    const B = fromArray(rng.fillNormal(new Float64Array(12)), 6, 2);
    const X = solveSpd(A, B);
    expect(maxAbsDiff(matmul(A, X), B)).toBeLessThan(1e-12);
  });

  it("leastSquares recovers exact coefficients and the intercept", () => {
    const rng = createRng(2);
    const X = fromArray(rng.fillNormal(new Float64Array(50 * 3)), 50, 3);
    const y = new Float64Array(50);
    for (let n = 0; n < 50; n++) y[n] = 2 * X.get(n, 0) - X.get(n, 1) + 0.5 * X.get(n, 2) + 7;
    const W = leastSquares(X, fromArray(y, 50, 1));
    expect(Array.from(W.data).map((v) => Number(v.toFixed(10)))).toEqual([2, -1, 0.5, 7]);
    expect(maxAbsDiff(predictLinear(X, W), fromArray(y, 50, 1))).toBeLessThan(1e-10);
  });

  it("a collinear X needs ridge; without it the error says why", () => {
    const X = fromRows([
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    const Y = fromRows([[1], [2], [3]]);
    expect(() => leastSquares(X, Y)).toThrow(DataError);
    expect(() => leastSquares(X, Y, 1e-9)).not.toThrow();
    expect(() => choleskyInPlace(fromRows([[1, 2]]))).toThrow(ShapeError);
  });
});
