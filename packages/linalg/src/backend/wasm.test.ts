import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { tsGemmNN, tsGemmNT, tsGemmTN } from "../gemm.js";
import {
  addRowVectorAccumulate,
  gemmNN,
  gemmNT,
  gemmTN,
  sigmoidRange,
  sumRowsAccumulate,
  tanhRange,
} from "../kernels.js";
import type { FloatArray } from "../matrix.js";
import { createRng } from "../rng.js";
import { LinearMemory } from "./memory.js";
import { allocFast, backendInfo, releaseFast, setBackend, setThreads } from "./select.js";
import { wasmApi } from "./wasm.js";

afterEach(() => {
  setBackend("wasm");
  setThreads(backendInfo().threads);
});

const dim = fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5, 8), fc.integer({ min: 0, max: 41 }));
const LAYOUTS = [
  { name: "A·B", fast: gemmNN, ts: tsGemmNN, sizes: (M: number, N: number, K: number) => [M * K, K * N] },
  { name: "A·Bᵀ", fast: gemmNT, ts: tsGemmNT, sizes: (M: number, N: number, K: number) => [M * K, N * K] },
  { name: "Aᵀ·B", fast: gemmTN, ts: tsGemmTN, sizes: (M: number, N: number, K: number) => [K * M, K * N] },
] as const;

/** n random values in [−1, 1), in WebAssembly memory, at a random offset into the array. */
function fastRandom(dtype: "float32" | "float64", n: number, off: number, seed: number): FloatArray {
  const x = allocFast(dtype, n + off);
  createRng(seed).fillUniform(x, -1, 1);
  return x;
}

describe("the WebAssembly backend", () => {
  it("loads here, and is the default", () => {
    const info = backendInfo();
    expect(info.reason).toBe("");
    expect(info.wasmAvailable).toBe(true);
    expect(info.name).toBe("wasm");
  });

  for (const L of LAYOUTS) {
    for (const dtype of ["float64", "float32"] as const) {
      const claim = dtype === "float64" ? "is bit-identical to" : "agrees to float32 rounding with";
      it(`${dtype} ${L.name} ${claim} the TypeScript kernel, at offsets, with and without accumulation`, () => {
        fc.assert(
          fc.property(dim, dim, dim, fc.nat(7), fc.boolean(), fc.integer(), (M, N, K, off, acc, seed) => {
            const [nA, nB] = L.sizes(M, N, K) as [number, number];
            const a = fastRandom(dtype, nA, off, seed);
            const b = fastRandom(dtype, nB, off, seed + 1);
            const c = fastRandom(dtype, M * N, off, seed + 2);
            const want = c.slice();
            L.ts(M, N, K, a, off, b, off, want, off, acc);
            L.fast(M, N, K, a, off, b, off, c, off, acc);
            // float32: each of the K products and sums rounds (relative 6e-8) on |terms| ≤ 1
            const tol = dtype === "float64" ? 0 : 2 * 6e-8 * (K + 2);
            for (let i = 0; i < c.length; i++) {
              if (tol === 0 ? !Object.is(c[i], want[i]) : Math.abs((c[i] as number) - (want[i] as number)) > tol)
                return false;
            }
            return true;
          }),
          { numRuns: 300 },
        );
      });
    }
  }

  // the float32 kernel sums in chunks of 256 terms over packed blocks of 256 columns when C has 16 rows
  // or more: shapes that cross both, with row and column tails
  it("float32 products past one chunk of the sum and one packed block agree with the TypeScript kernels", () => {
    for (const [M, N, K] of [
      [37, 523, 600],
      [16, 264, 257],
      [9, 300, 513],
    ] as const) {
      for (const L of LAYOUTS)
        for (const acc of [false, true]) {
          const [nA, nB] = L.sizes(M, N, K) as [number, number];
          const a = fastRandom("float32", nA, 3, 21);
          const b = fastRandom("float32", nB, 3, 22);
          const c = fastRandom("float32", M * N, 3, 23);
          const want = c.slice();
          L.ts(M, N, K, a, 3, b, 3, want, 3, acc);
          L.fast(M, N, K, a, 3, b, 3, c, 3, acc);
          const tol = 2 * 6e-8 * (K + 2);
          let worst = 0;
          for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs((c[i] as number) - (want[i] as number)));
          expect(worst, `${L.name} ${M}×${N}×${K}`).toBeLessThanOrEqual(tol);
        }
    }
  });

  it("broadcasts a bias over rows and sums rows like the TypeScript loops (float64 bit for bit)", () => {
    fc.assert(
      fc.property(dim, dim, fc.nat(5), fc.integer(), (R, C, off, seed) => {
        for (const dtype of ["float64", "float32"] as const) {
          const z = fastRandom(dtype, R * C, off, seed);
          const b = fastRandom(dtype, C, off, seed + 1);
          const out = fastRandom(dtype, C, off, seed + 2);
          const [z0, out0] = [z.slice(), out.slice()]; // plain copies: the TypeScript path
          addRowVectorAccumulate(z, off, R, C, b, off);
          addRowVectorAccumulate(z0, off, R, C, b.slice(), off);
          sumRowsAccumulate(out, off, z, off, R, C);
          sumRowsAccumulate(out0, off, z0, off, R, C);
          const tol = dtype === "float64" ? 0 : 6e-8 * (R + 2) * (R + 2); // R float32 additions of sums ≤ R
          for (const [x, y] of [
            [z, z0],
            [out, out0],
          ] as const) {
            for (let i = 0; i < x.length; i++) {
              const d = Math.abs((x[i] as number) - (y[i] as number));
              if (tol === 0 ? !Object.is(x[i], y[i]) : d > tol) return false;
            }
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it("runs products whose operands live outside its memory by copying them in, with the same result", () => {
    const [M, N, K] = [40, 37, 33]; // M·N·K above the size where copying pays
    for (const dtype of ["float64", "float32"] as const) {
      const rng = createRng(5);
      const plain = (n: number) => {
        const x = dtype === "float64" ? new Float64Array(n + 3) : new Float32Array(n + 3);
        rng.fillUniform(x, -1, 1);
        return x;
      };
      const a = plain(M * K);
      const b = plain(N * K);
      const c = plain(M * N);
      const want = c.slice();
      tsGemmNT(M, N, K, a, 3, b, 3, want, 3, true);
      gemmNT(M, N, K, a, 3, b, 3, c, 3, true);
      const err = Math.max(...Array.from(c, (v, i) => Math.abs(v - (want[i] as number))));
      expect(err).toBeLessThanOrEqual(dtype === "float64" ? 0 : 1e-5);
    }
  });

  it("computes float32 tanh and σ within a few ulp of the correctly rounded values, in and out of place", () => {
    const n = 20_011;
    const x = allocFast("float32", n);
    for (let i = 0; i < n; i++) x[i] = -12 + (24 * i) / (n - 1);
    x[0] = 1e-5;
    x[1] = -3e-4;
    const y = allocFast("float32", n);
    tanhRange(x, 0, y, 0, n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const t = Math.fround(Math.tanh(x[i] as number));
      worst = Math.max(worst, Math.abs((y[i] as number) - t) / Math.max(Math.abs(t), 1e-30));
    }
    expect(worst).toBeLessThan(5e-7); // 4 ulp at most
    sigmoidRange(x, 0, x, 0, n); // in place
    let abs = 0;
    for (let i = 0; i < n; i++) {
      const v = -12 + (24 * i) / (n - 1);
      if (i > 1) abs = Math.max(abs, Math.abs((x[i] as number) - 1 / (1 + Math.exp(-v))));
    }
    expect(abs).toBeLessThan(3e-7);
  });

  it("keeps float64 activations on Math.tanh, and the js backend on TypeScript throughout", () => {
    setBackend("js");
    expect(backendInfo().name).toBe("js");
    const x = allocFast("float32", 3); // an ordinary array now
    expect(x.buffer).toBeInstanceOf(ArrayBuffer);
    x.set([0.5, -2, 3]);
    tanhRange(x, 0, x, 0, 3);
    expect(Array.from(x)).toEqual([0.5, -2, 3].map((v) => Math.fround(Math.tanh(v))));
    setBackend("wasm");
    expect(() => setBackend("gpu" as "js")).toThrow('unknown backend "gpu", expected "wasm" or "js"');
  });
});

describe("threads", () => {
  // M·N·K above the size at which a product is split: by rows of C, and by columns when C has few rows
  for (const [M, N, K] of [
    [96, 80, 160],
    [4, 700, 400],
    [28, 24, 1600], // bands of 16 rows (packed) and 12 (not): the same sums either way
    [36, 300, 520], // wider than tall: bands of columns, each packing its own part of B
  ] as const) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`a ${M}×${N}×${K} ${dtype} product split across two threads equals the one-thread result bit for bit`, async () => {
        for (const L of LAYOUTS) {
          const [nA, nB] = L.sizes(M, N, K) as [number, number];
          const a = fastRandom(dtype, nA, 0, 11);
          const b = fastRandom(dtype, nB, 0, 12);
          const one = fastRandom(dtype, M * N, 0, 13);
          const two = allocFast(dtype, M * N);
          two.set(one);
          setThreads(1);
          L.fast(M, N, K, a, 0, b, 0, one, 0, true);
          setThreads(2);
          // back to back, as in a training step, until the helper (which starts asynchronously) has
          // taken part, for at most 30 s (a busy machine starts a worker slowly); every result must equal the one-thread one
          for (let t0 = Date.now(), n = 1; Date.now() - t0 < 30_000; n++) {
            const c = allocFast(dtype, M * N);
            c.set(two);
            L.fast(M, N, K, a, 0, b, 0, c, 0, true);
            for (let i = 0; i < M * N; i++) if (!Object.is(c[i], one[i])) throw new Error(`${L.name}: element ${i}`);
            releaseFast(c);
            if (backendInfo().helperBands > 0) break;
            if (n % 20 === 0) await new Promise((r) => setTimeout(r, 1)); // let the worker start
          }
        }
        expect(backendInfo().helperBands).toBeGreaterThan(0); // the second thread did take part
      });
    }
  }

  it("setThreads rejects what is not a count", () => {
    expect(() => setThreads(0)).toThrow("setThreads: expected an integer ≥ 1, got 0");
    expect(() => setThreads(1.5)).toThrow(ConfigError);
  });
});

describe("LinearMemory, the allocator behind allocFast", () => {
  it("hands out aligned, zeroed, disjoint blocks; merges freed neighbours; and grows without detaching views", () => {
    const mem = new LinearMemory(
      new (wasmApi() as NonNullable<ReturnType<typeof wasmApi>>).Memory({ initial: 2, maximum: 64, shared: true }),
      64,
    );
    const a = mem.alloc(100);
    const b = mem.alloc(10);
    expect(a % 64).toBe(0);
    expect(b).toBe(a + 128);
    const view = new Float64Array(mem.memory.buffer, a, 12);
    view.fill(7);
    const big = mem.alloc(3 * 65536); // grows
    expect(mem.byteLength).toBeGreaterThanOrEqual(5 * 65536);
    expect(view[11]).toBe(7); // the old view still reads the same memory
    expect(mem.owns(view)).toBe(true);
    expect(mem.owns(new Float64Array(4))).toBe(false);
    mem.release(b);
    mem.release(a);
    expect(mem.alloc(192)).toBe(a); // a and b merged back into one block
    expect(new Uint8Array(mem.memory.buffer, a, 192).every((v) => v === 0)).toBe(true);
    mem.release(big);
    expect(() => mem.alloc(100 * 65536)).toThrow(/out of WebAssembly memory/);
  });

  it("returns what releaseFast gives back: 200 allocations of 1 MB reuse the same memory", () => {
    releaseFast(allocFast("float64", 131_072)); // the first may grow the memory
    const before = backendInfo().wasmBytes;
    for (let i = 0; i < 200; i++) releaseFast(allocFast("float64", 131_072)); // 200 MB in all: a leak would grow
    expect(backendInfo().wasmBytes).toBe(before);
  });
});
