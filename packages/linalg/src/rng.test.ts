import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, FormatError } from "./errors.js";
import { createRng, Rng } from "./rng.js";

describe("Rng", () => {
  it("the same seed gives the same stream; different seeds differ", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(createRng(-1).next()).not.toBe(createRng(2 ** 32 - 1).next());
  });

  it("getState / fromState continue the identical stream", () => {
    const r = createRng(123);
    r.normal();
    const s = JSON.parse(JSON.stringify(r.getState()));
    const r2 = Rng.fromState(s);
    expect(Array.from({ length: 10 }, () => r2.next())).toEqual(Array.from({ length: 10 }, () => r.next()));
  });

  it("fromState rejects malformed state with a FormatError", () => {
    expect(() => Rng.fromState({ algorithm: "mt", state: [1, 2, 3, 4] })).toThrow(FormatError);
    expect(() => Rng.fromState({ algorithm: "xoshiro128**", state: [0, 0, 0, 0] })).toThrow(FormatError);
    expect(() => Rng.fromState({ algorithm: "xoshiro128**", state: [1, 2, 3] })).toThrow(FormatError);
    expect(() => Rng.fromState(null)).toThrow(FormatError);
  });

  it("uniform is in [lo, hi) with mean ≈ (lo + hi)/2; normal has mean ≈ 0 and sd ≈ 1", () => {
    const r = createRng(1);
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const u = r.uniform(-2, 4);
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      su += u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(lo).toBeGreaterThanOrEqual(-2);
    expect(hi).toBeLessThan(4);
    expect(Math.abs(su / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(sn / n)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(sn2 / n) - 1)).toBeLessThan(0.01);
  });

  it("int(lo, hi) stays in range and hits every value", () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 20 }), fc.integer(), (lo, n, seed) => {
        const r = createRng(seed);
        const seen = new Set<number>();
        for (let i = 0; i < 40 * n; i++) {
          const v = r.int(lo, lo + n);
          expect(v >= lo && v < lo + n && Number.isInteger(v)).toBe(true);
          seen.add(v);
        }
        expect(seen.size).toBe(n);
      }),
      { numRuns: 50 },
    );
  });

  it("shuffle and permutation return permutations", () => {
    const p = createRng(3).permutation(100);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(createRng(3).shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it("rejects non-integer seeds and empty int ranges with ConfigError", () => {
    expect(() => createRng(1.5)).toThrow(ConfigError);
    expect(() => createRng(Number.NaN)).toThrow("Rng: seed must be a safe integer, got NaN");
    expect(() => createRng(1).int(3, 3)).toThrow(ConfigError);
  });

  it("fork gives an independent, reproducible stream", () => {
    const a = createRng(5).fork();
    const b = createRng(5).fork();
    expect(a.next()).toBe(b.next());
  });
});
