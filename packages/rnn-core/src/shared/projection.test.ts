import { checkGradients } from "@unrolled/gradcheck";
import { createRng, dot, fromArray, maxAbsDiff, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { projectInputs, projectInputsBackward } from "./projection.js";
import type { SequenceInput } from "./sequence.js";

describe("projectInputs / projectInputsBackward", () => {
  const [B, T, D, H] = [2, 2, 5, 6]; // an RNN sequence: z is (T·B, H)
  const rng = createRng(3);
  const ids = Int32Array.from({ length: T * B }, () => rng.int(0, D));
  const oneHot = zeros(T * B, D);
  for (const [r, id] of ids.entries()) oneHot.set(r, id, 1);
  const inputs: Record<string, SequenceInput> = {
    "dense x: matmuls": { kind: "dense", x: fromArray(rng.fillNormal(new Float64Array(T * B * D)), T * B, D) },
    "token ids: gather and scatter": { kind: "tokens", ids },
  };

  for (const [what, input] of Object.entries(inputs)) {
    it(`the backward matches finite differences for W_ih (${what})`, () => {
      const w = fromArray(rng.fillNormal(new Float64Array(T * B * H)), T * B, H);
      const z = zeros(T * B, H);
      const f = (t: Float64Array) => {
        projectInputs(input, fromArray(t, H, D), z);
        return dot(z, w);
      };
      const grad = (t: Float64Array) => {
        const dW = zeros(H, D);
        projectInputsBackward(input, w, fromArray(t, H, D), dW, null);
        return dW.data;
      };
      const at = rng.fillNormal(new Float64Array(H * D));
      const report = checkGradients({ f, grad, at, names: [{ name: "W_ih", shape: [H, D] }] });
      expect(report.ok, report.summary).toBe(true);
    });
  }

  it("token ids give exactly what their one-hot rows give, forward and backward", () => {
    const W = fromArray(rng.fillNormal(new Float64Array(H * D)), H, D);
    const dz = fromArray(rng.fillNormal(new Float64Array(T * B * H)), T * B, H);
    const [zTokens, zDense, dWTokens, dWDense] = [zeros(T * B, H), zeros(T * B, H), zeros(H, D), zeros(H, D)];
    projectInputs({ kind: "tokens", ids }, W, zTokens);
    projectInputs({ kind: "dense", x: oneHot }, W, zDense);
    projectInputsBackward({ kind: "tokens", ids }, dz, W, dWTokens, null);
    projectInputsBackward({ kind: "dense", x: oneHot }, dz, W, dWDense, null);
    expect(maxAbsDiff(zTokens, zDense)).toBe(0);
    expect(maxAbsDiff(dWTokens, dWDense)).toBeLessThan(1e-15);
  });
});
