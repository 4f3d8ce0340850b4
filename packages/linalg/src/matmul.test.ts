import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError } from "./errors.js";
import {
  matmul,
  matmulAccumulate,
  matmulInto,
  matmulTransA,
  matmulTransAAccumulate,
  matmulTransAInto,
  matmulTransB,
  matmulTransBAccumulate,
  matmulTransBInto,
} from "./matmul.js";
import { matmulNaive, matmulTransANaive, matmulTransBNaive } from "./matmul-naive.js";
import { type DType, type FloatArray, fromRows, Matrix, zeros } from "./matrix.js";
import { maxAbsDiff } from "./norms.js";
import { createRng } from "./rng.js";

const dim = fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 37 }));

function random(rows: number, cols: number, dtype: DType, seed: number): Matrix<FloatArray> {
  const m = zeros(rows, cols, dtype);
  createRng(seed).fillUniform(m.data, -1, 1);
  return m;
}

// f64: different summation order only; f32: every partial sum is rounded to single precision.
const TOL: Record<DType, (K: number) => number> = { float64: () => 1e-12, float32: (K) => 1e-6 * Math.max(1, K) };

const variants = [
  {
    name: "matmul",
    fast: matmul,
    naive: matmulNaive,
    into: matmulInto,
    acc: matmulAccumulate,
    shapes: (M: number, N: number, K: number) => [
      [M, K],
      [K, N],
    ],
  },
  {
    name: "matmulTransB",
    fast: matmulTransB,
    naive: matmulTransBNaive,
    into: matmulTransBInto,
    acc: matmulTransBAccumulate,
    shapes: (M: number, N: number, K: number) => [
      [M, K],
      [N, K],
    ],
  },
  {
    name: "matmulTransA",
    fast: matmulTransA,
    naive: matmulTransANaive,
    into: matmulTransAInto,
    acc: matmulTransAAccumulate,
    shapes: (M: number, N: number, K: number) => [
      [K, M],
      [K, N],
    ],
  },
] as const;

describe.each(variants)("$name", (v) => {
  for (const dtype of ["float64", "float32"] as const) {
    it(`${v.name}(a, b) equals its naive reference on random ${dtype} shapes including 0 and 1`, () => {
      fc.assert(
        fc.property(dim, dim, dim, fc.integer(), (M, N, K, seed) => {
          const [sa, sb] = v.shapes(M, N, K) as [[number, number], [number, number]];
          const a = random(sa[0], sa[1], dtype, seed);
          const b = random(sb[0], sb[1], dtype, seed + 1);
          const fast = v.fast(a, b);
          const ref = v.naive(a, b);
          expect(fast.shape).toEqual([M, N]);
          expect(fast.dtype).toBe(dtype);
          expect(maxAbsDiff(fast, ref)).toBeLessThanOrEqual(TOL[dtype](K));
        }),
        { numRuns: 150 },
      );
    });
  }

  it(`${v.name}Into overwrites out and ${v.name}Accumulate adds into it`, () => {
    fc.assert(
      fc.property(dim, dim, dim, fc.integer(), (M, N, K, seed) => {
        const [sa, sb] = v.shapes(M, N, K) as [[number, number], [number, number]];
        const a = random(sa[0], sa[1], "float64", seed);
        const b = random(sb[0], sb[1], "float64", seed + 1);
        const c0 = random(M, N, "float64", seed + 2);
        const ref = v.naive(a, b);
        const into = v.into(random(M, N, "float64", seed + 3), a, b);
        expect(maxAbsDiff(into, ref)).toBeLessThanOrEqual(1e-12);
        const acc = v.acc(new Matrix(M, N, c0.data.slice()), a, b);
        for (let k = 0; k < acc.data.length; k++) {
          expect(
            Math.abs((acc.data[k] as number) - ((c0.data[k] as number) + (ref.data[k] as number))),
          ).toBeLessThanOrEqual(1e-12);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("matmul argument checks", () => {
  it("matmul(a, b) throws ShapeError naming both shapes when a.cols ≠ b.rows", () => {
    const err = (() => {
      try {
        matmul(zeros(2, 3), zeros(4, 2));
      } catch (e) {
        return e;
      }
    })();
    expect(ShapeError.isInstance(err)).toBe(true);
    expect((err as Error).message).toBe("matmul: b has shape [4, 2], expected (K, N) with K = a.cols = [3, *]");
  });

  it("matmulTransB and matmulTransA check their own layouts", () => {
    expect(() => matmulTransB(zeros(2, 3), zeros(4, 2))).toThrow(
      "matmulTransB: b has shape [4, 2], expected (N, K) with K = a.cols = [*, 3]",
    );
    expect(() => matmulTransA(zeros(2, 3), zeros(4, 2))).toThrow(
      "matmulTransA: b has shape [4, 2], expected (K, N) with K = a.rows = [2, *]",
    );
  });

  it("matmulInto(out, a, b) throws ShapeError when out is not (M, N)", () => {
    expect(() => matmulInto(zeros(2, 2), zeros(2, 3), zeros(3, 4))).toThrow(
      "matmulInto: out has shape [2, 2], expected (M, N) = [2, 4]",
    );
  });

  it("mixing Float32 and Float64 is a DTypeError, for inputs and for out", () => {
    expect(() => matmul(zeros(2, 3, "float32"), zeros(3, 2) as never)).toThrow(DTypeError);
    expect(() => matmulInto(zeros(2, 2, "float32"), zeros(2, 3) as never, zeros(3, 2) as never)).toThrow(
      /out is float32, expected float64/,
    );
  });

  it("out may not share storage with an input", () => {
    const a = fromRows([
      [1, 2],
      [3, 4],
    ]);
    expect(() =>
      matmulAccumulate(
        a,
        a,
        fromRows([
          [1, 0],
          [0, 1],
        ]),
      ),
    ).toThrow(/storage disjoint/);
  });
});
