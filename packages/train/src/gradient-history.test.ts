import { describe, expect, it } from "vitest";
import { GradientHistory } from "./gradient-history.js";

describe("GradientHistory", () => {
  it("keeps every batch until full, then thins evenly: every other column, every second batch from then on", () => {
    const h = new GradientHistory(4);
    for (let b = 1; b <= 20; b++) h.add({ hiddenGradNorms: [[b, 2 * b]] });
    const cols = h.columns();
    expect(cols.length).toBeLessThan(4);
    const batches = cols.map((c) => c.batch);
    expect(batches[0]).toBe(1);
    const gaps = batches.slice(1).map((b, i) => b - (batches[i] as number));
    expect(new Set(gaps).size).toBe(1); // evenly spaced over the run
    expect(batches.at(-1)).toBeGreaterThan(12); // and reaching its end
    expect(cols[0]?.norms).toEqual([1, 2]); // the first layer's norms, per step
  });

  it("copies the norms (the fit loop may reuse its arrays)", () => {
    const h = new GradientHistory();
    const norms = [[1, 2, 3]];
    h.add({ hiddenGradNorms: norms });
    (norms[0] as number[])[0] = 99;
    expect(h.columns()[0]?.norms).toEqual([1, 2, 3]);
  });
});
