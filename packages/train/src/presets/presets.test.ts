import { datasetInfo } from "@unrolled/datasets";
import { readDataset } from "@unrolled/datasets/node";
import type { Matrix, Tensor3 } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { validateTrainConfig } from "../config.js";
import { isClassification, isRegression, type Metrics } from "../task.js";
import { PRESETS, presetByName } from "./index.js";
import { presetConfig } from "./preset.js";

const DATA = process.env.UNROLLED_DATA_DIR;
const text = async (name: string) => {
  const p = presetByName(name);
  return p.dataset ? (await readDataset(p.dataset, { download: false })).text : null;
};
const rmse = (m: Metrics | null) => (isRegression(m) ? m.rmse : Number.NaN);
const mse = (m: Metrics | null) => (isRegression(m) ? m.mse : Number.NaN);

describe("presets reproduce the tutorials' data and the baselines of targets.md", () => {
  it("sine: 100 training and 50 validation windows of 50; persistence RMSE 0.680; exactly linear", async () => {
    const { task } = presetByName("sine").prepare(null, presetByName("sine").defaults);
    expect([task.train.count, task.valid.count, task.test]).toEqual([100, 50, null]);
    expect(rmse(task.baselines.valid.persistence)).toBeCloseTo(0.68, 3);
    expect(rmse(task.baselines.valid.linear)).toBeLessThan(1e-6);
  });

  it.runIf(DATA)(
    "weather: test persistence 24.80 °F² and least squares on the 13-day window 21.11 °F² on 2,015 windows",
    async () => {
      const p = presetByName("weather");
      const { task } = p.prepare(await text("weather"), p.defaults);
      expect(task.test?.count).toBe(2015);
      expect(mse(task.baselines.test?.persistence as Metrics)).toBeCloseTo(24.8035, 3);
      expect(mse(task.baselines.test?.linear as Metrics)).toBeCloseTo(21.1077, 3);
    },
  );

  it.runIf(DATA)("min-temp (tutorial protocol, one lag): test persistence 6.88 °C²", async () => {
    const p = presetByName("min-temp");
    const { task } = p.prepare(await text("min-temp"), p.tutorialConfig);
    expect(mse(task.baselines.test?.persistence as Metrics)).toBeCloseTo(6.88, 2);
  });

  it.runIf(DATA)("googl: 101 test windows from 2022-08-25; persistence RMSE $2.03", async () => {
    const p = presetByName("googl");
    const { task } = p.prepare(await text("googl"), p.defaults);
    expect(task.test?.count).toBe(101);
    expect(rmse(task.baselines.test?.persistence as Metrics)).toBeCloseTo(2.031, 3);
  });

  it.runIf(DATA)("shakespeare: 65 symbols; validation unigram 3.347 and bigram 2.482 nats/char", async () => {
    const p = presetByName("shakespeare");
    const { task, vocabulary } = p.prepare(await text("shakespeare"), p.defaults);
    expect(vocabulary?.chars).toHaveLength(65);
    const b = task.baselines.valid;
    expect(isRegression(b.mean) ? 0 : b.mean.loss).toBeCloseTo(3.347, 2);
    expect(isClassification(b.linear) ? b.linear.loss : 0).toBeCloseTo(2.482, 2);
  });

  it.runIf(DATA)(
    "shakespeare-lstm: nanoGPT's split (1,003,854 / 111,540 characters), its two published rows",
    async () => {
      const p = presetByName("shakespeare-lstm");
      expect(p.defaults).toMatchObject({ cell: "lstm", layers: 2, dtype: "float32" });
      expect(p.defaults.dropout).toBeGreaterThan(0);
      const { task } = p.prepare(await text("shakespeare"), p.defaults);
      expect(task.notes.join("\n")).toContain("train 1003854, valid 111540");
      expect(task.published?.map((r) => r.value)).toEqual([1.88, 1.4697]);
    },
  );

  it("mod3: one-hot digits, a class per step; the per-input (linear) baseline is already perfect", () => {
    const p = presetByName("mod3");
    const { task } = p.prepare(null, p.defaults);
    expect([task.train.count, task.test?.count, task.train.inputSize]).toEqual([1000, 1000, 3]);
    const linear = task.baselines.test?.linear as Metrics;
    expect(isRegression(linear) ? 0 : linear.accuracy).toBe(1);
    expect(presetByName("mod3").tutorialConfig.trainSequences).toBe(10);
  });

  it.runIf(DATA)(
    "jsb: 229 / 76 / 77 chorales, next frames of 88 notes; test baselines: frequencies 11.09, repeat 10.50 nats/frame",
    async () => {
      const p = presetByName("jsb");
      const { task, preprocessing } = p.prepare(await text("jsb"), p.defaults);
      expect([task.train.count, task.valid.count, task.test?.count]).toEqual([229, 76, 77]);
      expect([task.kind, task.train.inputSize, task.train.outputSize, task.train.targetKind]).toEqual([
        "multilabel",
        88,
        88,
        "labels",
      ]);
      expect(task.notes[0]).toMatch(/13578 \/ 4526 \/ 4648 predicted frames/);
      const loss = (m: Metrics | null | undefined) => (isClassification(m) ? m.loss : Number.NaN);
      expect(loss(task.baselines.test?.mean)).toBeCloseTo(11.092, 3);
      expect(loss(task.baselines.test?.persistence)).toBeCloseTo(10.503, 3);
      expect(task.published?.map((r) => r.value)).toEqual([9.1, 8.54, 8.67, 8.91, 8.43, 8.45]);
      expect(preprocessing.kind).toBe("arrays");
      // a batch: frames 0 … n−2 in, frames 1 … n−1 out, padded to the longest chorale of the batch
      const b = task.train.batch([0, 1], "float64");
      expect(b.x.dims.slice(0, 2)).toEqual([2, Math.max(...(b.lengths ?? [b.x.dims[1]]))]);
      const x = (b.x as Tensor3<Float64Array>).data;
      const y = (b.target as Matrix<Float64Array>).data;
      expect(Array.from(x.subarray(88, 176))).toEqual(Array.from(y.subarray(0, 88))); // input step 1 = target step 0
    },
  );

  it("adding: sequences of T … T + T/10 pairs, fixed valid (1,000) and test (2,560) sets, the paper's criterion", () => {
    const p = presetByName("adding");
    const { task } = p.prepare(null, { ...p.defaults, seqLen: 50 });
    expect([task.train.endless, task.train.count, task.valid.count, task.test?.count]).toEqual([
      true,
      2000,
      1000,
      2560,
    ]);
    expect(task.criterion).toEqual({ window: 2000, maxError: 0.04, maxMse: 0.01 });
    const b = task.test?.batch([0, 1, 2, 3], "float64");
    expect((b?.x.dims[1] ?? 0) >= 50 && (b?.x.dims[1] ?? 0) <= 55).toBe(true);
    // guessing the mean is off by (X₁ + X₂)/4: MSE = 2·(1/3)/16 = 1/24
    expect(mse(task.baselines.test?.mean as Metrics)).toBeCloseTo(1 / 24, 2);
    expect(task.baselines.test?.persistence).toBeNull();
    const again = p.prepare(null, { ...p.defaults, seqLen: 50 }).task;
    expect(again.test?.batch([5], "float64").target).toEqual(task.test?.batch([5], "float64").target);
  });

  it("every preset has a goal, a valid tutorial protocol and a tuned default that differ; unknown names list the choices", () => {
    for (const p of PRESETS) {
      expect(p.goal.length).toBeGreaterThan(0);
      expect(validateTrainConfig(p.defaults)).toBe(p.defaults);
      expect(validateTrainConfig(p.tutorialConfig)).toBe(p.tutorialConfig);
      expect(p.tutorialConfig).not.toEqual(p.defaults);
      if (p.dataset !== null) expect(datasetInfo(p.dataset)?.name).toBe(p.dataset); // a registry dataset
    }
    expect(() => presetByName("iris")).toThrow(
      'unknown preset "iris"; available: sine, weather, mod3, min-temp, googl, shakespeare, airline, jsb, adding, shakespeare-lstm',
    );
  });
});

describe("presetConfig", () => {
  it("switching cell keeps the preset's setup, sets tanh and applies the preset's settings for that cell", () => {
    const p = presetByName("shakespeare");
    expect(presetConfig(p, "default")).toBe(p.defaults);
    const lstm = presetConfig(p, "default", "lstm");
    expect([lstm.cell, lstm.nonlinearity, lstm.lr, lstm.initForgetBias, lstm.seqLen]).toEqual([
      "lstm",
      "tanh",
      2e-2,
      1,
      p.defaults.seqLen,
    ]);
    const sineGru = presetConfig(presetByName("sine"), "tutorial", "gru");
    expect([sineGru.cell, sineGru.nonlinearity]).toEqual(["gru", "tanh"]); // the sine tutorial's sigmoid is for its Elman cell
  });
});
