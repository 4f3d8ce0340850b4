import { checkGradients } from "@unrolled/gradcheck";
import { createRng, dot, fromArray, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { createSequence } from "../model/workspace.js";
import { projectInputs, projectInputsBackward } from "./projection.js";

describe("projectInputs / projectInputsBackward", () => {
  for (const onehot of [false, true]) {
    it(`the backward matches finite differences for W_ih (${onehot ? "one-hot x: gather and scatter" : "dense x: matmuls"})`, () => {
      const [B, T, D, H] = [2, 2, 5, 6]; // an RNN sequence: z is (T·B, H)
      const rng = createRng(3);
      const s = createSequence("rnn", "float64", B, T, D, H);
      if (onehot) for (let r = 0; r < T * B; r++) s.x.set(r, rng.int(0, D), 1);
      else rng.fillNormal(s.x.data);
      const w = fromArray(rng.fillNormal(new Float64Array(T * B * H)), T * B, H);
      const f = (t: Float64Array) => {
        projectInputs(s, fromArray(t, H, D));
        return dot(s.z, w);
      };
      const grad = (t: Float64Array) => {
        projectInputs(s, fromArray(t, H, D));
        expect(s.oneHot).toBe(onehot);
        const dW = zeros(H, D);
        projectInputsBackward(s, w, fromArray(t, H, D), dW, zeros(T * B, D));
        return dW.data;
      };
      const report = checkGradients({
        f,
        grad,
        at: rng.fillNormal(new Float64Array(H * D)),
        names: [{ name: "W_ih", shape: [H, D] }],
      });
      expect(report.ok, report.summary).toBe(true);
    });
  }
});
