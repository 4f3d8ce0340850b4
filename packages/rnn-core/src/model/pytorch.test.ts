import { fromNested3, fromRows, type Tensor3 } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import gated from "../__fixtures__/gated.json" with { type: "json" };
import packed from "../__fixtures__/packed.json" with { type: "json" };
import elman from "../__fixtures__/rnn.json" with { type: "json" };
import { loadModel } from "../format/model-file.js";
import { zerosLikeParams } from "../params/params.js";
import { backprop, type LossKind, type Target } from "./loss.js";

const TOL = 1e-10;

function maxDiff(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs((actual[i] as number) - (expected[i] as number)));
  return m;
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flat(3) : [v]) as number[];
const t3 = (v: unknown) => (v ? (fromNested3(v as number[][][]) as Tensor3<Float64Array>) : undefined);

type Case = Omit<(typeof elman.cases)[number], "expected"> & {
  c0?: unknown;
  lengths?: number[];
  expected: Omit<(typeof elman.cases)[number]["expected"], "hiddenGradNorms"> & {
    cN?: unknown;
    dc0?: unknown;
    hiddenGradNorms: number[][] | null;
  };
};

for (const [title, fixture] of [
  ["the Elman RNN equals PyTorch (nn.RNN + nn.Linear) in float64", elman],
  ["the LSTM and the GRU equal PyTorch (nn.LSTM, nn.GRU + nn.Linear) in float64", gated],
  ["sequences of different lengths equal PyTorch's pack_padded_sequence, every cell, in float64", packed],
] as const) {
  describe(title, () => {
    it("the fixture comes from the committed generator", () => {
      expect(fixture.version, "hint: re-run pnpm fixtures").toBe(1);
      expect(fixture.generator).toBe("packages/rnn-core/src/__fixtures__/gen_rnn.py");
    });

    for (const c of fixture.cases as unknown as Case[]) {
      it(`${c.name}: outputs, final states, loss, every gradient, dx, dh0 (dc0) and ‖∂L/∂hₜ‖ to ${TOL}`, () => {
        const { params } = loadModel(c.model);
        const grads = zerosLikeParams(params);
        const x = fromNested3(c.x as number[][][]);
        const [h0, c0] = [t3(c.h0), t3(c.c0)];
        const target: Target = c.loss === "mse" ? fromRows(c.target as number[][]) : (c.target as number[]);
        const r = backprop(params, x, target, { kind: c.loss as LossKind }, grads, {
          ...(h0 ? { h0 } : {}),
          ...(c0 ? { c0 } : {}),
          truncate: c.truncate,
          ...(c.lengths ? { lengths: c.lengths } : {}),
        });
        const e = c.expected;
        expect(maxDiff(r.y.data, flat(e.y))).toBeLessThanOrEqual(TOL);
        expect(maxDiff(r.hN.data, flat(e.hN))).toBeLessThanOrEqual(TOL);
        expect(Math.abs(r.loss - e.loss)).toBeLessThanOrEqual(TOL);
        for (const s of params.slots) {
          const g = grads.flat.subarray(s.offset, s.offset + s.size);
          expect(maxDiff(g, (e.grads as Record<string, number[]>)[s.name] as number[]), s.name).toBeLessThanOrEqual(
            TOL,
          );
        }
        expect(maxDiff(r.dx?.data ?? [], flat(e.dx))).toBeLessThanOrEqual(TOL);
        expect(maxDiff(r.dh0.data, flat(e.dh0))).toBeLessThanOrEqual(TOL);
        if (params.config.cell === "lstm") {
          expect(maxDiff(r.cN?.data ?? [], flat(e.cN))).toBeLessThanOrEqual(TOL);
          expect(maxDiff(r.dc0?.data ?? [], flat(e.dc0))).toBeLessThanOrEqual(TOL);
        } else {
          expect(r.cN).toBeNull();
        }
        if (e.hiddenGradNorms === null) return; // packed cases: PyTorch's modules keep no per-step hₜ
        expect(r.hiddenGradNorms.length).toBe(e.hiddenGradNorms.length);
        for (const [k, row] of r.hiddenGradNorms.entries()) {
          expect(maxDiff(row, e.hiddenGradNorms[k] as number[])).toBeLessThanOrEqual(TOL);
        }
      });
    }
  });
}
