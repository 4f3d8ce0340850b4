import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { allocFast, setBackend, setThreads } from "./backend/select.js";
import { tsGemmNN } from "./gemm.js";
import { type DType, Matrix, transposeInto } from "./matrix.js";
import { gemmPacked, packedLength, packedRight, packRight, tsGemmPanels } from "./packed.js";
import { createRng } from "./rng.js";

/** a (M, K), B (K, N) given as b (K, N), or as b (N, K) with `transposed`; c (M, N): random, in WebAssembly memory. */
function operands(dtype: DType, M: number, N: number, K: number, seed: number) {
  const [a, b, c] = [allocFast(dtype, M * K), allocFast(dtype, K * N), allocFast(dtype, M * N)];
  createRng(seed).fillUniform(a, -1, 1);
  createRng(seed + 1).fillUniform(b, -1, 1);
  createRng(seed + 2).fillUniform(c, -1, 1);
  return { a, b, c };
}

/** B (K, N) row-major from b, which holds B or (transposed) Bᵀ. */
function plain(dtype: DType, K: number, N: number, b: Float32Array | Float64Array, transposed: boolean) {
  if (!transposed) return b;
  return transposeInto(new Matrix(K, N, allocFast(dtype, K * N)), new Matrix(N, K, b)).data;
}

afterEach(() => {
  setBackend("wasm");
  setThreads(1);
});

describe("gemmPacked: a right operand laid out once, read by many products", () => {
  // K past 256 crosses a chunk of the kernel's sum; N past 8·k and M past 4·k leave partial blocks
  const dim = (max: number) => fc.integer({ min: 1, max });
  it("float32: agrees with gemmNN to rounding, for every shape, B given either way", () => {
    fc.assert(
      fc.property(dim(37), dim(43), dim(300), fc.boolean(), fc.boolean(), fc.integer(), (M, N, K, acc, tr, seed) => {
        const { a, b, c } = operands("float32", M, N, K, seed);
        const want = c.slice();
        tsGemmNN(M, N, K, a, 0, plain("float32", K, N, b, tr), 0, want, 0, acc);
        const B = packedRight(allocFast("float32", packedLength(K, N)));
        packRight(B, K, N, b, 0, tr, 16);
        expect(B.panels).toBe(true);
        gemmPacked(M, a, 0, B, c, 0, acc);
        const tol = 2 * 6e-8 * (K + 2);
        return c.every((v, i) => Math.abs(v - (want[i] as number)) <= tol);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it("float32: the TypeScript reference reads the panels the kernel reads", () => {
    const [M, N, K] = [5, 13, 9];
    const { a, b, c } = operands("float32", M, N, K, 3);
    const B = packedRight(allocFast("float32", packedLength(K, N)));
    packRight(B, K, N, b, 0, false, 16);
    const want = c.slice();
    tsGemmNN(M, N, K, a, 0, b, 0, want, 0, true);
    tsGemmPanels(M, N, K, a, 0, B.data, c, 0, true);
    for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(want[i] as number, 5);
  });

  it("float64, the TypeScript backend and products of fewer than 16 rows keep B row-major: gemmNN's bits exactly", () => {
    for (const [backend, dtype, M] of [
      ["wasm", "float64", 32],
      ["js", "float64", 32],
      ["js", "float32", 32],
      ["wasm", "float32", 15],
    ] as const)
      for (const tr of [true, false]) {
        setBackend(backend);
        const [N, K] = [11, 7];
        const { a, b, c } = operands(dtype, M, N, K, 5);
        const want = c.slice();
        tsGemmNN(M, N, K, a, 0, plain(dtype, K, N, b, tr), 0, want, 0, true);
        const B = packedRight(allocFast(dtype, packedLength(K, N)));
        packRight(B, K, N, b, 0, tr, M);
        expect(B.panels).toBe(false);
        expect(B.rows === b).toBe(!tr); // untransposed: read where it is
        gemmPacked(M, a, 0, B, c, 0, true);
        if (backend === "js") expect(Array.from(c)).toEqual(Array.from(want));
        else for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(want[i] as number, 5);
      }
  });

  it("float32: two threads give one thread's bits, split by rows or by columns", () => {
    for (const [M, N, K] of [
      [32, 1024, 256], // an LSTM's step forward, columns split
      [32, 256, 1024], // its step backward
      [128, 64, 256], // tall: rows split
    ] as const) {
      const { a, b } = operands("float32", M, N, K, 7);
      const B = packedRight(allocFast("float32", packedLength(K, N)));
      packRight(B, K, N, b, 0, false, M);
      const [one, two] = [allocFast("float32", M * N), allocFast("float32", M * N)];
      setThreads(1);
      gemmPacked(M, a, 0, B, one, 0, false);
      setThreads(2);
      gemmPacked(M, a, 0, B, two, 0, false);
      expect(Array.from(two)).toEqual(Array.from(one));
    }
  });
});
