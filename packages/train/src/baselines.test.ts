import { makeWindows } from "@unrolled/datasets";
import { describe, expect, it } from "vitest";
import { regressionBaselines, symbolBaselines } from "./baselines.js";

describe("baselines", () => {
  it("regression: persistence is the previous value, mean the training mean, linear exact on a linear series", () => {
    const y = Float64Array.from({ length: 40 }, (_, t) => 3 + 2 * t);
    const train = makeWindows([y], [y], { start: 0, end: 30 }, { seqLen: 3, mode: "many-to-one", horizon: 1 });
    const test = makeWindows([y], [y], { start: 30, end: 40 }, { seqLen: 3, mode: "many-to-one", horizon: 1 });
    const b = regressionBaselines(y, train, test, (z) => z);
    expect(b.persistence?.mae).toBeCloseTo(2, 12); // the series rises by 2 per step
    expect(b.linear?.rmse).toBeLessThan(1e-6);
    const trainMean =
      Array.from(train.lastRow, (r) => y[r] as number).reduce((a, v) => a + v, 0) / train.lastRow.length;
    const actual = Array.from(test.lastRow, (r) => y[r] as number);
    expect(b.mean.mae).toBeCloseTo(actual.reduce((a, v) => a + Math.abs(v - trainMean), 0) / actual.length, 10);
  });

  it("symbols: unigram and bigram cross-entropy with add-one smoothing; persistence accuracy", () => {
    // train: "abab…" pairs (a→b, b→a); test the same
    const pairs = Int32Array.from([0, 1, 1, 0, 0, 1, 1, 0]);
    const b = symbolBaselines(pairs, pairs, Int32Array.from([-1, 1, 0, 1]), 2, 2);
    expect(b.linear?.accuracy).toBe(1);
    expect(b.linear?.loss).toBeCloseTo(-Math.log(3 / 4), 12); // (2 + 1) / (2 + 2)
    expect(b.mean.loss).toBeCloseTo(Math.log(2), 12);
    expect(b.persistence?.accuracy).toBe(0);
  });
});
