import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matmulTransA, matmulTransB } from "./matmul.js";
import { fromArray, zeros } from "./matrix.js";
import { maxAbsDiff } from "./norms.js";
import { gatherColumnsInto, scatterColumnsAccumulate } from "./onehot.js";
import { createRng } from "./rng.js";

describe("token ids as one-hot rows that are never built", () => {
  it("gatherColumnsInto equals onehot(ids)·Wᵀ and scatterColumnsAccumulate equals daᵀ·onehot(ids), exactly", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        (B, D, H, seed) => {
          const rng = createRng(seed);
          const ids = Int32Array.from({ length: B }, () => rng.int(0, D));
          const x = zeros(B, D);
          for (const [b, id] of ids.entries()) x.set(b, id, 1);
          const W = fromArray(rng.fillNormal(new Float64Array(H * D)), H, D);
          const a = zeros(B, H);
          a.data.fill(7); // overwritten, not added to
          gatherColumnsInto(a, W, ids);
          expect(maxAbsDiff(a, matmulTransB(x, W))).toBe(0);
          const da = fromArray(rng.fillNormal(new Float64Array(B * H)), B, H);
          const dW = fromArray(rng.fillNormal(new Float64Array(H * D)), H, D);
          const before = matmulTransA(da, x);
          for (let k = 0; k < dW.data.length; k++) before.data[k] = (before.data[k] as number) + (dW.data[k] as number);
          scatterColumnsAccumulate(dW, da, ids); // adds into dW
          expect(maxAbsDiff(dW, before)).toBeLessThan(1e-14);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("with more rows than columns (through Wᵀ) each element gets its terms in row order: the same bits", () => {
    const [B, D, H] = [300, 5, 7];
    const rng = createRng(3);
    const ids = Int32Array.from({ length: B }, () => rng.int(0, D));
    for (const dtype of ["float64", "float32"] as const) {
      const da = fromArray(rng.fillNormal(new Float64Array(B * H)), B, H, dtype);
      const dW = fromArray(rng.fillNormal(new Float64Array(H * D)), H, D, dtype);
      const want = dW.data.slice();
      for (let b = 0; b < B; b++)
        for (let h = 0; h < H; h++) {
          const k = h * D + (ids[b] as number);
          want[k] = (want[k] as number) + (da.data[b * H + h] as number);
        }
      scatterColumnsAccumulate(dW, da, ids);
      expect(Array.from(dW.data)).toEqual(Array.from(want));
      const a = zeros(B, H, dtype);
      gatherColumnsInto(a, dW, ids);
      for (let b = 0; b < B; b++) expect(a.get(b, 3)).toBe(dW.get(3, ids[b] as number));
    }
  });
});
