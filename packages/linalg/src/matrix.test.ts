import { describe, expect, it } from "vitest";
import { ConfigError, DTypeError, FormatError, ShapeError, UnrolledError } from "./errors.js";
import {
  allocLike,
  assertShape,
  clone,
  copyInto,
  fromArray,
  fromRows,
  full,
  Matrix,
  reshape,
  rowsView,
  rowView,
  toRows,
  transposeInto,
  zeros,
  zerosLike,
} from "./matrix.js";

describe("Matrix construction", () => {
  it("zeros(r, c, dtype) keeps the dtype; the default is float64", () => {
    expect(zeros(2, 3).dtype).toBe("float64");
    expect(zeros(2, 3, "float32").data).toBeInstanceOf(Float32Array);
    expect(zerosLike(zeros(1, 4, "float32")).data).toBeInstanceOf(Float32Array);
    expect(allocLike(new Float32Array(1), 3)).toBeInstanceOf(Float32Array);
  });

  it("fromRows and toRows round-trip, element (i, j) is data[i * cols + j]", () => {
    const m = fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.shape).toEqual([2, 3]);
    expect(m.get(1, 0)).toBe(4);
    expect(m.data[1 * 3 + 2]).toBe(6);
    expect(toRows(m)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(fromRows([]).shape).toEqual([0, 0]);
  });

  it("fromRows throws ShapeError naming the ragged row", () => {
    expect(() => fromRows([[1, 2], [3]])).toThrow("fromRows: rows[1] has shape [1], expected (cols of rows[0]) = [2]");
  });

  it("new Matrix(r, c, data) rejects a data length that is not r·c, and bad dimensions", () => {
    expect(() => new Matrix(2, 2, new Float64Array(3))).toThrow(ShapeError);
    expect(() => zeros(-1, 2)).toThrow(/zeros: shape has shape \[-1, 2\]/);
    expect(() => zeros(1.5, 2)).toThrow(ShapeError);
    expect(() => fromArray([1, 2, 3], 2, 2)).toThrow(
      "fromArray: data.length has shape [3], expected (rows·cols) = [4]",
    );
  });

  it("fromArray copies (later writes to the source do not leak in)", () => {
    const src = new Float64Array([1, 2, 3, 4]);
    const m = fromArray(src, 2, 2, "float32");
    src[0] = 99;
    expect(m.get(0, 0)).toBe(1);
    expect(m.dtype).toBe("float32");
  });

  it("full, clone and copyInto", () => {
    const m = full(2, 2, 7);
    const c = clone(m);
    c.set(0, 0, 1);
    expect(m.get(0, 0)).toBe(7);
    expect(toRows(copyInto(zeros(2, 2), c))).toEqual([
      [1, 7],
      [7, 7],
    ]);
    expect(() => copyInto(zeros(2, 3), c)).toThrow(ShapeError);
  });
});

describe("views share storage", () => {
  it("rowView(m, i) writes through to m", () => {
    const m = fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const r = rowView(m, 1);
    expect(r.shape).toEqual([1, 2]);
    r.set(0, 1, 40);
    expect(m.get(1, 1)).toBe(40);
  });

  it("rowsView(m, start, end) has end − start rows; out-of-range is a ShapeError", () => {
    const m = fromRows([[1], [2], [3]]);
    expect(toRows(rowsView(m, 1, 3))).toEqual([[2], [3]]);
    expect(rowsView(m, 3, 3).shape).toEqual([0, 1]);
    expect(() => rowsView(m, 2, 4)).toThrow(ShapeError);
    expect(() => rowsView(m, 2, 1)).toThrow(ShapeError);
  });

  it("reshape keeps storage and checks the element count", () => {
    const m = fromRows([[1, 2, 3, 4]]);
    const r = reshape(m, 2, 2);
    expect(r.data).toBe(m.data);
    expect(() => reshape(m, 3, 2)).toThrow(ShapeError);
  });
});

describe("assertShape", () => {
  it("names function, argument, actual and expected shape with symbols", () => {
    expect(() => assertShape("rnnCellForward", "hPrev", zeros(2, 32), [2, 64], "(B, H)")).toThrow(
      "rnnCellForward: hPrev has shape [2, 32], expected (B, H) = [2, 64]",
    );
    expect(() => assertShape("f", "x", zeros(2, 3), [null, 3])).not.toThrow();
  });
});

describe("typed errors", () => {
  it("carry stable codes and are recognised by isInstance, also across copies of the package", () => {
    const e = new ShapeError("f", "x", [1], [2]);
    expect(e.code).toBe("E_SHAPE");
    expect(ShapeError.isInstance(e)).toBe(true);
    expect(DTypeError.isInstance(e)).toBe(false);
    expect(UnrolledError.isInstance(e)).toBe(true);
    // a structurally identical error from another copy of this package (same Symbol.for marker):
    const foreign = Object.assign(new Error("x"), { [Symbol.for("unrolled.error")]: "ShapeError" });
    expect(ShapeError.isInstance(foreign)).toBe(true);
    expect(UnrolledError.isInstance(new Error("plain"))).toBe(false);
    expect(new ConfigError("c").code).toBe("E_CONFIG");
    expect(new FormatError("f").name).toBe("FormatError");
  });
});

describe("transposeInto", () => {
  it("writes srcᵀ, and names a wrongly shaped out", () => {
    const src = fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(toRows(transposeInto(zeros(3, 2), src))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(() => transposeInto(zeros(2, 3), src)).toThrow(
      "transposeInto: out has shape [2, 3], expected (src.cols, src.rows) = [3, 2]",
    );
  });
});
