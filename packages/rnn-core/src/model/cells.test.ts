import { checkGradients } from "@unrolled/gradcheck";
import { createRng, fromArray, setThreads, tensor3, zeros3 } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { checkModel } from "../__tests__/model-check.js";
import { type CellKind, modelConfig, type Nonlinearity, validateConfig } from "../config.js";
import { initParams } from "../params/init.js";
import { allocateParams, paramsFromFlat } from "../params/params.js";
import { backprop, lossAndGradient, lossOfParams } from "./loss.js";
import { modelForward } from "./model.js";

const GATED: CellKind[] = ["lstm", "gru"];

describe("LSTM and GRU models match finite differences for every configuration (weights, x, h0, c0)", () => {
  for (const cell of GATED) {
    for (const L of [1, 2, 3]) {
      for (const bias of [true, false]) {
        for (const bidir of [false, true]) {
          for (const seqs of [true, false]) {
            for (const kind of ["mse", "ce"] as const) {
              it(`${cell} L=${L} bias=${bias} ${bidir ? "bidirectional" : "unidirectional"} ${seqs ? "many-to-many" : "many-to-one"} ${kind}`, () => {
                const config = modelConfig({
                  cell,
                  inputSize: 2,
                  hiddenSize: 3,
                  numLayers: L,
                  bias,
                  bidirectional: bidir,
                  returnSequences: seqs,
                  head: { outputSize: 3, activation: "identity" },
                });
                const report = checkModel(config, kind);
                expect(report.ok, report.summary).toBe(true);
              });
            }
          }
        }
      }
    }
    it(`${cell}: T=1, B=1, H=1`, () => {
      const config = modelConfig({
        cell,
        inputSize: 1,
        hiddenSize: 1,
        head: { outputSize: 1, activation: "identity" },
      });
      const p = initParams(allocateParams(config), { rng: createRng(1) });
      const x = tensor3(1, 1, 1, Float64Array.of(0.3));
      const y = fromArray([0.7], 1, 1);
      const { f, grad } = lossOfParams(config, x, y, { kind: "mse" });
      const report = checkGradients({ f, grad, at: p.flat as Float64Array, names: p.slots, rng: createRng(0) });
      expect(report.ok, report.summary).toBe(true);
    });
  }

  for (const cell of ["rnn", "lstm", "gru"] as const) {
    it(`${cell}: truncated BPTT through 2 layers equals the exact gradient of the chunked loss with detached chunk states`, () => {
      const config = modelConfig({
        cell,
        inputSize: 2,
        hiddenSize: 3,
        numLayers: 2,
        returnSequences: true,
        head: { outputSize: 2, activation: "identity" },
      });
      const rng = createRng(4);
      const p = initParams(allocateParams(config), { rng });
      const [Bn, Tn, k] = [2, 6, 2];
      const x = tensor3(Bn, Tn, 2, rng.fillNormal(new Float64Array(Bn * Tn * 2)));
      const target = fromArray(rng.fillNormal(new Float64Array(Bn * Tn * 2)), Bn * Tn, 2);
      const rows = (m: Float64Array, c: number, width: number) =>
        Float64Array.from(
          [0, 1].flatMap((b) => Array.from(m.subarray((b * Tn + c * k) * width, (b * Tn + (c + 1) * k) * width))),
        );
      const chunk = (c: number) => tensor3(Bn, k, 2, rows(x.data, c, 2));
      const states: { h0?: ReturnType<typeof zeros3>; c0?: ReturnType<typeof zeros3> }[] = [{}];
      for (let c = 0; c < Tn / k - 1; c++) {
        const r = modelForward(p, chunk(c), states[c] as never);
        states.push({ h0: r.hN as never, ...(r.cN ? { c0: r.cN as never } : {}) });
      }
      const f = (t: Float64Array) =>
        states.reduce(
          (s, init, c) =>
            s +
            lossAndGradient(
              config,
              modelForward(paramsFromFlat(config, t), chunk(c), init as never).y,
              fromArray(rows(target.data, c, 2), Bn * k, 2),
              { kind: "mse", reduction: "sum" },
            ).loss,
          0,
        );
      const grad = (t: Float64Array) => {
        const g = allocateParams(config);
        backprop(paramsFromFlat(config, t), x, target, { kind: "mse", reduction: "sum" }, g, { truncate: k });
        return g.flat;
      };
      const report = checkGradients({ f, grad, at: p.flat as Float64Array, names: p.slots, rng: createRng(0) });
      expect(report.ok, report.summary).toBe(true);
    });
  }

  it("a config for an LSTM or GRU may leave out the nonlinearity (as PyTorch's); one that gives another than tanh is refused", () => {
    const pytorchLike = {
      cell: "lstm",
      inputSize: 3,
      hiddenSize: 4,
      returnSequences: false,
      head: { outputSize: 1, activation: "identity" },
    };
    expect(validateConfig(pytorchLike)).toMatchObject({
      nonlinearity: "tanh",
      numLayers: 1,
      bias: true,
      bidirectional: false,
    });
  });

  it("an LSTM or GRU must say nonlinearity tanh; c0 is for LSTMs only", () => {
    expect(() =>
      validateConfig({
        ...modelConfig({ cell: "gru", inputSize: 1, hiddenSize: 1, head: { outputSize: 1, activation: "identity" } }),
        nonlinearity: "relu",
      }),
    ).toThrow('model config: nonlinearity must be "tanh" for a GRU (its gates use σ and tanh), got "relu"');
    const rnn = allocateParams(
      modelConfig({ inputSize: 1, hiddenSize: 1, head: { outputSize: 1, activation: "identity" } }),
    );
    expect(() => modelForward(rnn, zeros3(1, 1, 1), { c0: zeros3(1, 1, 1) })).toThrow(
      /c0 is an LSTM.s initial cell state; this model is an RNN/,
    );
  });
});

interface AgreeOptions {
  /** Every sequence all T steps (else ragged lengths). */
  readonly full?: boolean;
  readonly nonlinearity?: Nonlinearity;
  readonly truncate?: number;
}

/**
 * float32 against float64 from the same weights: outputs, loss, every gradient, ∂L/∂h₀ and the per-step
 * hidden gradient norms of a 2-layer model, over ragged lengths unless `full`.
 */
function agree(cell: CellKind, H: number, Bn: number, tol: number, o: AgreeOptions = {}): void {
  const config = modelConfig({
    cell,
    nonlinearity: o.nonlinearity ?? "tanh",
    inputSize: 3,
    hiddenSize: H,
    numLayers: 2,
    returnSequences: true,
    head: { outputSize: 2, activation: "identity" },
  });
  const rng = createRng(11);
  const p64 = initParams(allocateParams(config), { rng });
  const p32 = allocateParams(config, "float32");
  p32.flat.set(p64.flat);
  const Tn = 7;
  const x = rng.fillNormal(new Float64Array(Bn * Tn * 3));
  const target = fromArray(rng.fillNormal(new Float64Array(Bn * Tn * 2)), Bn * Tn, 2);
  const lengths = Array.from({ length: Bn }, (_, b) => (o.full ? Tn : Math.max(1, Tn - Math.floor((b * Tn) / Bn))));
  const [g64, g32] = [allocateParams(config), allocateParams(config, "float32")];
  const spec = { kind: "mse", reduction: "sum" } as const;
  const opts = { lengths, truncate: o.truncate ?? 0 };
  const r64 = backprop(p64, tensor3(Bn, Tn, 3, x), target, spec, g64, opts);
  const target32 = fromArray(target.data, Bn * Tn, 2, "float32");
  const r32 = backprop(p32, tensor3(Bn, Tn, 3, Float32Array.from(x)), target32, spec, g32, opts);
  let [scale, dy, dg] = [0, 0, 0]; // one expect per quantity: a million calls took seconds
  for (const v of g64.flat) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < r64.y.data.length; i++)
    dy = Math.max(dy, Math.abs((r32.y.data[i] as number) - (r64.y.data[i] as number)));
  for (let i = 0; i < g64.flat.length; i++)
    dg = Math.max(dg, Math.abs((g32.flat[i] as number) - (g64.flat[i] as number)));
  expect(dy).toBeLessThan(tol);
  expect(dg / scale).toBeLessThan(tol);
  expect(Math.abs(r32.loss - r64.loss) / r64.loss).toBeLessThan(tol);
  let [dh0, dn, nScale] = [0, 0, 0];
  for (let i = 0; i < r64.dh0.data.length; i++)
    dh0 = Math.max(dh0, Math.abs((r32.dh0.data[i] as number) - (r64.dh0.data[i] as number)));
  for (const [l, row] of r64.hiddenGradNorms.entries())
    for (const [t, v] of row.entries()) {
      nScale = Math.max(nScale, v);
      dn = Math.max(dn, Math.abs((r32.hiddenGradNorms[l]?.[t] as number) - v));
    }
  expect(dh0 / scale).toBeLessThan(tol);
  expect(dn / nScale).toBeLessThan(tol);
}

describe("float32 LSTM and GRU (linalg's fused step where H is a multiple of 4, the loops elsewhere)", () => {
  for (const cell of GATED) {
    // 5 sequences: the product, then the fused elementwise pass (or, H = 6, the loops); 16: whole fused steps
    for (const [H, Bn] of [
      [8, 5],
      [6, 5],
      [8, 16],
    ] as const) {
      it(`${cell} H=${H} B=${Bn}: outputs and every gradient agree with float64 to single precision`, () => {
        agree(cell, H, Bn, 1e-5);
      });
    }
    it(`${cell} H=256 B=16 on two threads (each its band of rows): the same agreement`, () => {
      setThreads(2);
      try {
        agree(cell, 256, 16, 1e-4);
      } finally {
        setThreads(1);
      }
    }, 30_000);
  }
});

describe("float32 Elman layers (linalg's whole-recurrence kernel for small full batches, the loop elsewhere)", () => {
  for (const nonlinearity of ["tanh", "sigmoid", "relu"] as const)
    for (const [H, Bn] of [
      [5, 1],
      [8, 3],
    ] as const)
      for (const truncate of [0, 3])
        it(`${nonlinearity} H=${H} B=${Bn}${truncate ? ", truncated every 3 steps" : ""}: the same agreement with float64`, () => {
          agree("rnn", H, Bn, 1e-5, { full: true, nonlinearity, truncate });
        });
  it("sequences of different lengths take the loop, and agree the same", () => {
    agree("rnn", 5, 3, 1e-5);
  });
});
