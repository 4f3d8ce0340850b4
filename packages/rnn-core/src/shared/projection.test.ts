import { checkGradients } from "@unrolled/gradcheck";
import { createRng, dot, fromArray, zeros } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { inputProjectionBackward, inputProjectionInto } from "./projection.js";

describe("inputProjectionInto / inputProjectionBackward", () => {
  for (const onehot of [false, true]) {
    it(`inputProjectionBackward matches finite differences for W_ih (${onehot ? "one-hot x: gather and scatter" : "dense x: matmuls"})`, () => {
      const [B, D, G] = [4, 5, 6];
      const rng = createRng(3);
      const x = zeros(B, D);
      if (onehot) for (let b = 0; b < B; b++) x.set(b, rng.int(0, D), 1);
      else rng.fillNormal(x.data);
      const w = fromArray(rng.fillNormal(new Float64Array(B * G)), B, G);
      const f = (t: Float64Array) => {
        const z = zeros(B, G);
        inputProjectionInto(z, x, fromArray(t, G, D));
        return dot(z, w);
      };
      const grad = (t: Float64Array) => {
        const z = zeros(B, G);
        const ids = inputProjectionInto(z, x, fromArray(t, G, D));
        expect(ids === null).toBe(!onehot);
        const dW = zeros(G, D);
        const dx = zeros(B, D);
        inputProjectionBackward(w, x, ids, fromArray(t, G, D), dW, dx);
        return dW.data;
      };
      const report = checkGradients({
        f,
        grad,
        at: rng.fillNormal(new Float64Array(G * D)),
        names: [{ name: "W_ih", shape: [G, D] }],
      });
      expect(report.ok, report.summary).toBe(true);
    });
  }
});
