import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matmulTransA, matmulTransB } from "./matmul.js";
import { fromArray, fromRows, zeros } from "./matrix.js";
import { maxAbsDiff } from "./norms.js";
import { gatherColumns, oneHotRows, scatterColumnsAccumulate } from "./onehot.js";
import { createRng } from "./rng.js";

describe("one-hot rows", () => {
  it("oneHotRows finds the 1 of every row, and refuses anything else", () => {
    expect(
      Array.from(
        oneHotRows(
          fromRows([
            [0, 1, 0],
            [1, 0, 0],
          ]),
        ) ?? [],
      ),
    ).toEqual([1, 0]);
    expect(oneHotRows(fromRows([[0, 1, 1]]))).toBeNull();
    expect(oneHotRows(fromRows([[0, 0.5, 0]]))).toBeNull();
    expect(oneHotRows(fromRows([[0, 0, 0]]))).toBeNull();
  });

  it("gatherColumns equals onehot(ids)·Wᵀ and scatterColumnsAccumulate equals daᵀ·onehot(ids), exactly", () => {
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
          gatherColumns(a, W, ids);
          expect(maxAbsDiff(a, matmulTransB(x, W))).toBe(0);
          const da = fromArray(rng.fillNormal(new Float64Array(B * H)), B, H);
          const dW = zeros(H, D);
          scatterColumnsAccumulate(dW, da, ids);
          expect(maxAbsDiff(dW, matmulTransA(da, x))).toBeLessThan(1e-15);
        },
      ),
      { numRuns: 200 },
    );
  });
});
