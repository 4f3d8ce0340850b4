import { checkGradients } from "@unrolled/gradcheck";
import {
  ConfigError,
  createRng,
  DTypeError,
  type FloatArray,
  fromArray,
  type Matrix,
  maxAbsDiff,
  ShapeError,
  tensor3,
  zeros3,
} from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { checkModel } from "../__tests__/model-check.js";
import { type HeadActivation, modelConfig, type Nonlinearity } from "../config.js";
import { initParams } from "../params/init.js";
import { allocateParams } from "../params/params.js";
import { backprop, type LossKind, lossAndGradient, lossOfParams } from "./loss.js";
import { modelForward, type TokenBatch } from "./model.js";
import { initialState, modelStep } from "./step.js";

const configs: [number, Nonlinearity, boolean, boolean, boolean][] = [];
for (const L of [1, 2, 3]) {
  for (const phi of ["tanh", "relu", "sigmoid"] as const) {
    for (const bias of [true, false])
      for (const bidir of [false, true]) for (const seqs of [true, false]) configs.push([L, phi, bias, bidir, seqs]);
  }
}

describe("modelForward / modelBackward match finite differences for every configuration", () => {
  for (const [L, phi, bias, bidir, seqs] of configs) {
    for (const kind of ["mse", "ce"] as const) {
      const name = `L=${L} ${phi} bias=${bias} ${bidir ? "bidirectional" : "unidirectional"} ${seqs ? "many-to-many" : "many-to-one"} ${kind}`;
      it(name, () => {
        const config = modelConfig({
          inputSize: 2,
          hiddenSize: 3,
          numLayers: L,
          nonlinearity: phi,
          bias,
          bidirectional: bidir,
          returnSequences: seqs,
          head: { outputSize: 3, activation: kind === "ce" ? "softmax" : "identity" },
        });
        const report = checkModel(config, kind);
        expect(report.ok, report.summary).toBe(true);
      });
    }
  }

  for (const [act, kind] of [
    ["sigmoid", "mse"],
    ["softmax", "mse"],
    ["sigmoid", "huber"],
    ["identity", "mae"],
    ["sigmoid", "bce"],
    ["identity", "bce"],
    ["identity", "ce"],
  ] as [HeadActivation, LossKind][]) {
    it(`head activation ${act} with loss ${kind}`, () => {
      const config = modelConfig({
        inputSize: 2,
        hiddenSize: 3,
        returnSequences: true,
        head: { outputSize: 2, activation: act },
      });
      const report = checkModel(config, kind, { seed: 9 });
      expect(report.ok, report.summary).toBe(true);
    });
  }

  it("T=1, B=1, H=1", () => {
    const config = modelConfig({ inputSize: 1, hiddenSize: 1, head: { outputSize: 1, activation: "identity" } });
    const p = initParams(allocateParams(config), { rng: createRng(1) });
    const x = tensor3(1, 1, 1, Float64Array.of(0.3));
    const { f, grad } = lossOfParams(config, x, fromArray([0.7], 1, 1), { kind: "mse" });
    const report = checkGradients({ f, grad, at: p.flat as Float64Array, names: p.slots, rng: createRng(0) });
    expect(report.ok, report.summary).toBe(true);
  });
});

describe("modelForward behaviour", () => {
  const config = modelConfig({
    inputSize: 3,
    hiddenSize: 4,
    numLayers: 2,
    head: { outputSize: 2, activation: "identity" },
  });
  const p = initParams(allocateParams(config), { rng: createRng(2) });
  const x = tensor3(2, 5, 3, createRng(3).fillNormal(new Float64Array(30)));

  for (const cell of ["rnn", "lstm", "gru"] as const) {
    it(`${cell}: streaming one step at a time (modelStep) gives the outputs and states of the whole sequence`, () => {
      const c = modelConfig({
        cell,
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        head: { outputSize: 2, activation: "identity" },
      });
      const q = initParams(allocateParams(c), { rng: createRng(2) });
      const seq = modelForward(q, x);
      let state = initialState(q, 2);
      let y: Matrix<FloatArray> = fromArray([0, 0, 0, 0], 2, 2);
      for (let t = 0; t < 5; t++) {
        const xt = fromArray(
          [0, 1].flatMap((b) => Array.from(x.data.subarray((b * 5 + t) * 3, (b * 5 + t + 1) * 3))),
          2,
          3,
        );
        ({ y, state } = modelStep(q, xt, state));
      }
      for (let i = 0; i < 4; i++) expect(y.data[i]).toBeCloseTo(seq.y.data[i] as number, 14);
      for (let i = 0; i < 8; i++) expect(state.h[1]?.data[i]).toBeCloseTo(seq.hN.data[8 + i] as number, 14);
      if (cell === "lstm")
        for (let i = 0; i < 8; i++) expect(state.c?.[1]?.data[i]).toBeCloseTo(seq.cN?.data[8 + i] as number, 14);
    });
  }

  it("carrying hN into the next call as h0 equals one long sequence", () => {
    const first = tensor3(
      2,
      2,
      3,
      Float64Array.from([0, 1].flatMap((b) => Array.from(x.data.subarray(b * 15, b * 15 + 6)))),
    );
    const rest = tensor3(
      2,
      3,
      3,
      Float64Array.from([0, 1].flatMap((b) => Array.from(x.data.subarray(b * 15 + 6, b * 15 + 15)))),
    );
    const a = modelForward(p, first);
    const b = modelForward(p, rest, { h0: a.hN });
    const whole = modelForward(p, x);
    expect(Array.from(b.hN.data)).toEqual(Array.from(whole.hN.data));
  });

  it("rejects inputs of the wrong size or dtype with typed errors that name the argument", () => {
    expect(() => modelForward(p, zeros3(2, 5, 4))).toThrow(
      "modelForward: x has shape [2, 5, 4], expected (B ≥ 1, T ≥ 1, D) = [*, *, 3]",
    );
    expect(() => modelForward(p, zeros3(2, 0, 3))).toThrow(ShapeError);
    expect(() => modelForward(p, zeros3(2, 5, 3, "float32"))).toThrow(DTypeError);
    expect(() => modelForward(p, x, { h0: zeros3(1, 2, 4) })).toThrow(
      "modelForward: h0 has shape [1, 2, 4], expected (L·dirs, B, H) = [2, 2, 4]",
    );
    expect(() =>
      modelStep(allocateParams({ ...config, bidirectional: true }), fromArray([0, 0, 0], 1, 3), initialState(p, 1)),
    ).toThrow(ConfigError);
  });

  it("loss/activation mismatches are ConfigErrors", () => {
    const sig = modelConfig({ inputSize: 1, hiddenSize: 1, head: { outputSize: 2, activation: "sigmoid" } });
    expect(() => lossAndGradient(sig, fromArray([0, 0], 1, 2), [1], { kind: "ce" })).toThrow(ConfigError);
    expect(() => lossAndGradient(config, fromArray([0, 0], 1, 2), [1], { kind: "mse" })).toThrow(
      /needs a target matrix/,
    );
  });

  it("float32 models run in float32 and agree with float64 to single precision", () => {
    const p32 = allocateParams(config, "float32");
    p32.flat.set(p.flat);
    const y32 = modelForward(p32, tensor3(2, 5, 3, Float32Array.from(x.data))).y;
    const y64 = modelForward(p, x).y;
    expect(y32.dtype).toBe("float32");
    for (let i = 0; i < y64.data.length; i++)
      expect(Math.abs((y32.data[i] as number) - (y64.data[i] as number))).toBeLessThan(1e-5);
  });
});

describe("token ids as input, and skipping ∂L/∂x", () => {
  const V = 5;
  const config = modelConfig({
    inputSize: V,
    hiddenSize: 4,
    numLayers: 2,
    bidirectional: true,
    returnSequences: true,
    head: { outputSize: V, activation: "softmax" },
  });
  const p = initParams(allocateParams(config), { rng: createRng(8) });
  const rng = createRng(9);
  const ids = Int32Array.from({ length: 3 * 6 }, () => rng.int(0, V));
  const tokens: TokenBatch = { ids, dims: [3, 6] };
  const onehot = tensor3(3, 6, V, new Float64Array(3 * 6 * V));
  ids.forEach((id, i) => {
    onehot.data[i * V + id] = 1;
  });
  const target = Array.from(ids, (id) => (id + 1) % V);

  it("token ids give the outputs and the parameter gradients of their one-hot rows, with no ∂L/∂x", () => {
    const [a, b] = [allocateParams(config), allocateParams(config)];
    const ra = backprop(p, onehot, target, { kind: "ce" }, a);
    const rb = backprop(p, tokens, target, { kind: "ce" }, b);
    expect(maxAbsDiff(ra.y, rb.y)).toBeLessThan(1e-15);
    expect(Math.max(...Array.from(a.flat, (v, i) => Math.abs(v - (b.flat[i] as number))))).toBeLessThan(1e-14);
    expect(rb.dx).toBeNull();
  });

  it("the gather forward and scatter backward of token ids match finite differences, with lengths too", () => {
    for (const lengths of [undefined, [6, 2, 4]]) {
      const { f, grad } = lossOfParams(config, tokens, target, { kind: "ce" }, lengths ? { lengths } : {});
      const report = checkGradients({ f, grad, at: p.flat as Float64Array, names: p.slots, rng: createRng(0) });
      expect(report.ok, report.summary).toBe(true);
    }
  });

  it("a token id outside [0, inputSize) is a ConfigError naming it", () => {
    expect(() => modelForward(p, { ids: Int32Array.of(0, 7), dims: [1, 2] })).toThrow(
      "modelForward: token id 7 at 1 is outside [0, 5) (the inputSize)",
    );
  });

  it("inputGradient: false gives the same parameter gradients and no dx", () => {
    const a = allocateParams(config);
    const b = allocateParams(config);
    const ra = backprop(p, onehot, target, { kind: "ce" }, a);
    const rb = backprop(p, onehot, target, { kind: "ce" }, b, { inputGradient: false });
    expect(Array.from(b.flat)).toEqual(Array.from(a.flat));
    expect(ra.dx).not.toBeNull();
    expect(rb.dx).toBeNull();
  });
});

describe("sequences of different lengths (PyTorch's pack_padded_sequence)", () => {
  const [D, H, O, T] = [2, 3, 2, 5];
  const lengths = [3, 5]; // B = 2: the first sequence is shorter, so it is sorted second

  for (const cell of ["rnn", "lstm", "gru"] as const) {
    for (const [bidir, seqs] of [
      [false, true],
      [false, false],
      [true, true],
      [true, false],
    ] as const) {
      it(`${cell} ${bidir ? "bidirectional" : "unidirectional"} ${seqs ? "many-to-many" : "many-to-one"}, 2 layers: matches finite differences (weights, x, h0${cell === "lstm" ? ", c0" : ""})`, () => {
        const config = modelConfig({
          cell,
          inputSize: D,
          hiddenSize: H,
          numLayers: 2,
          bidirectional: bidir,
          returnSequences: seqs,
          head: { outputSize: O, activation: "identity" },
        });
        const report = checkModel(config, "mse", { lengths, T });
        expect(report.ok, report.summary).toBe(true);
      });
    }
  }

  it("each sequence's outputs and final state are what it gives alone, unpadded; padding outputs zeros", () => {
    const config = modelConfig({
      cell: "lstm",
      inputSize: D,
      hiddenSize: H,
      numLayers: 2,
      bidirectional: true,
      returnSequences: true,
      head: { outputSize: O, activation: "identity" },
    });
    const p = initParams(allocateParams(config), { rng: createRng(2) });
    const x = tensor3(2, T, D, createRng(3).fillNormal(new Float64Array(2 * T * D)));
    const both = modelForward(p, x, { lengths, output: true });
    for (const [b, L] of lengths.entries()) {
      const alone = modelForward(p, tensor3(1, L, D, x.data.slice(b * T * D, (b * T + L) * D)), { output: true });
      const rows = both.y.data.subarray(b * T * O, (b * T + L) * O);
      expect(Math.max(...Array.from(rows, (v, i) => Math.abs(v - (alone.y.data[i] as number))))).toBeLessThan(1e-14);
      for (let s = 0; s < 4; s++) {
        const got = both.hN.data.subarray((s * 2 + b) * H, (s * 2 + b + 1) * H);
        const want = alone.hN.data.subarray(s * H, (s + 1) * H);
        expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - (want[i] as number))))).toBeLessThan(1e-14);
      }
      const out = both.output?.data.subarray((b * T + L) * 2 * H, (b + 1) * T * 2 * H) ?? [];
      expect(Array.from(out).every((v) => v === 0)).toBe(true);
    }
  });

  it("lengths all equal to T give bit for bit what no lengths give; bad lengths are ConfigErrors", () => {
    const config = modelConfig({
      cell: "gru",
      inputSize: D,
      hiddenSize: H,
      head: { outputSize: O, activation: "identity" },
    });
    const p = initParams(allocateParams(config), { rng: createRng(2) });
    const x = tensor3(2, T, D, createRng(3).fillNormal(new Float64Array(2 * T * D)));
    expect(Array.from(modelForward(p, x, { lengths: [T, T] }).y.data)).toEqual(Array.from(modelForward(p, x).y.data));
    expect(() => modelForward(p, x, { lengths: [T] })).toThrow("modelForward: lengths has 1 entries, expected B = 2");
    expect(() => modelForward(p, x, { lengths: [0, T] })).toThrow(
      "modelForward: lengths[0] is 0, expected an integer in [1, T = 5]",
    );
    expect(() => modelForward(p, x, { lengths: [2.5, T] })).toThrow(ConfigError);
  });
});
