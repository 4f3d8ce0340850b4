import { ConfigError, ShapeError } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { modelConfig, validateConfig } from "../config.js";
import { allocateParams, castParams, cellAt, paramsFromFlat, zeroGrads, zerosLikeParams } from "./params.js";
import { countParams, hiddenSizeForBudget, paramSpec } from "./spec.js";

const config = modelConfig({
  inputSize: 3,
  hiddenSize: 4,
  numLayers: 2,
  bidirectional: true,
  head: { outputSize: 2, activation: "identity" },
});

describe("parameters", () => {
  it("paramSpec lists PyTorch's state_dict names and shapes in state_dict order", () => {
    expect(paramSpec(config).map((s) => `${s.name} ${s.shape.join("x")}`)).toEqual([
      "rnn.weight_ih_l0 4x3",
      "rnn.weight_hh_l0 4x4",
      "rnn.bias_ih_l0 4",
      "rnn.bias_hh_l0 4",
      "rnn.weight_ih_l0_reverse 4x3",
      "rnn.weight_hh_l0_reverse 4x4",
      "rnn.bias_ih_l0_reverse 4",
      "rnn.bias_hh_l0_reverse 4",
      "rnn.weight_ih_l1 4x8",
      "rnn.weight_hh_l1 4x4",
      "rnn.bias_ih_l1 4",
      "rnn.bias_hh_l1 4",
      "rnn.weight_ih_l1_reverse 4x8",
      "rnn.weight_hh_l1_reverse 4x4",
      "rnn.bias_ih_l1_reverse 4",
      "rnn.bias_hh_l1_reverse 4",
      "head.weight 2x8",
      "head.bias 2",
    ]);
    expect(countParams(config)).toBe(2 * (12 + 16 + 8) + 2 * (32 + 16 + 8) + 16 + 2);
    expect(paramSpec({ ...config, bias: false }).some((s) => s.name.includes("bias_ih"))).toBe(false);
  });

  it("named views share the flat buffer", () => {
    const p = allocateParams(config);
    cellAt(p, 1, 1).W_hh.set(2, 3, 7);
    const slot = p.slots.find((s) => s.name === "rnn.weight_hh_l1_reverse");
    expect(p.flat[(slot?.offset ?? 0) + 2 * 4 + 3]).toBe(7);
    expect(p.tensors.get("rnn.weight_hh_l1_reverse")?.get(2, 3)).toBe(7);
    expect(p.head.b_y.shape).toEqual([1, 2]);
  });

  it("zerosLikeParams, zeroGrads, castParams and paramsFromFlat", () => {
    const p = allocateParams(config);
    p.flat.fill(0.1);
    const g = zerosLikeParams(p);
    expect(g.flat.length).toBe(p.flat.length);
    expect(g.flat).not.toBe(p.flat);
    g.flat.fill(1);
    zeroGrads(g);
    expect(g.flat.every((v) => v === 0)).toBe(true);
    expect(castParams(p, "float32").flat).toBeInstanceOf(Float32Array);
    expect(() => paramsFromFlat(config, new Float64Array(3))).toThrow(ShapeError);
    expect(() => cellAt(p, 2, 0)).toThrow(ShapeError);
  });

  it("validateConfig names the offending field", () => {
    expect(() => validateConfig({ ...config, hiddenSize: 0 })).toThrow(
      "model config: hiddenSize must be an integer in [1, 1048576], got 0",
    );
    expect(() => validateConfig({ ...config, nonlinearity: "gelu" })).toThrow(
      'model config: nonlinearity must be one of "tanh", "relu", "sigmoid", got "gelu"',
    );
    expect(() => validateConfig({ ...config, bias: "yes" })).toThrow("model config: bias must be true or false");
    expect(() => validateConfig({ ...config, dropout: 1 })).toThrow(
      "model config: dropout must be a number in [0, 1), got 1",
    );
    expect(() => validateConfig({ ...config, seed: 1 })).toThrow("model config: unknown field(s) seed");
    expect(validateConfig({ ...config, dropout: 0 })).not.toHaveProperty("dropout"); // a config without dropout stays as it was
    expect(() => validateConfig({ ...config, head: null })).toThrow(ConfigError);
    expect(() => validateConfig({ ...config, head: { outputSize: 1, activation: "tanh" } })).toThrow(/head.activation/);
    expect(() => validateConfig([])).toThrow(ConfigError);
  });
});

describe("hiddenSizeForBudget", () => {
  it("sizes an LSTM and a GRU to at most an Elman RNN's parameter count", () => {
    const rnn = modelConfig({
      inputSize: 65,
      hiddenSize: 128,
      returnSequences: true,
      head: { outputSize: 65, activation: "softmax" },
    });
    const budget = countParams(rnn);
    expect(budget).toBe(33345);
    const lstm = hiddenSizeForBudget({ ...rnn, cell: "lstm" }, budget);
    const gru = hiddenSizeForBudget({ ...rnn, cell: "gru" }, budget);
    expect([lstm, gru]).toEqual([58, 69]);
    expect(countParams({ ...rnn, cell: "lstm", hiddenSize: lstm })).toBeLessThanOrEqual(budget);
    expect(countParams({ ...rnn, cell: "lstm", hiddenSize: lstm + 1 })).toBeGreaterThan(budget);
  });
});
