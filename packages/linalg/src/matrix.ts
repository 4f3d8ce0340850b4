/**
 * Matrix: a row-major (rows, cols) view over a Float32Array or Float64Array.
 *
 * Element (i, j) lives at `data[i * cols + j]`. Every operation preserves the dtype, and mixing a
 * Float32 matrix with a Float64 one is a DTypeError: nothing is upcast behind your back.
 * Allocation is visible in names: `add(a, b)` allocates, `addInto(out, a, b)` writes `out`,
 * `...Accumulate(out, ...)` adds into `out`.
 */
import { DTypeError, ShapeError } from "./errors.js";

export type FloatArray = Float32Array | Float64Array;
export type DType = "float32" | "float64";

export class Matrix<F extends FloatArray = Float64Array> {
  readonly rows: number;
  readonly cols: number;
  readonly data: F;

  /** Wraps `data` (no copy). `data.length` must equal `rows * cols`. */
  constructor(rows: number, cols: number, data: F) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new ShapeError("Matrix", "shape", [rows, cols], [null, null], "(non-negative integers)");
    }
    if (data.length !== rows * cols) {
      throw new ShapeError("Matrix", "data.length", [data.length], [rows * cols], "(rows·cols)");
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }

  /** Element (i, j); indices are not bounds-checked (this is a hot-path accessor). */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j] as number;
  }

  set(i: number, j: number, v: number): void {
    this.data[i * this.cols + j] = v;
  }
}

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float32Array ? "float32" : "float64";
}

/** A new zeroed array of the given dtype. */
export function allocArray(dtype: "float32", n: number): Float32Array;
export function allocArray(dtype: "float64", n: number): Float64Array;
export function allocArray(dtype: DType, n: number): FloatArray;
export function allocArray(dtype: DType, n: number): FloatArray {
  return dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
}

/** A new zeroed array of the same type as `like`. */
export function allocLike<F extends FloatArray>(like: F, n: number): F {
  return (like instanceof Float32Array ? new Float32Array(n) : new Float64Array(n)) as F;
}

export function zeros(rows: number, cols: number): Matrix<Float64Array>;
export function zeros(rows: number, cols: number, dtype: "float64"): Matrix<Float64Array>;
export function zeros(rows: number, cols: number, dtype: "float32"): Matrix<Float32Array>;
export function zeros(rows: number, cols: number, dtype: DType): Matrix<FloatArray>;
export function zeros(rows: number, cols: number, dtype: DType = "float64"): Matrix<FloatArray> {
  checkDims("zeros", rows, cols);
  return new Matrix(rows, cols, allocArray(dtype, rows * cols));
}

/** A zeroed matrix with the shape and dtype of `m`. */
export function zerosLike<F extends FloatArray>(m: Matrix<F>): Matrix<F> {
  return new Matrix(m.rows, m.cols, allocLike(m.data, m.data.length));
}

/** A (rows, cols) matrix with every element equal to `value`. */
export function full(rows: number, cols: number, value: number, dtype: DType = "float64"): Matrix<FloatArray> {
  const m = zeros(rows, cols, dtype);
  m.data.fill(value);
  return m;
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix<Float64Array>;
export function fromRows(rows: readonly (readonly number[])[], dtype: "float64"): Matrix<Float64Array>;
export function fromRows(rows: readonly (readonly number[])[], dtype: "float32"): Matrix<Float32Array>;
export function fromRows(rows: readonly (readonly number[])[], dtype: DType): Matrix<FloatArray>;
/** Builds a matrix from nested rows (copied). Ragged rows are a ShapeError naming the row. */
export function fromRows(rows: readonly (readonly number[])[], dtype: DType = "float64"): Matrix<FloatArray> {
  const r = rows.length;
  const c = r === 0 ? 0 : (rows[0] as readonly number[]).length;
  const m = zeros(r, c, dtype);
  for (let i = 0; i < r; i++) {
    const row = rows[i] as readonly number[];
    if (row.length !== c) throw new ShapeError("fromRows", `rows[${i}]`, [row.length], [c], "(cols of rows[0])");
    m.data.set(row, i * c);
  }
  return m;
}

export function fromArray(data: ArrayLike<number>, rows: number, cols: number): Matrix<Float64Array>;
export function fromArray(data: ArrayLike<number>, rows: number, cols: number, dtype: "float64"): Matrix<Float64Array>;
export function fromArray(data: ArrayLike<number>, rows: number, cols: number, dtype: "float32"): Matrix<Float32Array>;
export function fromArray(data: ArrayLike<number>, rows: number, cols: number, dtype: DType): Matrix<FloatArray>;
/** Copies a flat row-major array into a new (rows, cols) matrix. */
export function fromArray(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  dtype: DType = "float64",
): Matrix<FloatArray> {
  checkDims("fromArray", rows, cols);
  if (data.length !== rows * cols) {
    throw new ShapeError("fromArray", "data.length", [data.length], [rows * cols], "(rows·cols)");
  }
  const m = zeros(rows, cols, dtype);
  m.data.set(Array.isArray(data) ? data : Array.from(data));
  return m;
}

/** Nested rows (a copy), handy for printing and JSON. */
export function toRows(m: Matrix<FloatArray>): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** A copy of `m` with its own storage. */
export function clone<F extends FloatArray>(m: Matrix<F>): Matrix<F> {
  return new Matrix(m.rows, m.cols, m.data.slice() as F);
}

/** Row i as a (1, cols) view sharing storage with `m`: writes to the view write `m`. */
export function rowView<F extends FloatArray>(m: Matrix<F>, i: number): Matrix<F> {
  return rowsView(m, i, i + 1);
}

/** Rows [start, end) as an (end − start, cols) view sharing storage with `m`. */
export function rowsView<F extends FloatArray>(m: Matrix<F>, start: number, end: number): Matrix<F> {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > m.rows) {
    throw new ShapeError("rowsView", "[start, end)", [start, end], [0, m.rows], "(0 ≤ start ≤ end ≤ rows)");
  }
  return new Matrix(end - start, m.cols, m.data.subarray(start * m.cols, end * m.cols) as F);
}

/** The same storage seen as (rows, cols); rows·cols must be unchanged. */
export function reshape<F extends FloatArray>(m: Matrix<F>, rows: number, cols: number): Matrix<F> {
  if (rows * cols !== m.rows * m.cols) {
    throw new ShapeError("reshape", "shape", [rows, cols], [null, null], `(rows·cols = ${m.rows * m.cols})`);
  }
  return new Matrix(rows, cols, m.data);
}

/** Copies `src` into `out` (same shape and dtype). Returns `out`. */
export function copyInto<F extends FloatArray>(out: Matrix<F>, src: Matrix<F>): Matrix<F> {
  assertSameShape("copyInto", "out", out, "src", src);
  out.data.set(src.data);
  return out;
}

/**
 * out (C, R) = srcᵀ for src (R, C). Returns out. A copy, for a kernel that reads a matrix's columns
 * as rows many times over (the recurrence reads W_hh's every step); the products themselves never
 * need one.
 */
export function transposeInto<F extends FloatArray>(out: Matrix<F>, src: Matrix<F>): Matrix<F> {
  const [R, C] = [src.rows, src.cols];
  if (out.rows !== C || out.cols !== R)
    throw new ShapeError("transposeInto", "out", out.shape, [C, R], "(src.cols, src.rows)");
  const [o, s] = [out.data, src.data];
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) o[j * R + i] = s[i * C + j] as number;
  return out;
}

/** Sets every element of `m` to `value` (0 by default). Returns `m`. */
export function fill<F extends FloatArray>(m: Matrix<F>, value = 0): Matrix<F> {
  m.data.fill(value);
  return m;
}

/** Shape-like: anything with rows and cols. */
export interface Shaped {
  readonly rows: number;
  readonly cols: number;
}

/**
 * Throws a ShapeError unless `m` is (expected[0], expected[1]); `null` matches any size.
 * `symbols` names the expected dimensions, e.g. "(B, H)".
 */
export function assertShape(
  fn: string,
  arg: string,
  m: Shaped,
  expected: readonly [number | null, number | null],
  symbols?: string,
): void {
  const [r, c] = expected;
  if ((r !== null && m.rows !== r) || (c !== null && m.cols !== c)) {
    throw new ShapeError(fn, arg, [m.rows, m.cols], expected, symbols);
  }
}

/** Throws a ShapeError unless `a` and `b` have the same shape. */
export function assertSameShape(fn: string, argA: string, a: Shaped, argB: string, b: Shaped): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(fn, argB, [b.rows, b.cols], [a.rows, a.cols], `(shape of ${argA})`);
  }
}

/** Throws a DTypeError unless `a` and `b` hold the same float type. */
export function assertSameDType(
  fn: string,
  argA: string,
  a: Matrix<FloatArray>,
  argB: string,
  b: Matrix<FloatArray>,
): void {
  if (a.data instanceof Float32Array !== b.data instanceof Float32Array) {
    throw new DTypeError(fn, argB, dtypeOf(b.data), `${dtypeOf(a.data)} like ${argA}`);
  }
}

function checkDims(fn: string, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new ShapeError(fn, "shape", [rows, cols], [null, null], "(non-negative integers)");
  }
}
