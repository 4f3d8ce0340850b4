import { describe, expect, it } from "vitest";
import {
  add,
  addInto,
  addRowVector,
  addRowVectorInto,
  axpy,
  axpyAccumulate,
  hadamard,
  hadamardAccumulate,
  scale,
  sub,
  sumAll,
  sumRows,
  sumRowsAccumulate,
} from "./elementwise.js";
import { DTypeError, ShapeError } from "./errors.js";
import { fromRows, toRows, zeros } from "./matrix.js";

const a = fromRows([
  [1, 2],
  [3, 4],
]);
const b = fromRows([
  [10, 20],
  [30, 40],
]);

describe("elementwise", () => {
  it("add, sub, hadamard, scale allocate and leave inputs alone", () => {
    expect(toRows(add(a, b))).toEqual([
      [11, 22],
      [33, 44],
    ]);
    expect(toRows(sub(b, a))).toEqual([
      [9, 18],
      [27, 36],
    ]);
    expect(toRows(hadamard(a, b))).toEqual([
      [10, 40],
      [90, 160],
    ]);
    expect(toRows(scale(a, -2))).toEqual([
      [-2, -4],
      [-6, -8],
    ]);
    expect(toRows(a)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("addInto(out, out, b) is a valid in-place add", () => {
    const o = fromRows([
      [1, 1],
      [1, 1],
    ]);
    addInto(o, o, b);
    expect(toRows(o)).toEqual([
      [11, 21],
      [31, 41],
    ]);
  });

  it("axpy(α, x, y) = αx + y; axpyAccumulate(y, α, x) does it in place", () => {
    expect(toRows(axpy(2, a, b))).toEqual([
      [12, 24],
      [36, 48],
    ]);
    const y = fromRows([
      [1, 1],
      [1, 1],
    ]);
    axpyAccumulate(y, 0.5, a);
    expect(toRows(y)).toEqual([
      [1.5, 2],
      [2.5, 3],
    ]);
  });

  it("hadamardAccumulate(out, a, b): out += a ⊙ b", () => {
    const o = fromRows([
      [1, 1],
      [1, 1],
    ]);
    expect(toRows(hadamardAccumulate(o, a, a))).toEqual([
      [2, 5],
      [10, 17],
    ]);
  });

  it("addRowVector broadcasts a (1, C) bias over the rows; sumRows is its adjoint", () => {
    const v = fromRows([[100, 200]]);
    expect(toRows(addRowVector(a, v))).toEqual([
      [101, 202],
      [103, 204],
    ]);
    expect(toRows(sumRows(a))).toEqual([[4, 6]]);
    const db = fromRows([[1, 1]]);
    expect(toRows(sumRowsAccumulate(db, a))).toEqual([[5, 7]]);
    expect(sumAll(a)).toBe(10);
    // ⟨addRowVector(0, v), G⟩ = ⟨v, sumRows(G)⟩ for any G
    const G = fromRows([
      [0.5, -1],
      [2, 3],
    ]);
    const lhs = sumAll(hadamard(addRowVector(zeros(2, 2), v), G));
    const s = sumRows(G);
    expect(lhs).toBe(100 * (s.data[0] as number) + 200 * (s.data[1] as number));
  });

  it("shape and dtype mismatches are typed errors", () => {
    expect(() => add(a, zeros(2, 3))).toThrow("add: b has shape [2, 3], expected (shape of a) = [2, 2]");
    expect(() => add(a, zeros(2, 2, "float32") as never)).toThrow(DTypeError);
    expect(() => addRowVector(a, fromRows([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => addRowVectorInto(zeros(1, 2), a, fromRows([[1, 2]]))).toThrow(/out has shape \[1, 2\]/);
    expect(() => sumRowsAccumulate(zeros(2, 2), a)).toThrow(ShapeError);
  });

  it("works on 0-row and 0-column matrices", () => {
    expect(sumRows(zeros(0, 3)).shape).toEqual([1, 3]);
    expect(add(zeros(0, 0), zeros(0, 0)).shape).toEqual([0, 0]);
  });
});
