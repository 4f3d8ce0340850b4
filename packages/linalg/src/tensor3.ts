/**
 * Tensor3: a row-major (d0, d1, d2) block of floats, the shape of a batch of sequences (B, T, D) and of
 * stacked hidden states (L·dirs, B, H). Element (i, j, k) lives at `data[(i * d1 + j) * d2 + k]`.
 * It is only a container: the maths works on Matrix views of it (`slice2d`).
 */
import { ShapeError } from "./errors.js";
import { allocArray, type DType, type FloatArray, Matrix } from "./matrix.js";

export interface Tensor3<F extends FloatArray = Float64Array> {
  readonly dims: readonly [number, number, number];
  readonly data: F;
}

const checkDims = (fn: string, dims: readonly number[]): void => {
  if (dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(fn, "dims", dims, [null, null, null], "(three non-negative integers)");
  }
};

/** Wraps `data` (no copy) as (d0, d1, d2). */
export function tensor3<F extends FloatArray>(d0: number, d1: number, d2: number, data: F): Tensor3<F> {
  checkDims("tensor3", [d0, d1, d2]);
  if (data.length !== d0 * d1 * d2)
    throw new ShapeError("tensor3", "data.length", [data.length], [d0 * d1 * d2], "(d0·d1·d2)");
  return { dims: [d0, d1, d2], data };
}

export function zeros3(d0: number, d1: number, d2: number): Tensor3<Float64Array>;
export function zeros3(d0: number, d1: number, d2: number, dtype: "float64"): Tensor3<Float64Array>;
export function zeros3(d0: number, d1: number, d2: number, dtype: "float32"): Tensor3<Float32Array>;
export function zeros3(d0: number, d1: number, d2: number, dtype: DType): Tensor3<FloatArray>;
export function zeros3(d0: number, d1: number, d2: number, dtype: DType = "float64"): Tensor3<FloatArray> {
  checkDims("zeros3", [d0, d1, d2]);
  return { dims: [d0, d1, d2], data: allocArray(dtype, d0 * d1 * d2) };
}

/**
 * Copies nested arrays [d0][d1][d2] into a new tensor. Ragged nesting is a ShapeError naming the
 * first offending index, e.g. `fromNested3: x[1][2] has shape [2], expected (D) = [3]`.
 */
export function fromNested3(
  x: readonly (readonly (readonly number[])[])[],
  dtype: DType = "float64",
  name = "x",
): Tensor3<FloatArray> {
  const d0 = x.length;
  const d1 = d0 === 0 ? 0 : (x[0] as readonly (readonly number[])[]).length;
  const d2 = d1 === 0 ? 0 : ((x[0] as readonly (readonly number[])[])[0] as readonly number[]).length;
  const t = zeros3(d0, d1, d2, dtype);
  for (let i = 0; i < d0; i++) {
    const xi = x[i];
    if (!Array.isArray(xi) || xi.length !== d1)
      throw new ShapeError("fromNested3", `${name}[${i}]`, [Array.isArray(xi) ? xi.length : 0], [d1], "(T)");
    for (let j = 0; j < d1; j++) {
      const xij = xi[j] as readonly number[];
      if (!Array.isArray(xij) || xij.length !== d2) {
        throw new ShapeError("fromNested3", `${name}[${i}][${j}]`, [Array.isArray(xij) ? xij.length : 0], [d2], "(D)");
      }
      t.data.set(xij, (i * d1 + j) * d2);
    }
  }
  return t;
}

/** Nested arrays [d0][d1][d2] (a copy). */
export function toNested3(t: Tensor3<FloatArray>): number[][][] {
  const [d0, d1, d2] = t.dims;
  return Array.from({ length: d0 }, (_, i) =>
    Array.from({ length: d1 }, (_, j) => Array.from(t.data.subarray((i * d1 + j) * d2, (i * d1 + j + 1) * d2))),
  );
}

/** The i-th (d1, d2) slice as a Matrix view sharing storage. */
export function slice2d<F extends FloatArray>(t: Tensor3<F>, i: number): Matrix<F> {
  const [d0, d1, d2] = t.dims;
  if (!Number.isInteger(i) || i < 0 || i >= d0) throw new ShapeError("slice2d", "i", [i], [d0], "(index < d0)");
  return new Matrix(d1, d2, t.data.subarray(i * d1 * d2, (i + 1) * d1 * d2) as F);
}
