import { checkGradients } from "@unrolled/gradcheck";
import {
  ConfigError,
  createRng,
  DataError,
  fromArray,
  fromRows,
  type Matrix,
  NonFiniteError,
  ShapeError,
  zeros,
} from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { bceWithLogitsBackward, bceWithLogitsForward } from "./bce.js";
import { huberBackward, huberForward, maeBackward, maeForward, mseBackward, mseForward } from "./elementwise-loss.js";
import type { LossOptions } from "./reduction.js";
import { softmaxCrossEntropyBackward, softmaxCrossEntropyForward } from "./softmax-cross-entropy.js";

const N = 5;
const O = 3;
const rng = createRng(21);
const randn = (r: number, c: number, s = 1) => fromArray(rng.fillNormal(new Float64Array(r * c), 0, s), r, c);
const target = randn(N, O);
const probs = fromArray(rng.fillUniform(new Float64Array(N * O), 0, 1), N, O); // BCE targets in [0, 1]
const classes = [0, 2, 1, 1, 0];
const weights = [1, 0, 2.5, 0.5, 1];

type Loss = {
  name: string;
  fwd: (p: Matrix, opts?: LossOptions) => { loss: number; cache: never };
  bwd: (cache: never, d: Matrix) => Matrix;
};
const softTarget = fromArray(rng.fillUniform(new Float64Array(N * O), 0, 1), N, O);
const losses: Loss[] = [
  { name: "mse", fwd: (p, o) => mseForward(p, target, o) as never, bwd: mseBackward as never },
  { name: "mae", fwd: (p, o) => maeForward(p, target, o) as never, bwd: maeBackward as never },
  { name: "huber", fwd: (p, o) => huberForward(p, target, { ...o, delta: 0.7 }) as never, bwd: huberBackward as never },
  {
    name: "bceWithLogits",
    fwd: (p, o) => bceWithLogitsForward(p, probs, o) as never,
    bwd: bceWithLogitsBackward as never,
  },
  {
    name: "softmaxCE (indices)",
    fwd: (p, o) => softmaxCrossEntropyForward(p, classes, o) as never,
    bwd: softmaxCrossEntropyBackward as never,
  },
  {
    name: "softmaxCE (soft targets)",
    fwd: (p, o) => softmaxCrossEntropyForward(p, softTarget, o) as never,
    bwd: softmaxCrossEntropyBackward as never,
  },
];

describe.each(losses)("$name", ({ fwd, bwd }) => {
  for (const opts of [{}, { reduction: "sum" }, { weights }, { reduction: "sum", weights }] as LossOptions[]) {
    it(`backward matches finite differences (${JSON.stringify(opts)})`, () => {
      const at = randn(N, O, 2).data;
      const report = checkGradients({
        f: (t) => fwd(fromArray(t, N, O), opts).loss,
        grad: (t) => {
          const p = fromArray(t, N, O);
          return bwd(fwd(p, opts).cache, zeros(N, O)).data;
        },
        at,
        names: [{ name: "pred", shape: [N, O] }],
        rng: createRng(1),
      });
      expect(report.ok, report.summary).toBe(true);
    });
  }

  it("backward accumulates into dPred (+=), scaled by dLoss", () => {
    const p = randn(N, O);
    const once = bwd(fwd(p).cache, zeros(N, O));
    const d = fromArray(once.data, N, O);
    bwd(fwd(p).cache, d);
    for (let k = 0; k < d.data.length; k++) expect(d.data[k]).toBeCloseTo(2 * (once.data[k] as number), 14);
  });
});

describe("loss values", () => {
  it("MSE, MAE and Huber on a hand-computed example (PyTorch's definitions)", () => {
    const p = fromRows([
      [1, 2],
      [3, 7],
    ]);
    const y = fromRows([
      [0, 2],
      [5, 4],
    ]); // d = 1, 0, −2, 3
    expect(mseForward(p, y).loss).toBe((1 + 0 + 4 + 9) / 4);
    expect(mseForward(p, y, { reduction: "sum" }).loss).toBe(14);
    expect(maeForward(p, y).loss).toBe(6 / 4);
    // Huber δ = 1: ½·1, 0, 1·(2 − ½), 1·(3 − ½)
    expect(huberForward(p, y).loss).toBe((0.5 + 0 + 1.5 + 2.5) / 4);
    // weights: row 0 weight 3, row 1 weight 1 → (3·1 + 1·13) / ((3 + 1)·2)
    expect(mseForward(p, y, { weights: [3, 1] }).loss).toBe(16 / 8);
  });

  it("softmax cross-entropy equals −log p_t and is stable for huge logits", () => {
    const z = fromRows([
      [1, 2, 3],
      [1000, 0, -1000],
    ]);
    const { loss } = softmaxCrossEntropyForward(z, [2, 0]);
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    expect(loss).toBeCloseTo((lse - 3 + 0) / 2, 14);
    const onehot = fromRows([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(softmaxCrossEntropyForward(z, onehot).loss).toBeCloseTo(loss, 14);
  });

  it("fused softmax-CE gradient is p − onehot(y) divided by N", () => {
    const z = fromRows([[0, 0]]);
    const { cache } = softmaxCrossEntropyForward(z, [1]);
    expect(Array.from(softmaxCrossEntropyBackward(cache, zeros(1, 2)).data)).toEqual([0.5, -0.5]);
  });

  it("BCE with logits is finite at ±1000", () => {
    const { loss } = bceWithLogitsForward(fromRows([[1000, -1000]]), fromRows([[0, 1]]));
    expect(loss).toBe(1000);
  });
});

describe("bad arguments", () => {
  it("shape, dtype, target and option errors are typed and clear", () => {
    expect(() => mseForward(zeros(2, 2), zeros(2, 3))).toThrow(
      "mseForward: target has shape [2, 3], expected (shape of pred) = [2, 2]",
    );
    expect(() => mseForward(zeros(2, 2), zeros(2, 2, "float32") as never)).toThrow(/float32/);
    expect(() => mseForward(zeros(1, 1), fromRows([[Number.NaN]]))).toThrow(NonFiniteError);
    expect(() => mseForward(zeros(1, 1), zeros(1, 1), { weights: [1, 2] })).toThrow(
      "mseForward: weights has length 2, expected 1 (one per row)",
    );
    expect(() => mseForward(zeros(1, 1), zeros(1, 1), { weights: [-1] })).toThrow(ConfigError);
    expect(() => mseForward(zeros(1, 1), zeros(1, 1), { weights: [0] })).toThrow(DataError);
    expect(() => mseForward(zeros(1, 1), zeros(1, 1), { reduction: "avg" as never })).toThrow(ConfigError);
    expect(() => huberForward(zeros(1, 1), zeros(1, 1), { delta: 0 })).toThrow(
      "huberForward: delta must be > 0, got 0",
    );
    expect(() => softmaxCrossEntropyForward(zeros(2, 3), [0, 3])).toThrow(
      "softmaxCrossEntropyForward: target[1] is 3, expected a class index in [0, 3)",
    );
    expect(() => softmaxCrossEntropyForward(zeros(2, 3), [0.5, 1])).toThrow(DataError);
    expect(() => softmaxCrossEntropyForward(zeros(2, 3), [0])).toThrow(ShapeError);
    expect(() => bceWithLogitsForward(zeros(1, 1), fromRows([[2]]))).toThrow(/expected a value in \[0, 1\]/);
    expect(() => mseBackward(mseForward(zeros(2, 2), zeros(2, 2)).cache, zeros(1, 2))).toThrow(ShapeError);
  });
});
