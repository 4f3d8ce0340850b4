import { describe, expect, it } from "vitest";
import { ShapeError } from "./errors.js";
import { fromNested3, slice2d, tensor3, toNested3, zeros3 } from "./tensor3.js";

describe("Tensor3", () => {
  it("fromNested3 / toNested3 round-trip; element (i, j, k) is data[(i·d1 + j)·d2 + k]", () => {
    const x = [
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [9, 10],
        [11, 12],
      ],
    ];
    const t = fromNested3(x);
    expect(t.dims).toEqual([2, 3, 2]);
    expect(t.data[(1 * 3 + 2) * 2 + 1]).toBe(12);
    expect(toNested3(t)).toEqual(x);
    expect(fromNested3([], "float32").data).toBeInstanceOf(Float32Array);
  });

  it("ragged input names the first offending index", () => {
    expect(() =>
      fromNested3([
        [[1, 2]],
        [
          [1, 2],
          [3, 4],
        ],
      ]),
    ).toThrow("fromNested3: x[1] has shape [2], expected (T) = [1]");
    expect(() => fromNested3([[[1, 2], [3]]])).toThrow("fromNested3: x[0][1] has shape [1], expected (D) = [2]");
    expect(() => fromNested3([[1, 2]] as never)).toThrow(ShapeError);
  });

  it("slice2d is a view; tensor3 checks the data length", () => {
    const t = zeros3(2, 2, 3);
    slice2d(t, 1).set(1, 2, 5);
    expect(t.data[11]).toBe(5);
    expect(() => slice2d(t, 2)).toThrow(ShapeError);
    expect(() => tensor3(2, 2, 2, new Float64Array(7))).toThrow(ShapeError);
    expect(() => zeros3(1, -1, 2)).toThrow(ShapeError);
  });
});
