// Runs in its own process (vitest isolates files): V8's relaxed-SIMD flag, once set, is process-wide.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tsGemmNN, tsGemmNT, tsGemmTN } from "../gemm.js";
import { gemmNN, gemmNT, gemmTN } from "../kernels.js";
import { createRng } from "../rng.js";
import { allocFast, backendInfo, setThreads } from "./select.js";
import { enableRelaxedSimd, relaxedSimdSupported } from "./wasm.js";

const on = enableRelaxedSimd(); // before the first product loads the kernels

describe("the relaxed-SIMD kernels (float32 products with fused multiply-add)", () => {
  it("are switched on by enableRelaxedSimd() in Node 20, and then chosen", () => {
    expect(on).toBe(true);
    expect(relaxedSimdSupported()).toBe(true);
    expect(backendInfo().fma).toBe(true);
  });

  const dim = fc.integer({ min: 0, max: 41 });
  for (const [name, fast, ts, sizes] of [
    ["A·B", gemmNN, tsGemmNN, (M: number, N: number, K: number) => [M * K, K * N]],
    ["A·Bᵀ", gemmNT, tsGemmNT, (M: number, N: number, K: number) => [M * K, N * K]],
    ["Aᵀ·B", gemmTN, tsGemmTN, (M: number, N: number, K: number) => [K * M, K * N]],
  ] as const) {
    for (const dtype of ["float32", "float64"] as const) {
      const claim =
        dtype === "float64" ? "stay bit-identical to (no FMA in float64)" : "agree to float32 rounding with";
      it(`${dtype} ${name}: ${claim} the TypeScript kernel`, () => {
        fc.assert(
          fc.property(dim, dim, dim, fc.boolean(), fc.integer(), (M, N, K, acc, seed) => {
            const [nA, nB] = sizes(M, N, K) as [number, number];
            const [a, b, c] = [allocFast(dtype, nA), allocFast(dtype, nB), allocFast(dtype, M * N)];
            for (const [x, k] of [
              [a, 0],
              [b, 1],
              [c, 2],
            ] as const)
              createRng(seed + k).fillUniform(x, -1, 1);
            const want = c.slice();
            ts(M, N, K, a, 0, b, 0, want, 0, acc);
            fast(M, N, K, a, 0, b, 0, c, 0, acc);
            // an FMA rounds once per term where mul + add rounds twice: the same bound holds
            const tol = dtype === "float64" ? 0 : 2 * 6e-8 * (K + 2);
            return c.every((v, i) => (tol === 0 ? Object.is(v, want[i]) : Math.abs(v - (want[i] as number)) <= tol));
          }),
          { numRuns: 200 },
        );
      });
    }
  }

  it("a float32 product split across two threads equals the one-thread result bit for bit", () => {
    const [M, N, K] = [96, 1024, 256]; // above the threading threshold
    const a = allocFast("float32", M * K);
    const b = allocFast("float32", K * N);
    createRng(1).fillUniform(a, -1, 1);
    createRng(2).fillUniform(b, -1, 1);
    const one = allocFast("float32", M * N);
    const two = allocFast("float32", M * N);
    setThreads(1);
    gemmNN(M, N, K, a, 0, b, 0, one, 0, false);
    setThreads(2);
    gemmNN(M, N, K, a, 0, b, 0, two, 0, false);
    expect(Array.from(two)).toEqual(Array.from(one));
  });
});
