/**
 * Test helper: one cell run over one sequence by hand (createSequence + the cell's forward and
 * backward), with the loss L = Σₜ wₜ ⊙ hₜ for fixed random weights w (zero them to drop steps), and a
 * gradient check of every weight, the input x (T·B, D) and the initial states h₀ (and c₀) at once.
 */
import { checkGradients, type GradCheckReport } from "@unrolled/gradcheck";
import { createRng, type FloatArray, fromArray, type Matrix } from "@unrolled/linalg";
import { type CellKind, modelConfig, type Nonlinearity } from "../config.js";
import { sequenceBackward, sequenceForward } from "../model/cells.js";
import { createSequence } from "../model/workspace.js";
import { initParams } from "../params/init.js";
import { allocateParams, cellAt, type ModelParams, paramsFromFlat } from "../params/params.js";
import type { SequenceInput } from "../shared/sequence.js";

export interface SequenceRun {
  readonly hs: Matrix<FloatArray>; // ((T+1)·B, H)
  readonly cs: Matrix<FloatArray> | null;
  readonly loss: number;
}

export function sequenceProblem(
  cell: CellKind,
  phi: Nonlinearity,
  B: number,
  D: number,
  H: number,
  T: number,
  seed = 7,
) {
  const config = modelConfig({
    cell,
    inputSize: D,
    hiddenSize: H,
    nonlinearity: phi,
    head: { outputSize: 1, activation: "identity" },
  });
  const rng = createRng(seed);
  const p = initParams(allocateParams(config), { rng, scheme: "normal", std: 0.6, biases: "same" });
  const xs = rng.fillNormal(new Float64Array(T * B * D)); // time-major (T·B, D)
  const states = cell === "lstm" ? 2 : 1;
  const h0 = rng.fillNormal(new Float64Array(states * B * H), 0, 0.5); // h₀, then c₀
  const w = fromArray(rng.fillNormal(new Float64Array(T * B * H)), T * B, H);

  /** A sequence's buffers after its forward from x (T·B, D) and the initial states. */
  const forward = (q: ModelParams, x: FloatArray) => (init: FloatArray) => {
    const s = createSequence(cell, "float64", B, T, H);
    const input: SequenceInput = { kind: "dense", x: fromArray(Float64Array.from(x), T * B, D) };
    s.hs.data.set(init.subarray(0, B * H));
    if (s.cell === "lstm") s.cs.data.set(init.subarray(B * H));
    sequenceForward(cellAt(q, 0, 0), phi, s, input);
    return { s, input };
  };

  /** Forward from the given x and initial states; returns the states and L. */
  const run = (q: ModelParams, x: FloatArray, init: FloatArray): SequenceRun => {
    const { s } = forward(q, x)(init);
    let loss = 0;
    for (let i = 0; i < T * B * H; i++) loss += (w.data[i] as number) * (s.hs.data[B * H + i] as number);
    return { hs: s.hs, cs: s.cell === "lstm" ? s.cs : null, loss };
  };

  /** BPTT for that loss: ∂L/∂θ, ∂L/∂x, ∂L/∂h₀ (and c₀) and the step norms. */
  const backward = (q: ModelParams, x: FloatArray, init: FloatArray, truncate = 0) => {
    const { s, input } = forward(q, x)(init);
    const g = allocateParams(config);
    const dx = fromArray(new Float64Array(T * B * D), T * B, D);
    sequenceBackward(cellAt(q, 0, 0), phi, s, input, w, cellAt(g, 0, 0), dx, truncate);
    const dInit = Float64Array.from([...s.dhNext, ...(s.cell === "lstm" ? s.dcNext : [])]);
    return { g: g.flat as Float64Array, dx: dx.data, dInit, norms: s.norms };
  };

  /** Gradient-checks θ, x and the initial states together. */
  const check = (): GradCheckReport => {
    const P = p.flat.length;
    const at = Float64Array.from([...p.flat, ...xs, ...h0]);
    const split = (t: Float64Array) => ({
      q: paramsFromFlat(config, t.subarray(0, P)),
      x: t.subarray(P, P + xs.length),
      init: t.subarray(P + xs.length),
    });
    const names = [
      ...p.slots.map((s) => ({ name: s.name, shape: s.shape })),
      { name: "x", shape: [T * B, D] },
      { name: "h0", shape: [B, H] },
      ...(states === 2 ? [{ name: "c0", shape: [B, H] }] : []),
    ];
    return checkGradients({
      f: (t) => {
        const { q, x, init } = split(t);
        return run(q, x, init).loss;
      },
      grad: (t) => {
        const { q, x, init } = split(t);
        const r = backward(q, x, init);
        return Float64Array.from([...r.g, ...r.dx, ...r.dInit]);
      },
      at,
      names,
      rng: createRng(1),
    });
  };

  /**
   * With the loss on the last step only: the gradient has to travel back through all T steps to reach
   * h₀ (and c₀). Checks ∂L/∂(initial states) by finite differences, and that ‖∂L/∂h₀‖ is not zero.
   */
  const checkLastStepToStart = (): GradCheckReport => {
    w.data.fill(0, 0, (T - 1) * B * H);
    const { dInit, norms } = backward(p, xs, h0);
    if (!((norms[0] as number) > 0)) throw new Error("no gradient reached t = 0");
    return checkGradients({
      f: (init) => run(p, xs, init).loss,
      grad: () => dInit,
      at: h0,
      names: [{ name: "h0", shape: [B, H] }, ...(states === 2 ? [{ name: "c0", shape: [B, H] }] : [])],
    });
  };

  /**
   * Fan-out: one input u feeds steps 0 and 1 (x₀ = x₁ = u), so ∂L/∂u must be the sum of both steps'
   * ∂L/∂x — which holds only if the backward accumulates (+=) into dx rather than overwriting it.
   */
  const checkFanOut = (): GradCheckReport => {
    const both = (u: Float64Array) => Float64Array.from([...u, ...u, ...xs.subarray(2 * B * D)]);
    const u = xs.slice(0, B * D);
    return checkGradients({
      f: (t) => run(p, both(t), h0).loss,
      grad: (t) => {
        const { dx } = backward(p, both(t), h0);
        return Float64Array.from(u, (_, i) => (dx[i] as number) + (dx[B * D + i] as number));
      },
      at: u,
      names: [{ name: "u", shape: [B, D] }],
    });
  };

  return { config, p, xs, h0, w, run, backward, check, checkLastStepToStart, checkFanOut };
}
