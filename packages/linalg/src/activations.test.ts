import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  relu,
  reluBackward,
  sigmoid,
  sigmoidBackward,
  sigmoidBackwardInto,
  sigmoidScalar,
  tanh,
  tanhBackward,
} from "./activations.js";
import { ShapeError } from "./errors.js";
import { fromArray, fromRows, type Matrix, toRows, zeros } from "./matrix.js";

// Central finite differences of an elementwise f at each x, compared with backward(dy = 1, y).
function finiteDifferenceCheck(
  f: (x: Matrix) => Matrix,
  backward: (dy: Matrix, y: Matrix) => Matrix,
  xs: number[],
): number {
  const x = fromArray(xs, 1, xs.length);
  const y = f(x);
  const dx = backward(
    fromArray(
      xs.map(() => 1),
      1,
      xs.length,
    ),
    y,
  );
  let worst = 0;
  const eps = 1e-6;
  for (let k = 0; k < xs.length; k++) {
    const xp = fromArray([(xs[k] as number) + eps], 1, 1);
    const xm = fromArray([(xs[k] as number) - eps], 1, 1);
    const numeric = ((f(xp).data[0] as number) - (f(xm).data[0] as number)) / (2 * eps);
    worst = Math.max(worst, Math.abs(numeric - (dx.data[k] as number)));
  }
  return worst;
}

const xs = fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 1, maxLength: 20 });
// relu is not differentiable at 0: keep finite-difference points away from it
const awayFromZero = fc.array(
  fc.double({ min: 0.01, max: 6, noNaN: true }).chain((v) => fc.constantFrom(v, -v)),
  {
    minLength: 1,
    maxLength: 20,
  },
);

describe("activation backward passes match finite differences", () => {
  it("tanhBackward(dy, y) = dy ⊙ (1 − y²)", () => {
    fc.assert(fc.property(xs, (v) => finiteDifferenceCheck(tanh, tanhBackward, v) < 1e-9));
  });
  it("sigmoidBackward(dy, y) = dy ⊙ y ⊙ (1 − y)", () => {
    fc.assert(fc.property(xs, (v) => finiteDifferenceCheck(sigmoid, sigmoidBackward, v) < 1e-9));
  });
  it("reluBackward(dy, y) = dy ⊙ [y > 0]", () => {
    fc.assert(fc.property(awayFromZero, (v) => finiteDifferenceCheck(relu, reluBackward, v) < 1e-9));
  });
});

describe("activation forwards", () => {
  it("sigmoid is stable at ±1000 and symmetric", () => {
    expect(sigmoidScalar(1000)).toBe(1);
    expect(sigmoidScalar(-1000)).toBe(0);
    expect(sigmoidScalar(-3) + sigmoidScalar(3)).toBeCloseTo(1, 15);
    expect(toRows(sigmoid(fromRows([[0]])))).toEqual([[0.5]]);
  });
  it("relu clamps negatives, keeps NaN (as PyTorch), and its gradient at 0 is 0", () => {
    expect(toRows(relu(fromRows([[-1, 0, 2, Number.NaN]])))).toEqual([[0, 0, 2, Number.NaN]]);
    expect(toRows(reluBackward(fromRows([[5, 5]]), fromRows([[0, 1]])))).toEqual([[0, 5]]);
  });
  it("keeps the dtype", () => {
    expect(tanh(zeros(1, 2, "float32")).dtype).toBe("float32");
  });
  it("backward checks that dy, y and dx agree in shape", () => {
    expect(() => tanhBackward(zeros(1, 2), zeros(1, 3))).toThrow(ShapeError);
    expect(() => sigmoidBackwardInto(zeros(2, 2), zeros(1, 2), zeros(1, 2))).toThrow(/dx has shape \[2, 2\]/);
  });
});
