import { buildVocabulary } from "@unrolled/datasets";
import { ConfigError, createRng } from "@unrolled/linalg";
import { allocateParams, initParams, modelConfig } from "@unrolled/rnn-core";
import { describe, expect, it } from "vitest";
import { forecastSeries, generateText, sampleLogits } from "./generate.js";

describe("sampling and generation", () => {
  it("sampleLogits: a tiny temperature picks the argmax; top-k never leaves the k best", () => {
    const rng = createRng(1);
    expect(sampleLogits([0.1, 3, 0.2], rng, { temperature: 1e-6 })).toBe(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) {
      const k = sampleLogits([1, 2, 3, 0], rng, { topK: 2 });
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts[0]).toBe(0);
    expect(counts[3]).toBe(0);
    expect((counts[2] as number) > (counts[1] as number)).toBe(true);
    expect(() => sampleLogits([1], rng, { temperature: 0 })).toThrow(
      "sampling: temperature must be a number > 0, got 0",
    );
    expect(() => sampleLogits([1], rng, { topK: 0 })).toThrow(ConfigError);
  });

  it("generateText uses the vocabulary only, after the prime, reproducibly from the seed", () => {
    const vocab = buildVocabulary("abc \n");
    const c = modelConfig({
      inputSize: 5,
      hiddenSize: 8,
      returnSequences: true,
      head: { outputSize: 5, activation: "softmax" },
    });
    const p = initParams(allocateParams(c), { rng: createRng(2) });
    const a = generateText(p, vocab, { length: 40, prime: "ab", rng: createRng(7) });
    expect(a).toHaveLength(40);
    expect([...a].every((ch) => "abc \n".includes(ch))).toBe(true);
    expect(generateText(p, vocab, { length: 40, prime: "ab", rng: createRng(7) })).toBe(a);
    expect(() => generateText(p, vocab, { length: 5, prime: "xyz", rng: createRng(7) })).toThrow(/character "x"/);
  });

  it("forecastSeries feeds each prediction back; needs a one-series model", () => {
    const c = modelConfig({ inputSize: 1, hiddenSize: 4, head: { outputSize: 1, activation: "identity" } });
    const p = initParams(allocateParams(c), { rng: createRng(3) });
    const id = { kind: "none" as const, shift: [0], scale: [1] };
    const f = forecastSeries(p, { feature: id, target: id }, [0.1, 0.2, 0.3], 5);
    expect(f).toHaveLength(5);
    expect(Array.from(f).every(Number.isFinite)).toBe(true);
    const two = initParams(
      allocateParams(modelConfig({ inputSize: 2, hiddenSize: 4, head: { outputSize: 1, activation: "identity" } })),
      { rng: createRng(3) },
    );
    expect(() => forecastSeries(two, { feature: id, target: id }, [0.1], 2)).toThrow(/one series/);
  });
});
