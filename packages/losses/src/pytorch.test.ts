import { fromArray, fromRows, maxAbsDiff, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import fixture from "./__fixtures__/losses.json" with { type: "json" };
import { bceWithLogitsBackward, bceWithLogitsForward } from "./bce.js";
import { huberBackward, huberForward, maeBackward, maeForward, mseBackward, mseForward } from "./elementwise-loss.js";
import type { LossOptions } from "./reduction.js";
import { softmaxCrossEntropyBackward, softmaxCrossEntropyForward } from "./softmax-cross-entropy.js";

type Case = (typeof fixture.cases)[number];
const run = (c: Case, opts: LossOptions) => {
  const x = fromRows(c.input);
  const t = c.target as number[][] | number[];
  const tm = Array.isArray(t[0]) ? fromRows(t as number[][]) : (t as number[]);
  const tMat = tm as ReturnType<typeof fromRows>;
  switch (c.name) {
    case "mse":
      return { ...mseForward(x, tMat, opts), back: mseBackward };
    case "mae":
      return { ...maeForward(x, tMat, opts), back: maeBackward };
    case "huber":
      return { ...huberForward(x, tMat, { ...opts, delta: 0.7 }), back: huberBackward };
    case "bceWithLogits":
      return { ...bceWithLogitsForward(x, tMat, opts), back: bceWithLogitsBackward };
    default:
      return { ...softmaxCrossEntropyForward(x, tm, opts), back: softmaxCrossEntropyBackward };
  }
};

describe("losses equal PyTorch's torch.nn.functional losses in float64", () => {
  it("the fixture comes from the committed generator", () => {
    expect(fixture.version, "hint: re-run pnpm fixtures").toBe(1);
  });
  for (const c of fixture.cases) {
    for (const r of c.runs) {
      it(`${c.name} reduction=${r.reduction}${r.weights ? " with row weights" : ""}: loss and gradient to 1e-12`, () => {
        const opts: LossOptions = r.weights
          ? { reduction: r.reduction as "mean", weights: r.weights }
          : { reduction: r.reduction as "mean" };
        const { loss, cache, back } = run(c, opts);
        expect(Math.abs(loss - r.loss)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(r.loss)));
        const g = (back as (c: unknown, d: ReturnType<typeof zeros>) => ReturnType<typeof zeros>)(
          cache,
          zeros(c.input.length, (c.input[0] as number[]).length),
        );
        expect(maxAbsDiff(g, fromArray(r.grad.flat(), g.rows, g.cols))).toBeLessThanOrEqual(1e-12);
      });
    }
  }
});
