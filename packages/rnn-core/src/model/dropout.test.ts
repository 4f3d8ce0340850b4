import { checkGradients } from "@unrolled/gradcheck";
import { createRng, fromArray, tensor3 } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { modelConfig } from "../config.js";
import { initParams } from "../params/init.js";
import { allocateParams, paramsFromFlat } from "../params/params.js";
import { dropoutBackward, dropoutForward } from "./dropout.js";
import { backprop, lossAndGradient, maskPadding } from "./loss.js";
import { modelForward } from "./model.js";

describe("dropout (PyTorch's: on every layer's output but the last, and optionally before the head)", () => {
  const [B, T, D, H, O] = [3, 5, 2, 4, 2];
  for (const cell of ["rnn", "lstm", "gru"] as const) {
    for (const [seqs, bidir, lengths] of [
      [true, false, undefined],
      [false, true, [5, 2, 4]],
    ] as const) {
      it(`${cell}, 3 layers${bidir ? ", bidirectional" : ""}${lengths ? ", lengths" : ""}, ${seqs ? "many-to-many" : "many-to-one"}: with a fixed mask, BPTT matches finite differences (weights and x)`, () => {
        const config = modelConfig({
          cell,
          inputSize: D,
          hiddenSize: H,
          numLayers: 3,
          bidirectional: bidir,
          dropout: 0.4,
          returnSequences: seqs,
          head: { outputSize: O, activation: "identity", dropout: 0.3 },
        });
        const rng = createRng(2);
        const p = initParams(allocateParams(config), { rng, scheme: "normal", std: 0.5, biases: "same" });
        const x0 = rng.fillNormal(new Float64Array(B * T * D));
        const N = seqs ? B * T : B;
        const target = fromArray(rng.fillNormal(new Float64Array(N * O)), N, O);
        const P = p.flat.length;
        const opts = () => ({ dropout: createRng(9), ...(lengths ? { lengths } : {}) }); // the same masks each call
        const spec = maskPadding(config, { kind: "mse" }, [B, T], lengths);
        const f = (t: Float64Array) =>
          lossAndGradient(
            config,
            modelForward(paramsFromFlat(config, t.subarray(0, P)), tensor3(B, T, D, t.subarray(P)), opts()).y,
            target,
            spec,
          ).loss;
        const grad = (t: Float64Array) => {
          const g = allocateParams(config);
          const r = backprop(
            paramsFromFlat(config, t.subarray(0, P)),
            tensor3(B, T, D, t.subarray(P)),
            target,
            { kind: "mse" },
            g,
            opts(),
          );
          return Float64Array.from([...g.flat, ...(r.dx?.data ?? [])]);
        };
        const at = Float64Array.from([...p.flat, ...x0]);
        const names = [...p.slots, { name: "x", shape: [B, T, D] }];
        const report = checkGradients({ f, grad, at, names, rng: createRng(0) });
        expect(report.ok, report.summary).toBe(true);
      });
    }
  }

  it("evaluation (no Rng) keeps everything: the same outputs as the model without dropout, bit for bit", () => {
    const base = {
      cell: "lstm" as const,
      inputSize: D,
      hiddenSize: H,
      numLayers: 2,
      head: { outputSize: O, activation: "identity" as const },
    };
    const plain = initParams(allocateParams(modelConfig(base)), { rng: createRng(4) });
    const withDropout = paramsFromFlat(
      modelConfig({ ...base, dropout: 0.5, head: { ...base.head, dropout: 0.5 } }),
      plain.flat.slice(),
    );
    const x = tensor3(B, T, D, createRng(5).fillNormal(new Float64Array(B * T * D)));
    expect(Array.from(modelForward(withDropout, x).y.data)).toEqual(Array.from(modelForward(plain, x).y.data));
    const a = modelForward(withDropout, x, { dropout: createRng(1) }).y.data;
    expect(Array.from(a)).not.toEqual(Array.from(modelForward(plain, x).y.data)); // training: masks change it
    expect(Array.from(modelForward(withDropout, x, { dropout: createRng(1) }).y.data)).toEqual(Array.from(a)); // seeded
  });

  it("keeps a 1 − p share of the values, scaled by 1 / (1 − p); the backward passes the gradient through the mask", () => {
    const n = 20_000;
    const [x, out, mask, dout, dx] = [
      new Float64Array(n).fill(2),
      new Float64Array(n),
      new Float64Array(n),
      new Float64Array(n).fill(3),
      new Float64Array(n).fill(1),
    ];
    dropoutForward(x, out, mask, n, 0.25, createRng(3));
    const kept = mask.filter((m) => m !== 0);
    expect(kept.length / n).toBeCloseTo(0.75, 1);
    expect(kept.every((m) => m === 1 / 0.75)).toBe(true);
    expect(out.reduce((a, v) => a + v, 0) / n).toBeCloseTo(2, 1); // the expectation is kept
    dropoutBackward(dout, mask, dx, n, true);
    expect(Array.from(dx.subarray(0, 8))).toEqual(Array.from(mask.subarray(0, 8), (m) => 1 + 3 * m));
  });
});
